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
import type { ExchangeDocument } from '../../exchange/types.js';
import { prefixed, writeColumnsInto } from '../models/columns.js';
import { parentColumns, studentColumns } from '../models/exchange-columns.js';
import { recordItemKinds } from '../models/index.js';
import type { Store } from '../store.js';
import { analyzeTables, prepareInsert, rawConnectionOf, runRaw } from './bulk-insert.js';
import { createChildren } from './children.js';
import type { RawConnection } from './bulk-insert.js';
import { bulkUpsert } from './bulk-upsert.js';
import { findRawRows } from './raw-rows.js';
import { bulkLoadRows, tediousConnectionOf } from './sql-server-bulk.js';

/** The submission a batch belongs to; every row written keeps it as its source. */
export interface SubmissionSource {
  id: number;
  stateCode: string;
  receivedAt: Date;
}

export interface DocumentItem {
  /** 1-based row, line or record number in the submitted file. */
  row: number;
  document: ExchangeDocument;
  /**
   * The child a record created by this write is linked to (the child must exist). A record that
   * is already stored keeps its link: this is used only when the record is inserted.
   */
  childId?: string | null;
  /** False when the caller knows the record is not stored yet: no old items to delete. */
  stored?: boolean;
}

/** Rows per INSERT and ids per IN list: keeps statements small on every dialect. */
const BATCH = 500;

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Columns a newer submission overwrites; child_id and created_at are kept. */
const REPLACED_RECORD_FIELDS = [
  ...Object.keys(studentColumns),
  ...Object.keys(parentColumns).map((f) => prefixed('parent1', f)),
  ...Object.keys(parentColumns).map((f) => prefixed('parent2', f)),
  'alternateIds',
  'submissionId',
  'sourceRow',
  'receivedAt',
  'updatedAt',
];

function recordRow(submission: SubmissionSource, item: DocumentItem, now: Date) {
  const student = item.document.student;
  const row: Record<string, unknown> = {
    stateCode: submission.stateCode,
    stateStudentId: student.stateStudentId,
    childId: item.childId ?? null,
  };
  writeColumnsInto(row, studentColumns, student);
  writeColumnsInto(row, parentColumns, student.parent1, 'parent1');
  writeColumnsInto(row, parentColumns, student.parent2, 'parent2');
  // An empty list is kept as `[]` so the document reads back exactly as it was sent.
  row['alternateIds'] =
    student.alternateIds === undefined ? null : JSON.stringify(student.alternateIds);
  row['submissionId'] = submission.id;
  row['sourceRow'] = item.row;
  row['receivedAt'] = submission.receivedAt;
  row['createdAt'] = now;
  row['updatedAt'] = now;
  return row;
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
  const latest = new Map<string, DocumentItem>();
  for (const item of items) latest.set(item.document.student.stateStudentId, item);
  const batch = [...latest.values()];
  if (batch.length === 0) return new Map();

  const now = new Date();
  const records = batch.map((item) => recordRow(submission, item, now));
  const newChildren = options.newChildren
    ? records.filter((row, i) => batch[i]?.stored === false && row['childId'] === null)
    : [];
  const raw = rawConnectionOf(db.models.StudentRecord, tx);
  if (!raw) {
    await giveChildren(db, tx, newChildren);
    const ids = await upsertRecordsOrm(db, tx, submission, records);
    await writeItemsOrm(db, tx, batch, ids, submission);
    return ids;
  }

  // Everything is rendered before the first statement; only the ids are filled in between.
  const upsert = prepareInsert(raw, db.models.StudentRecord, records, {
    conflict: ['stateCode', 'stateStudentId'],
    update: REPLACED_RECORD_FIELDS,
    returning: ['id', 'stateStudentId'],
    late: ['childId'],
  });
  const inserts = recordItemKinds.map((kind) => {
    const { rows, owners } = itemRows(batch, kind, submission);
    const model = db.models.recordItems[kind.key];
    return {
      kind,
      rows,
      owners,
      insert: prepareInsert(raw, model, rows, { late: ['studentRecordId'] }),
    };
  });
  await giveChildren(db, tx, newChildren);
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

export interface SaveOptions {
  /**
   * Records not stored before (`stored: false`) and given no childId get a new child each,
   * created in the same transaction and linked as the record is inserted.
   */
  newChildren?: boolean;
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

/**
 * The rows of one item table for the batch, in document order; `owners[i]` is the student of
 * `rows[i]`, whose studentRecordId is filled in once the records are written.
 */
function itemRows(
  batch: readonly DocumentItem[],
  kind: (typeof recordItemKinds)[number],
  submission: SubmissionSource,
): { rows: Record<string, unknown>[]; owners: string[] } {
  const rows: Record<string, unknown>[] = [];
  const owners: string[] = [];
  for (const item of batch) {
    const owner = item.document.student.stateStudentId;
    const list: readonly object[] = item.document[kind.key];
    for (let position = 0; position < list.length; position++) {
      const row: Record<string, unknown> = { studentRecordId: 0, position };
      writeColumnsInto(row, kind.columns, list[position]);
      row['submissionId'] = submission.id;
      row['sourceRow'] = item.row;
      row['receivedAt'] = submission.receivedAt;
      rows.push(row);
      owners.push(owner);
    }
  }
  return { rows, owners };
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
