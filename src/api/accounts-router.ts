/**
 * Account administration and the audit log, for a state's administrators and their state only
 * (roles are checked by the access guard; the state is checked here and in identity/accounts).
 */
import { Router } from 'express';
import type { Request } from 'express';
import {
  approveAccount,
  disableAccount,
  effectiveRoles,
  findAccountForAdmin,
} from '../identity/accounts.js';
import type { PersonPrincipal } from '../identity/principal.js';
import { csrfTokenOf } from '../identity/session.js';
import { accountStatuses } from '../store/models/index.js';
import { searchAuditEvents, type Store } from '../store/index.js';
import {
  listAccessGrants,
  listAccounts,
  type StoredAccount,
} from '../store/repositories/accounts.js';
import { Forbidden, Unauthorized } from './auth-problems.js';
import { BadRequest } from './problem.js';

function person(req: Request): PersonPrincipal {
  if (!req.principal) throw new Unauthorized();
  if (req.principal.kind !== 'person') throw new Forbidden('Only signed-in people may do this.');
  return req.principal;
}

function accountView(a: StoredAccount) {
  return {
    id: a.id,
    state: a.stateCode,
    subject: a.idpSubject,
    status: a.status,
    email: a.email,
    firstName: a.firstName,
    lastName: a.lastName,
    district: a.district,
    roles: effectiveRoles(a),
    idpRoles: a.idpRoles,
    grantedRoles: a.grantedRoles,
    lastSignInAt: a.lastSignInAt,
    disabledAt: a.disabledAt,
    createdAt: a.createdAt,
  };
}

function limitOf(value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new BadRequest(`limit must be 1 to ${max}`);
  return n;
}

function dateOf(name: string, value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(String(value));
  if (Number.isNaN(d.getTime())) throw new BadRequest(`${name} must be an ISO 8601 date-time`);
  return d;
}

function idOf(req: Request): number {
  const id = Number(req.params['id']);
  if (!Number.isSafeInteger(id) || id < 1) throw new BadRequest('id must be a positive number');
  return id;
}

export function accountsRouter(store: Store): Router {
  const router = Router();

  router.get('/me', (req, res) => {
    const principal = req.principal;
    if (!principal) throw new Unauthorized();
    res.json({
      ...principal,
      // Cookie-authenticated calls that change something echo this in X-CSRF-Token.
      ...(principal.kind === 'person' ? { csrfToken: csrfTokenOf(req) } : {}),
    });
  });

  router.get('/accounts', async (req, res) => {
    const admin = person(req);
    const status = req.query['status'];
    if (status !== undefined && !(accountStatuses as readonly unknown[]).includes(status)) {
      throw new BadRequest(`status must be one of ${accountStatuses.join(', ')}`);
    }
    const accounts = await listAccounts(store, {
      stateCode: admin.state,
      ...(status ? { status: status as StoredAccount['status'] } : {}),
      limit: limitOf(req.query['limit'], 100, 1000),
    });
    res.json({ accounts: accounts.map(accountView) });
  });

  router.get('/accounts/:id/access-grants', async (req, res) => {
    const account = await findAccountForAdmin(store, person(req), idOf(req));
    res.json({ grants: await listAccessGrants(store, account.id) });
  });

  router.post('/accounts/:id/approve', async (req, res) => {
    const body = (req.body ?? {}) as { roles?: unknown };
    const account = await approveAccount(store, person(req), idOf(req), body.roles);
    res.json(accountView(account));
  });

  router.post('/accounts/:id/disable', async (req, res) => {
    const account = await disableAccount(store, person(req), idOf(req));
    res.json(accountView(account));
  });

  router.get('/audit-events', async (req, res) => {
    const admin = person(req);
    const q = req.query;
    const text = (name: string) => (typeof q[name] === 'string' ? (q[name] as string) : undefined);
    const since = dateOf('since', q['since']);
    const until = dateOf('until', q['until']);
    const events = await searchAuditEvents(store, {
      // Their own state only.
      actorState: admin.state,
      ...(text('action') ? { action: text('action') } : {}),
      ...(text('actor') ? { actor: text('actor') } : {}),
      ...(text('subjectType') ? { subjectType: text('subjectType') } : {}),
      ...(text('subjectId') ? { subjectId: text('subjectId') } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
      limit: limitOf(q['limit'], 100, 1000),
    });
    res.json({ events });
  });

  return router;
}
