/**
 * Accounts from sign-ins: the first sign-in through a state's identity provider creates an
 * account tied to (state, IdP subject). Roles come from the IdP's attribute mapping or from a
 * state user administrator; an account with none is pending. A disabled account cannot sign in,
 * and its sessions end at once.
 */
import { BadRequest, HttpProblem, NotFound } from '../api/problem.js';
import type { Store } from '../store/index.js';
import { recordAuditEvent } from '../store/index.js';
import {
  createAccount,
  endAccessGrants,
  findAccountBySubject,
  getAccount,
  recordAccessGrants,
  revokeAccessGrants,
  updateAccount,
  type StoredAccount,
} from '../store/repositories/accounts.js';
import { deleteWebSessionsOfAccount } from '../store/repositories/web-sessions.js';
import type { PersonPrincipal } from './principal.js';
import { isRole, personRoles, type Role } from './roles.js';

/** What an identity provider asserted, after the state's attribute mapping. */
export interface IdpIdentity {
  state: string;
  subject: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  district?: string | null;
  groups: string[];
}

export class AccountDisabled extends HttpProblem {
  constructor() {
    super(403, 'Account Disabled', 'This account has been disabled.', 'account-disabled');
  }
}

/** The roles the state's `roles:` mapping grants for the asserted groups. */
export function rolesFromGroups(grants: Record<string, readonly Role[]>, groups: string[]): Role[] {
  const out = new Set<Role>();
  for (const group of groups) for (const role of grants[group] ?? []) out.add(role);
  return [...out].sort();
}

export function effectiveRoles(account: StoredAccount): Role[] {
  return [...new Set([...account.idpRoles, ...account.grantedRoles])].filter(isRole).sort();
}

export function principalOf(account: StoredAccount): PersonPrincipal {
  const name = [account.firstName, account.lastName].filter(Boolean).join(' ');
  return {
    kind: 'person',
    accountId: account.id,
    state: account.stateCode,
    roles: effectiveRoles(account),
    district: account.district,
    name: name || account.email || account.idpSubject,
    email: account.email,
    actor: `account:${account.id}`,
  };
}

const idpActor = (state: string) => `idp:${state}`;

/** Creates or refreshes the account for a verified sign-in; refuses a disabled one. */
export async function signInFromIdp(
  store: Store,
  identity: IdpIdentity,
  idpRoles: Role[],
  context: { ip?: string | null; requestId?: string | null } = {},
): Promise<StoredAccount> {
  const audit = (outcome: 'success' | 'denied', accountId: number, detail: object) =>
    recordAuditEvent(store, {
      actor: `account:${accountId}`,
      actorState: identity.state,
      action: 'account.sign-in',
      subjectType: 'account',
      subjectId: accountId,
      outcome,
      ip: context.ip ?? null,
      requestId: context.requestId ?? null,
      detail: { ...detail },
    });
  const facts = {
    email: identity.email ?? null,
    firstName: identity.firstName ?? null,
    lastName: identity.lastName ?? null,
    district: identity.district ?? null,
  };
  const existing = await findAccountBySubject(store, identity.state, identity.subject);
  if (!existing) {
    const account = await store.sequelize.transaction(async (tx) => {
      const created = await createAccount(
        store,
        {
          stateCode: identity.state,
          idpSubject: identity.subject,
          status: idpRoles.length > 0 ? 'active' : 'pending',
          ...facts,
          idpRoles,
          lastSignInAt: new Date(),
        },
        tx,
      );
      await recordAccessGrants(
        store,
        { accountId: created.id, roles: idpRoles, source: 'idp', by: idpActor(identity.state) },
        tx,
      );
      return created;
    });
    await audit('success', account.id, { created: true, roles: idpRoles });
    return account;
  }
  if (existing.status === 'disabled') {
    await audit('denied', existing.id, { reason: 'disabled' });
    throw new AccountDisabled();
  }
  const added = idpRoles.filter((r) => !existing.idpRoles.includes(r));
  const removed = existing.idpRoles.filter((r) => !idpRoles.includes(r as Role));
  const roleCount = new Set([...idpRoles, ...existing.grantedRoles]).size;
  const status = roleCount > 0 ? 'active' : 'pending';
  await store.sequelize.transaction(async (tx) => {
    await updateAccount(
      store,
      existing.id,
      { ...facts, idpRoles, status, lastSignInAt: new Date() },
      tx,
    );
    const by = idpActor(identity.state);
    await recordAccessGrants(
      store,
      { accountId: existing.id, roles: added, source: 'idp', by },
      tx,
    );
    await revokeAccessGrants(
      store,
      { accountId: existing.id, roles: removed, source: 'idp', by },
      tx,
    );
  });
  await audit('success', existing.id, { roles: idpRoles });
  return (await getAccount(store, existing.id)) as StoredAccount;
}

