/** Why each record is linked to its child (record_links), and the stored EM weights. */
import { Op } from 'sequelize';
import type { Transaction } from 'sequelize';
import type { Store } from '../store.js';
import { insertRows, rawConnectionOf } from './bulk-insert.js';
import { findRawRows } from './raw-rows.js';

const BATCH = 500;

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface RecordLinkInput {
  studentRecordId: number;
  childId: string;
  method: 'auto' | 'admin';
  score: number | null;
  matchedRecordId: number | null;
  contributions: unknown;
  linkedBy: string | null;
}

/**
 * Writes (replacing) the explanation of each record's link. `fresh`: the records were inserted in
 * this transaction and have no explanation to replace (no DELETE).
 */
export async function writeRecordLinks(
  db: Store,
  tx: Transaction | undefined,
  links: readonly RecordLinkInput[],
  options: { fresh?: boolean } = {},
): Promise<void> {
  const now = new Date();
  for (const part of chunks(links)) {
    if (!options.fresh) {
      await db.models.RecordLink.destroy({
        where: { studentRecordId: { [Op.in]: part.map((l) => l.studentRecordId) } },
        transaction: tx ?? null,
      });
    }
    const rows = part.map((l) => ({
      studentRecordId: l.studentRecordId,
      childId: l.childId,
      method: l.method,
      score: l.score,
      matchedRecordId: l.matchedRecordId,
      contributions: l.contributions === null ? null : JSON.stringify(l.contributions),
      linkedBy: l.linkedBy,
      linkedAt: now,
    }));
    const raw = rawConnectionOf(db.models.RecordLink, tx);
    if (raw) await insertRows(raw, db.models.RecordLink, rows);
    else await db.models.RecordLink.bulkCreate(rows, { transaction: tx ?? null, returning: false });
  }
}

export interface RecordLinkView {
  studentRecordId: number;
  childId: string;
  method: string;
  score: number | null;
  matchedRecordId: number | null;
  contributions: unknown;
  linkedBy: string | null;
  linkedAt: Date;
}

export async function listRecordLinks(db: Store, childId: string): Promise<RecordLinkView[]> {
  const rows = await findRawRows(db.models.RecordLink, {
    where: { childId },
    order: [['studentRecordId', 'ASC']],
  });
  return rows.map((r) => ({
    studentRecordId: Number(r.studentRecordId),
    childId: String(r.childId).trim(),
    method: r.method,
    score: r.score === null ? null : Number(r.score),
    matchedRecordId: r.matchedRecordId === null ? null : Number(r.matchedRecordId),
    contributions: r.contributions === null ? null : (JSON.parse(r.contributions) as unknown),
    linkedBy: r.linkedBy,
    linkedAt: new Date(r.linkedAt),
  }));
}

export async function deleteRecordLinks(
  db: Store,
  tx: Transaction | undefined,
  studentRecordIds: readonly number[],
): Promise<void> {
  for (const part of chunks(studentRecordIds)) {
    await db.models.RecordLink.destroy({
      where: { studentRecordId: { [Op.in]: part } },
      transaction: tx ?? null,
    });
  }
}

export type StoredWeights = Record<string, Record<string, { m: number; u: number }>>;

export async function loadEstimatedWeights(db: Store): Promise<StoredWeights | undefined> {
  const rows = await findRawRows(db.models.LinkageWeight, {});
  if (rows.length === 0) return undefined;
  const out: StoredWeights = {};
  for (const row of rows) {
    (out[row.field] ??= {})[row.level] = { m: Number(row.m), u: Number(row.u) };
  }
  return out;
}

export async function saveEstimatedWeights(
  db: Store,
  weights: StoredWeights,
  pairs: number,
): Promise<void> {
  const now = new Date();
  await db.sequelize.transaction(async (tx) => {
    await db.models.LinkageWeight.destroy({ where: {}, transaction: tx });
    const rows = Object.entries(weights).flatMap(([field, levels]) =>
      Object.entries(levels).map(([level, mu]) => ({
        field,
        level,
        m: mu.m,
        u: mu.u,
        pairs,
        estimatedAt: now,
      })),
    );
    await db.models.LinkageWeight.bulkCreate(rows, { transaction: tx });
  });
}
