/** Rows of Continuum's OpenID provider (oidc-provider's adapter) and its signing keys. */
import { Op } from 'sequelize';
import type { OidcProviderRow } from '../models/identity.js';
import type { Store } from '../store.js';
import { findRawRow, findRawRows } from './raw-rows.js';

export interface ProviderRowInput {
  model: string;
  id: string;
  payload: Record<string, unknown>;
  grantId?: string | undefined;
  userCode?: string | undefined;
  uid?: string | undefined;
  expiresAt: Date | null;
}

const keyOf = (model: string, id: string) => `${model}:${id}`;

function payloadOf(row: OidcProviderRow | null): Record<string, unknown> | undefined {
  if (!row) return undefined;
  const expires = row.expiresAt === null ? null : new Date(row.expiresAt as unknown as string);
  // Expired rows are as good as gone, whether or not the sweep has removed them yet.
  if (expires && expires.getTime() <= Date.now()) return undefined;
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  if (row.consumedAt) payload['consumed'] = Math.floor(new Date(row.consumedAt).getTime() / 1000);
  return payload;
}

export async function upsertProviderRow(db: Store, row: ProviderRowInput): Promise<void> {
  await db.models.OidcProviderRow.upsert({
    rowKey: keyOf(row.model, row.id),
    model: row.model,
    payload: JSON.stringify(row.payload),
    grantId: row.grantId ?? null,
    userCode: row.userCode ?? null,
    uid: row.uid ?? null,
    expiresAt: row.expiresAt,
    consumedAt: null,
  });
}

export async function findProviderRow(db: Store, model: string, id: string) {
  return payloadOf(
    await findRawRow(db.models.OidcProviderRow, { where: { rowKey: keyOf(model, id) } }),
  );
}

export async function findProviderRowBy(
  db: Store,
  model: string,
  field: 'userCode' | 'uid',
  value: string,
) {
  return payloadOf(
    await findRawRow(db.models.OidcProviderRow, { where: { model, [field]: value } }),
  );
}

export async function consumeProviderRow(db: Store, model: string, id: string): Promise<void> {
  await db.models.OidcProviderRow.update(
    { consumedAt: new Date() },
    { where: { rowKey: keyOf(model, id) } },
  );
}

export async function destroyProviderRow(db: Store, model: string, id: string): Promise<void> {
  await db.models.OidcProviderRow.destroy({ where: { rowKey: keyOf(model, id) } });
}

/** Revoking a grant removes every code and token issued under it, whatever the model. */
export async function destroyProviderRowsOfGrant(db: Store, grantId: string): Promise<void> {
  await db.models.OidcProviderRow.destroy({ where: { grantId } });
}

export async function deleteExpiredProviderRows(db: Store, now = new Date()): Promise<number> {
  return db.models.OidcProviderRow.destroy({ where: { expiresAt: { [Op.lte]: now } } });
}

export interface StoredSigningKey {
  kid: string;
  jwk: Record<string, unknown>;
  createdAt: Date;
}

/** Newest first. */
export async function listSigningKeys(db: Store): Promise<StoredSigningKey[]> {
  const rows = await findRawRows(db.models.OidcSigningKey, { order: [['createdAt', 'DESC']] });
  return rows.map((r) => ({
    kid: r.kid,
    jwk: JSON.parse(r.jwk) as Record<string, unknown>,
    createdAt: new Date(r.createdAt as unknown as string),
  }));
}

export async function addSigningKey(db: Store, key: StoredSigningKey): Promise<void> {
  await db.models.OidcSigningKey.create({
    kid: key.kid,
    jwk: JSON.stringify(key.jwk),
    createdAt: key.createdAt,
  });
}

export async function removeSigningKeysBefore(db: Store, before: Date): Promise<number> {
  return db.models.OidcSigningKey.destroy({ where: { createdAt: { [Op.lt]: before } } });
}
