/**
 * Accounts and the record of their access grants. A grant row is never deleted: revoking sets
 * `revoked_at`, ending an account sets `retain_until` three years on (34 CFR 200.85).
 */
import { Op } from 'sequelize';
import type { Transaction } from 'sequelize';
import type { AccessGrantRow, AccountRow, AccountStatus } from '../models/index.js';
import type { Store } from '../store.js';
import { findRawRow, findRawRows } from './raw-rows.js';

export interface StoredAccount {
  id: number;
  stateCode: string;
  idpSubject: string;
  status: AccountStatus;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  district: string | null;
  idpRoles: string[];
  grantedRoles: string[];
  lastSignInAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface AccountInput {
  stateCode: string;
  idpSubject: string;
  status: AccountStatus;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  district?: string | null;
  idpRoles: string[];
  grantedRoles?: string[];
  lastSignInAt?: Date | null;
}

export interface AccessGrant {
  id: string;
  accountId: number;
  role: string;
  source: 'idp' | 'administrator';
  grantedBy: string;
  grantedAt: Date;
  revokedBy: string | null;
  revokedAt: Date | null;
  retainUntil: Date | null;
}

/** 34 CFR 200.85: records of access are kept 3 years after the account ends. */
export const GRANT_RETENTION_YEARS = 3;

function date(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

function toAccount(row: AccountRow): StoredAccount {
  return {
    id: Number(row.id),
    stateCode: String(row.stateCode).trim(),
    idpSubject: row.idpSubject,
    status: row.status,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    district: row.district,
    idpRoles: JSON.parse(row.idpRoles) as string[],
    grantedRoles: JSON.parse(row.grantedRoles) as string[],
    lastSignInAt: date(row.lastSignInAt),
    disabledAt: date(row.disabledAt),
    createdAt: date(row.createdAt) as Date,
  };
}

function toGrant(row: AccessGrantRow): AccessGrant {
  return {
    ...row,
    id: String(row.id),
    accountId: Number(row.accountId),
    grantedAt: date(row.grantedAt) as Date,
    revokedAt: date(row.revokedAt),
    retainUntil: date(row.retainUntil),
  };
}

export async function getAccount(
  db: Store,
  id: number,
  tx?: Transaction,
): Promise<StoredAccount | null> {
  const row = await findRawRow(db.models.Account, { where: { id }, transaction: tx ?? null });
  return row ? toAccount(row) : null;
}

export async function findAccountBySubject(
  db: Store,
  stateCode: string,
  idpSubject: string,
  tx?: Transaction,
): Promise<StoredAccount | null> {
  const row = await findRawRow(db.models.Account, {
    where: { stateCode, idpSubject },
    transaction: tx ?? null,
  });
  return row ? toAccount(row) : null;
}

export async function createAccount(
  db: Store,
  input: AccountInput,
  tx?: Transaction,
): Promise<StoredAccount> {
  const now = new Date();
  const row = await db.models.Account.create(
    {
      stateCode: input.stateCode,
      idpSubject: input.idpSubject,
      status: input.status,
      email: input.email ?? null,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      district: input.district ?? null,
      idpRoles: JSON.stringify(input.idpRoles),
      grantedRoles: JSON.stringify(input.grantedRoles ?? []),
      lastSignInAt: input.lastSignInAt ?? null,
      createdAt: now,
      updatedAt: now,
    },
    { transaction: tx ?? null },
  );
  return toAccount(row.get({ plain: true }));
}

export type AccountChanges = Partial<
  Pick<
    StoredAccount,
    | 'status'
    | 'email'
    | 'firstName'
    | 'lastName'
    | 'district'
    | 'idpRoles'
    | 'grantedRoles'
    | 'lastSignInAt'
    | 'disabledAt'
  >
>;

export async function updateAccount(
  db: Store,
  id: number,
  changes: AccountChanges,
  tx?: Transaction,
): Promise<void> {
  const { idpRoles, grantedRoles, ...rest } = changes;
  await db.models.Account.update(
    {
      ...rest,
      ...(idpRoles ? { idpRoles: JSON.stringify(idpRoles) } : {}),
      ...(grantedRoles ? { grantedRoles: JSON.stringify(grantedRoles) } : {}),
      updatedAt: new Date(),
    },
    { where: { id }, transaction: tx ?? null },
  );
}

export async function listAccounts(
  db: Store,
  query: { stateCode: string; status?: AccountStatus; limit: number },
): Promise<StoredAccount[]> {
  const rows = await findRawRows(db.models.Account, {
    where: { stateCode: query.stateCode, ...(query.status ? { status: query.status } : {}) },
    order: [['id', 'ASC']],
    limit: query.limit,
  });
  return rows.map(toAccount);
}

export async function recordAccessGrants(
  db: Store,
  grants: { accountId: number; roles: string[]; source: 'idp' | 'administrator'; by: string },
  tx?: Transaction,
): Promise<void> {
  if (grants.roles.length === 0) return;
  const now = new Date();
  await db.models.AccessGrant.bulkCreate(
    grants.roles.map((role) => ({
      accountId: grants.accountId,
      role,
      source: grants.source,
      grantedBy: grants.by,
      grantedAt: now,
    })),
    { transaction: tx ?? null },
  );
}

export async function revokeAccessGrants(
  db: Store,
  revoke: { accountId: number; roles: string[]; source: 'idp' | 'administrator'; by: string },
  tx?: Transaction,
): Promise<void> {
  if (revoke.roles.length === 0) return;
  await db.models.AccessGrant.update(
    { revokedAt: new Date(), revokedBy: revoke.by },
    {
      where: {
        accountId: revoke.accountId,
        source: revoke.source,
        role: { [Op.in]: revoke.roles },
        revokedAt: null,
      },
      transaction: tx ?? null,
    },
  );
}

/** The account ended: every open grant is revoked and every grant kept 3 more years. */
export async function endAccessGrants(
  db: Store,
  accountId: number,
  by: string,
  endedAt = new Date(),
  tx?: Transaction,
): Promise<void> {
  const retainUntil = new Date(endedAt);
  retainUntil.setUTCFullYear(retainUntil.getUTCFullYear() + GRANT_RETENTION_YEARS);
  await db.models.AccessGrant.update(
    { revokedAt: endedAt, revokedBy: by },
    { where: { accountId, revokedAt: null }, transaction: tx ?? null },
  );
  await db.models.AccessGrant.update(
    { retainUntil },
    { where: { accountId }, transaction: tx ?? null },
  );
}

export async function listAccessGrants(db: Store, accountId: number): Promise<AccessGrant[]> {
  const rows = await findRawRows(db.models.AccessGrant, {
    where: { accountId },
    order: [['id', 'ASC']],
  });
  return rows.map(toGrant);
}
