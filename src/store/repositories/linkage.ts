/**
 * Linkage data access (DESIGN.md section 6). Candidate pairs are made set-based: the lookup keys
 * of a batch's records searched for in `linkage_keys` (one statement per batch), then the
 * identifying fields of the records found (one more). What linking
 * does to children (moving records, merges, snapshots for history) is in linkage-children.ts.
 */
import { Op, QueryTypes } from 'sequelize';
import type { Transaction } from 'sequelize';
import type { Store } from '../store.js';
import { insertRows, rawConnectionOf } from './bulk-insert.js';
import { findRawRows } from './raw-rows.js';

const BATCH = 500;

/** Batches of `size` (500): statements stay under every driver's parameter limit. */
export function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function idList(ids: readonly number[]): string {
  return ids.map((id) => String(Math.trunc(Number(id)))).join(', ');
}

export interface RecordKeys {
  studentRecordId: number;
  stateCode: string;
  /** Integer keys (src/linkage/blocking.ts), each once. */
  keys: readonly number[];
}

/**
 * Replaces the blocking keys of these records: one DELETE and one multi-row INSERT per 500.
 * `fresh`: the records were inserted in this transaction and have no keys yet (no DELETE).
 */
export async function replaceLinkageKeys(
  db: Store,
  tx: Transaction | undefined,
  records: readonly RecordKeys[],
  options: { fresh?: boolean } = {},
): Promise<void> {
  const { LinkageKey } = db.models;
  for (const part of chunks(records)) {
    if (!options.fresh) {
      await LinkageKey.destroy({
        where: { studentRecordId: { [Op.in]: part.map((r) => r.studentRecordId) } },
        transaction: tx ?? null,
      });
    }
    const rows = part.flatMap((r) =>
      [...new Set(r.keys)].map((blockKey) => ({
        studentRecordId: r.studentRecordId,
        stateCode: r.stateCode,
        blockKey,
      })),
    );
    if (rows.length === 0) continue;
    const raw = rawConnectionOf(LinkageKey, tx);
    if (raw) await insertRows(raw, LinkageKey, rows);
    else await LinkageKey.bulkCreate(rows, { transaction: tx ?? null, returning: false });
  }
}

/** Deletes the keys and link explanations of deleted records. */
export async function deleteLinkageOfRecords(
  db: Store,
  tx: Transaction | undefined,
  studentRecordIds: readonly number[],
): Promise<void> {
  for (const part of chunks(studentRecordIds)) {
    const where = { studentRecordId: { [Op.in]: part } };
    await db.models.LinkageKey.destroy({ where, transaction: tx ?? null });
    await db.models.RecordLink.destroy({ where, transaction: tx ?? null });
  }
}

/** The identifying columns linkage compares (src/linkage/person.ts LinkageFields). */
export const linkageColumns = `r.first_name AS "firstName", r.middle_name AS "middleName",
  r.last_name1 AS "lastName1", r.last_name2 AS "lastName2", r.sex AS "sex",
  r.birth_date AS "birthDate", r.multiple_birth AS "multipleBirth", r.birth_city AS "birthCity",
  r.birth_state AS "birthState", r.birth_country AS "birthCountry",
  r.parent1_first_name AS "parent1FirstName", r.parent1_last_name AS "parent1LastName",
  r.parent2_first_name AS "parent2FirstName", r.parent2_last_name AS "parent2LastName"`;

export interface StoredLinkageRow extends Record<string, unknown> {
  studentRecordId: number;
  childId: string;
  stateCode: string;
}

/** A stored key row: the record holding the key, and its state. */
export interface KeyMatch {
  key: number;
  studentRecordId: number;
  stateCode: string;
}

/** Keys per look-up statement (a batch of 500 records looks up about 4,500). */
const KEYS_PER_LOOKUP = 8000;

/**
 * The stored key rows holding one of `keys`, of a state other than `exceptState` when given:
 * one statement per 8,000 keys, answered from the key index. Which record looked for which key,
 * and so the candidate pairs, is worked out by the caller (src/linkage/link-records.ts).
 */
export async function findKeyMatches(
  db: Store,
  tx: Transaction | undefined,
  keys: readonly number[],
  exceptState?: string,
): Promise<KeyMatch[]> {
  const out: KeyMatch[] = [];
  const state =
    exceptState === undefined ? '' : ` AND state_code <> ${db.sequelize.escape(exceptState)}`;
  for (const part of chunks([...new Set(keys)], KEYS_PER_LOOKUP)) {
    const rows = await db.sequelize.query<{ k: unknown; id: unknown; s: unknown }>(
      `SELECT block_key AS k, student_record_id AS id, state_code AS s FROM linkage_keys
       WHERE block_key IN (${idList(part)})${state}`,
      { type: QueryTypes.SELECT, transaction: tx ?? null },
    );
    for (const row of rows) {
      out.push({
        key: Number(row.k),
        studentRecordId: Number(row.id),
        stateCode: String(row.s).trim(),
      });
    }
  }
  return out;
}

/**
 * All cross-state candidate pairs of the whole store that share a stored key of the range
 * `keys` (one kind of key, src/linkage/blocking.ts keyKindRange), each once (lower record id
 * first), for EM. Set-based: one self-join; `limit` bounds the sample.
 */
