/** Browser sessions in SQL, so every gateway instance sees them and they survive restarts. */
import { Op } from 'sequelize';
import type { Store } from '../store.js';
import { findRawRow } from './raw-rows.js';

export interface StoredWebSession {
  accountId: number | null;
  data: string;
  expiresAt: Date;
}

export async function readWebSession(db: Store, sid: string): Promise<StoredWebSession | null> {
  const row = await findRawRow(db.models.WebSession, {
    where: { sid, expiresAt: { [Op.gt]: new Date() } },
  });
  if (!row) return null;
  return {
    accountId: row.accountId === null ? null : Number(row.accountId),
    data: row.data,
    expiresAt: row.expiresAt instanceof Date ? row.expiresAt : new Date(String(row.expiresAt)),
  };
}

export async function writeWebSession(
  db: Store,
  sid: string,
  session: StoredWebSession,
): Promise<void> {
  await db.models.WebSession.upsert({ sid, ...session });
}

export async function touchWebSession(db: Store, sid: string, expiresAt: Date): Promise<void> {
  await db.models.WebSession.update({ expiresAt }, { where: { sid } });
}

export async function deleteWebSession(db: Store, sid: string): Promise<void> {
  await db.models.WebSession.destroy({ where: { sid } });
}

/** A disabled account's sessions end at once, on every instance. */
export async function deleteWebSessionsOfAccount(db: Store, accountId: number): Promise<number> {
  return db.models.WebSession.destroy({ where: { accountId } });
}

export async function deleteExpiredWebSessions(db: Store, now = new Date()): Promise<number> {
  return db.models.WebSession.destroy({ where: { expiresAt: { [Op.lte]: now } } });
}