/** An account of the administrator's own state; another state's is "not found". */
async function accountOfState(store: Store, admin: PersonPrincipal, id: number) {
  const account = Number.isSafeInteger(id) ? await getAccount(store, id) : null;
  if (!account || account.stateCode !== admin.state) throw new NotFound(`No account ${id}.`);
  return account;
}

export async function findAccountForAdmin(store: Store, admin: PersonPrincipal, id: number) {
  return accountOfState(store, admin, id);
}

/** A state user administrator grants roles (replacing earlier administrator grants). */
export async function approveAccount(
  store: Store,
  admin: PersonPrincipal,
  id: number,
  requested: unknown,
): Promise<StoredAccount> {
  if (!Array.isArray(requested) || requested.length === 0) {
    throw new BadRequest('roles must be a non-empty array', [
      { path: 'roles', reason: 'required' },
    ]);
  }
  const bad = requested.filter((r) => !(personRoles as readonly unknown[]).includes(r));
  if (bad.length > 0) {
    throw new BadRequest('unknown or ungrantable roles', [
      { path: 'roles', reason: `not grantable: ${bad.map(String).join(', ')}` },
    ]);
  }
  const roles = [...new Set(requested as Role[])].sort();
  const account = await accountOfState(store, admin, id);
  if (account.status === 'disabled') throw new AccountDisabled();
  await store.sequelize.transaction(async (tx) => {
    const by = admin.actor;
    const added = roles.filter((r) => !account.grantedRoles.includes(r));
    const removed = account.grantedRoles.filter((r) => !roles.includes(r as Role));
    await updateAccount(store, id, { grantedRoles: roles, status: 'active' }, tx);
    await recordAccessGrants(
      store,
      { accountId: id, roles: added, source: 'administrator', by },
      tx,
    );
    await revokeAccessGrants(
      store,
      { accountId: id, roles: removed, source: 'administrator', by },
      tx,
    );
  });
  await recordAuditEvent(store, {
    actor: admin.actor,
    actorState: admin.state,
    action: 'account.approve',
    subjectType: 'account',
    subjectId: id,
    outcome: 'success',
    detail: { roles },
  });
  return (await getAccount(store, id)) as StoredAccount;
}

/** Ends an account: its sessions are deleted and every request re-checks its status. */
export async function disableAccount(
  store: Store,
  admin: PersonPrincipal,
  id: number,
): Promise<StoredAccount> {
  const account = await accountOfState(store, admin, id);
  if (account.status !== 'disabled') {
    const now = new Date();
    await store.sequelize.transaction(async (tx) => {
      await updateAccount(store, id, { status: 'disabled', disabledAt: now }, tx);
      await endAccessGrants(store, id, admin.actor, now, tx);
    });
    await deleteWebSessionsOfAccount(store, id);
    await recordAuditEvent(store, {
      actor: admin.actor,
      actorState: admin.state,
      action: 'account.disable',
      subjectType: 'account',
      subjectId: id,
      outcome: 'success',
    });
  }
  return (await getAccount(store, id)) as StoredAccount;
}