export async function findAllCandidatePairs(
  db: Store,
  options: { limit?: number; keys?: { from: number; to: number } } = {},
): Promise<{ a: number; b: number }[]> {
  const limit = options.limit ? ` ORDER BY a_id, b_id LIMIT ${Math.trunc(options.limit)}` : '';
  const range = options.keys
    ? ` AND a.block_key >= ${Math.trunc(options.keys.from)} AND a.block_key < ${Math.trunc(options.keys.to)}`
    : '';
  const sql =
    db.sequelize.getDialect() === 'mssql' && options.limit
      ? `SELECT DISTINCT TOP ${Math.trunc(options.limit)} a.student_record_id AS a_id, b.student_record_id AS b_id
         FROM linkage_keys a JOIN linkage_keys b
           ON b.block_key = a.block_key AND b.state_code <> a.state_code
          AND b.student_record_id > a.student_record_id WHERE 1 = 1${range}`
      : `SELECT DISTINCT a.student_record_id AS a_id, b.student_record_id AS b_id
         FROM linkage_keys a JOIN linkage_keys b
           ON b.block_key = a.block_key AND b.state_code <> a.state_code
          AND b.student_record_id > a.student_record_id WHERE 1 = 1${range}${limit}`;
  const rows = await db.sequelize.query<{ a_id: number; b_id: number }>(sql, {
    type: QueryTypes.SELECT,
  });
  return rows.map((r) => ({ a: Number(r.a_id), b: Number(r.b_id) }));
}

/** The child and state of these records (what a candidate is judged by besides its fields). */
export async function readRecordChildren(
  db: Store,
  tx: Transaction | undefined,
  studentRecordIds: readonly number[],
): Promise<Map<number, { childId: string | null; stateCode: string }>> {
  const out = new Map<number, { childId: string | null; stateCode: string }>();
  for (const part of chunks(studentRecordIds, 2000)) {
    const rows = await db.sequelize.query<{ id: unknown; c: unknown; s: unknown }>(
      `SELECT r.id AS id, r.child_id AS c, r.state_code AS s FROM student_records r
       WHERE r.id IN (${idList(part)})`,
      { type: QueryTypes.SELECT, transaction: tx ?? null },
    );
    for (const row of rows) {
      out.set(Number(row.id), {
        childId: row.c === null ? null : String(row.c).trim(),
        stateCode: String(row.s).trim(),
      });
    }
  }
  return out;
}

/**
 * Identifying fields of these records (and their child, state): one statement per 2,000 ids
 * (linking reads a few thousand candidates per batch; ids are integers written into the text).
 */
export async function readLinkageRows(
  db: Store,
  tx: Transaction | undefined,
  studentRecordIds: readonly number[],
): Promise<Map<number, StoredLinkageRow>> {
  const out = new Map<number, StoredLinkageRow>();
  for (const part of chunks(studentRecordIds, 2000)) {
    const rows = await db.sequelize.query<StoredLinkageRow>(
      `SELECT r.id AS "studentRecordId", r.child_id AS "childId", r.state_code AS "stateCode",
         ${linkageColumns}
       FROM student_records r WHERE r.id IN (${idList(part)})`,
      { type: QueryTypes.SELECT, transaction: tx ?? null },
    );
    for (const row of rows) {
      row.studentRecordId = Number(row.studentRecordId);
      row.childId = row.childId === null ? (null as unknown as string) : String(row.childId).trim();
      out.set(row.studentRecordId, row);
    }
  }
  return out;
}

/** A random sample of record ids, for estimating u from pairs drawn at random. */
export async function sampleRecordIds(db: Store, count: number): Promise<number[]> {
  const random = db.sequelize.getDialect() === 'mssql' ? 'NEWID()' : 'RANDOM()';
  const top = db.sequelize.getDialect() === 'mssql';
  const rows = await db.sequelize.query<{ id: number }>(
    top
      ? `SELECT TOP ${Math.trunc(count)} id FROM student_records ORDER BY ${random}`
      : `SELECT id FROM student_records ORDER BY ${random} LIMIT ${Math.trunc(count)}`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((r) => Number(r.id));
}

/** Record ids holding a blocking key in one of these ranges [from, to), for search; at most `limit`. */
export async function recordIdsByKeys(
  db: Store,
  ranges: readonly { from: number; to: number }[],
  limit: number,
): Promise<number[]> {
  if (ranges.length === 0) return [];
  const rows = await findRawRows(db.models.LinkageKey, {
    attributes: ['studentRecordId'],
    where: {
      [Op.or]: ranges.map((r) => ({ blockKey: { [Op.gte]: r.from, [Op.lt]: r.to } })),
    },
    limit,
  });
  return [...new Set(rows.map((r) => Number(r.studentRecordId)))];
}

/** Record ids of children born on `birthDate` (YYYY-MM-DD), for search; at most `limit`. */
export async function recordIdsByBirthDate(
  db: Store,
  birthDate: string,
  limit: number,
): Promise<number[]> {
  const rows = await findRawRows(db.models.StudentRecord, {
    attributes: ['id'],
    where: { birthDate },
    limit,
  });
  return rows.map((r) => Number(r.id));
}

export async function recordIdsByStateStudentId(
  db: Store,
  stateStudentId: string,
): Promise<number[]> {
  const rows = await findRawRows(db.models.StudentRecord, {
    attributes: ['id'],
    where: { stateStudentId },
    limit: 100,
  });
  return rows.map((r) => Number(r.id));
}

export async function recordIdsOfChild(db: Store, childId: string): Promise<number[]> {
  const rows = await findRawRows(db.models.StudentRecord, {
    attributes: ['id'],
    where: { childId },
  });
  return rows.map((r) => Number(r.id));
}

/** One page of student record ids in id order, after `afterId`: for whole-store jobs. */
export async function recordIdPage(db: Store, afterId: number, size: number): Promise<number[]> {
  const rows = await findRawRows(db.models.StudentRecord, {
    attributes: ['id'],
    where: { id: { [Op.gt]: afterId } },
    order: [['id', 'ASC']],
    limit: size,
  });
  return rows.map((r) => Number(r.id));
}
