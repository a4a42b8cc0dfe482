/**
 * Writing exchange documents (src/exchange/types.ts) to student_records and its item tables.
 * Set-based (CONVENTIONS.md "Hot paths are set-based"): a batch of any size costs one upsert of
 * the records (which answers their ids; on SQL Server a MERGE and a select of the ids), and per
 * item table one DELETE (only for records stored before) and one multi-row INSERT — about ten
 * statements, whatever the number of children (more only past the batch row limits).
 * In a transaction the rows go through its driver connection (bulk-insert.ts: unnest arrays on
 * PostgreSQL, multi-row VALUES on SQLite; sql-server-bulk.ts: a table bulk load on SQL Server),
 * not through Sequelize's per-row model instances.
 */
import { Op } from 'sequelize';
import type { Transaction } from 'sequelize';
import { recordItemKinds } from '../models/index.js';
import type { Store } from '../store.js';
import { analyzeTables, rawConnectionOf, runRaw } from './bulk-insert.js';
import { createChildren } from './children.js';
import type { RawConnection } from './bulk-insert.js';
import {
  REPLACED_RECORD_FIELDS,
  itemRows,
  latestOfEach,
  recordRow,
  renderNow,
  sameItems,
} from './document-rows.js';
import type { DocumentItem, RenderedDocuments, SubmissionSource } from './document-rows.js';
import { bulkUpsert } from './bulk-upsert.js';
import { findRawRows } from './raw-rows.js';
import { bulkLoadRows, tediousConnectionOf } from './sql-server-bulk.js';

export { prepareStudentDocuments } from './document-rows.js';
export type { DocumentItem, RenderedDocuments, SubmissionSource } from './document-rows.js';

/** Rows per INSERT and ids per IN list: keeps statements small on every dialect. */
const BATCH = 500;

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Stores a batch of documents from one submission inside `tx`, and returns the student record id
 * for each stateStudentId.
 *
 * A student the state sent before is replaced, not duplicated: the record keeps its id and its
 * child link, its columns and source take the new values, and its moves, enrollments, courses and
 * assessments are deleted and inserted afresh. The last submission written wins, so callers write
 * submissions in the order they were received. Within a batch, when the same stateStudentId
 * appears twice, the later item wins (as a later file would).
 */
export async function saveStudentDocuments(
  db: Store,
  tx: Transaction,
  submission: SubmissionSource,
  items: readonly DocumentItem[],
  options: SaveOptions = {},
): Promise<Map<string, number>> {
  const batch = latestOfEach(items);
  if (batch.length === 0) return new Map();
  const raw = rawConnectionOf(db.models.StudentRecord, tx);
  if (!raw) {
    const now = new Date();
    const records = batch.map((item) => recordRow(submission, item, now));
    await giveChildren(db, tx, newChildrenOf(batch, records, options));
    const ids = await upsertRecordsOrm(db, tx, submission, records);
    await writeItemsOrm(db, tx, batch, ids, submission);
    return ids;
  }

  // Everything is rendered before the first statement (or was, by prepareStudentDocuments,
  // while the statements before were running); only the ids are filled in between.
  const early = options.prepared ? await options.prepared : undefined;
  const rendered =
    early && sameItems(early.batch, batch) ? early : renderNow(db, raw, submission, batch);
  const { records, upsert, inserts } = rendered;
  // What the caller knows now: the child each new record is linked to.
  batch.forEach(
    (item, i) => ((records[i] as Record<string, unknown>)['childId'] = item.childId ?? null),
  );
  await giveChildren(db, tx, newChildrenOf(batch, records, options));
  const ids = new Map<string, number>();
  for (const row of await upsert.run()) ids.set(String(row['stateStudentId']), Number(row['id']));

  // Items of records that were stored before are replaced as a set.
  const replacedIds = batch
    .filter((item) => item.stored !== false)
    .flatMap((item) => ids.get(item.document.student.stateStudentId) ?? []);
  for (const { kind, rows, owners, insert } of inserts) {
    rows.forEach((row, i) => (row['studentRecordId'] = recordIdOf(ids, owners[i] as string)));
    // One after the other: pg deprecates queueing a query while one runs, and node-sqlite3 may
    // run statements queued together in any order.
    await deleteItemsRaw(raw, kind.table, replacedIds);
    await insert.run();
  }
  return ids;
}

function newChildrenOf(
  batch: readonly DocumentItem[],
  records: readonly Record<string, unknown>[],
  options: SaveOptions,
): Record<string, unknown>[] {
  if (!options.newChildren) return [];
  return records.filter((row, i) => batch[i]?.stored === false && row['childId'] === null);
}

