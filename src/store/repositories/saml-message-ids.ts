/**
 * SAML message ids in SQL so the checks hold across instances: the AuthnRequest ids we sent (an
 * answer's InResponseTo must name one, once), and the assertions already consumed (a replay is
 * refused on any instance, SAML profiles 4.1.4.5).
 */
import { createHash } from 'node:crypto';
import { Op, UniqueConstraintError } from 'sequelize';
import type { Store } from '../store.js';
import { findRawRow } from './raw-rows.js';

export async function saveSamlRequestId(db: Store, requestId: string, createdAt: Date) {
  await db.models.SamlRequestId.upsert({ requestId, createdAt });
}

export async function findSamlRequestId(db: Store, requestId: string): Promise<Date | null> {
  const row = await findRawRow(db.models.SamlRequestId, { where: { requestId } });
  if (!row) return null;
  return row.createdAt instanceof Date ? row.createdAt : new Date(String(row.createdAt));
}

export async function removeSamlRequestId(db: Store, requestId: string): Promise<boolean> {
  return (await db.models.SamlRequestId.destroy({ where: { requestId } })) > 0;
}

export async function removeSamlRequestIdsBefore(db: Store, before: Date): Promise<number> {
  return db.models.SamlRequestId.destroy({ where: { createdAt: { [Op.lt]: before } } });
}

/**
 * Records an assertion as consumed. Returns false when it was already there: a replay. The
 * primary key makes the check and the insert one atomic step on every dialect.
 */
export async function consumeSamlAssertion(
  db: Store,
  assertion: { issuer: string; id: string; stateCode: string; expiresAt: Date },
): Promise<boolean> {
  const assertionSha256 = createHash('sha256')
    .update(`${assertion.issuer}\n${assertion.id}`)
    .digest('hex');
  try {
    await db.models.SamlAssertionId.create({
      assertionSha256,
      stateCode: assertion.stateCode,
      expiresAt: assertion.expiresAt,
    });
    return true;
  } catch (err) {
    if (err instanceof UniqueConstraintError) return false;
    throw err;
  }
}

export async function removeExpiredSamlAssertions(db: Store, now = new Date()): Promise<number> {
  return db.models.SamlAssertionId.destroy({ where: { expiresAt: { [Op.lte]: now } } });
}