export interface SaveOptions {
  /**
   * Records not stored before (`stored: false`) and given no childId get a new child each,
   * created in the same transaction and linked as the record is inserted.
   */
  newChildren?: boolean;
  /** The batch as prepareStudentDocuments rendered it ahead. */
  prepared?: Promise<RenderedDocuments | undefined>;
}

async function giveChildren(
  db: Store,
  tx: Transaction,
  records: readonly Record<string, unknown>[],
): Promise<void> {
  if (records.length === 0) return;
  const childIds = await createChildren(db, records.length, tx);
  records.forEach((row, i) => (row['childId'] = childIds[i]));
}

function recordIdOf(ids: ReadonlyMap<string, number>, stateStudentId: string): number {
  const id = ids.get(stateStudentId);
  if (id === undefined) throw new Error(`student record ${stateStudentId} was not saved`);
  return id;
}

/** SQL Server and calls without a transaction: per item table a DELETE, then an INSERT. */
async function writeItemsOrm(
  db: Store,
  tx: Transaction,
  batch: readonly DocumentItem[],
  ids: ReadonlyMap<string, number>,
  submission: SubmissionSource,
): Promise<void> {
  const replacedIds = batch
    .filter((item) => item.stored !== false)
    .flatMap((item) => ids.get(item.document.student.stateStudentId) ?? []);
  for (const kind of recordItemKinds) {
    const model = db.models.recordItems[kind.key];
    const { rows, owners } = itemRows(batch, kind, submission);
    rows.forEach((row, i) => (row['studentRecordId'] = recordIdOf(ids, owners[i] as string)));
    for (const part of chunks(replacedIds)) {
      await model.destroy({ where: { studentRecordId: { [Op.in]: part } }, transaction: tx });
    }
    const tedious = tediousConnectionOf(model, tx);
    if (tedious) {
      await bulkLoadRows(tedious, model, rows);
    } else {
      for (const part of chunks(rows)) {
        await model.bulkCreate(part, { transaction: tx, returning: false, hooks: false });
      }
    }
  }
}

/** SQL Server (MERGE) and calls without a transaction: an upsert, then a select of the ids. */
async function upsertRecordsOrm(
  db: Store,
  tx: Transaction,
  submission: SubmissionSource,
  records: readonly Record<string, unknown>[],
): Promise<Map<string, number>> {
  const { StudentRecord } = db.models;
  await bulkUpsert(StudentRecord, records, {
    conflict: ['stateCode', 'stateStudentId'],
    update: REPLACED_RECORD_FIELDS,
    transaction: tx,
  });
  const ids = new Map<string, number>();
  for (const part of chunks(records.map((r) => String(r['stateStudentId'])))) {
    const rows = await findRawRows(StudentRecord, {
      attributes: ['id', 'stateStudentId'],
      where: { stateCode: submission.stateCode, stateStudentId: { [Op.in]: part } },
      transaction: tx,
    });
    for (const row of rows) ids.set(row.stateStudentId, Number(row.id));
  }
  return ids;
}

/** PostgreSQL takes the ids as one array; SQLite as an IN list of at most 500. */
export async function deleteItemsRaw(
  raw: RawConnection,
  table: string,
  studentRecordIds: readonly number[],
): Promise<void> {
  if (studentRecordIds.length === 0) return;
  if (raw.dialect === 'postgres') {
    await runRaw(
      raw,
      { postgres: `DELETE FROM "${table}" WHERE student_record_id = ANY($1::int[])`, sqlite: '' },
      [studentRecordIds],
    );
    return;
  }
  for (const part of chunks(studentRecordIds)) {
    const marks = part.map(() => '?').join(', ');
    await runRaw(
      raw,
      { postgres: '', sqlite: `DELETE FROM "${table}" WHERE student_record_id IN (${marks})` },
      part,
    );
  }
}

/**
 * Refreshes the planner's statistics of the tables an ingest writes and looks up, inside its
 * transaction (bulk-insert.ts analyzeTables; PostgreSQL only).
 */
export async function refreshRecordStatistics(db: Store, tx: Transaction): Promise<void> {
  const raw = rawConnectionOf(db.models.StudentRecord, tx);
  if (!raw) return;
  await analyzeTables(raw, [
    'student_records',
    'children',
    'linkage_keys',
    // Linking writes a link for each record it links and deletes the child the record was given;
    // each delete's foreign-key check searches record_links, with a plan made when it was empty.
    'record_links',
    ...recordItemKinds.map((kind) => kind.table),
  ]);
}
