/**
 * Writing exchange documents (src/exchange/types.ts) to student_records and its item tables.
 * Set-based (CONVENTIONS.md "Hot paths are set-based"): a batch of any size costs one upsert of
 * the records, one select of their ids, and per item table one DELETE and one multi-row INSERT —
 * about ten statements, whatever the number of children (more only past the batch row limits).
 */
import { Op } from 'sequelize';
import type { Transaction } from 'sequelize';
import type { ExchangeDocument } from '../../exchange/types.js';
import { prefixed, writeColumns } from '../models/columns.js';
import { parentColumns, studentColumns } from '../models/exchange-columns.js';
import { recordItemKinds } from '../models/index.js';
import type { Store } from '../store.js';
import { bulkUpsert } from './bulk-upsert.js';
import { findRawRows } from './raw-rows.js';

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
  return {
    stateCode: submission.stateCode,
    stateStudentId: student.stateStudentId,
    ...writeColumns(studentColumns, student),
    ...writeColumns(parentColumns, student.parent1, 'parent1'),
    ...writeColumns(parentColumns, student.parent2, 'parent2'),
    // An empty list is kept as `[]` so the document reads back exactly as it was sent.
    alternateIds: student.alternateIds === undefined ? null : JSON.stringify(student.alternateIds),
    submissionId: submission.id,
    sourceRow: item.row,
    receivedAt: submission.receivedAt,
    createdAt: now,
    updatedAt: now,
  };
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
): Promise<Map<string, number>> {
  const latest = new Map<string, DocumentItem>();
  for (const item of items) latest.set(item.document.student.stateStudentId, item);
  const batch = [...latest.values()];
  if (batch.length === 0) return new Map();

  const now = new Date();
  const { StudentRecord } = db.models;
  await bulkUpsert(
    StudentRecord,
    batch.map((item) => recordRow(submission, item, now)),
    {
      conflict: ['stateCode', 'stateStudentId'],
      update: REPLACED_RECORD_FIELDS,
      transaction: tx,
    },
  );

  const ids = new Map<string, number>();
  for (const part of chunks([...latest.keys()])) {
    const rows = await findRawRows(StudentRecord, {
      attributes: ['id', 'stateStudentId'],
      where: { stateCode: submission.stateCode, stateStudentId: { [Op.in]: part } },
      transaction: tx,
    });
    for (const row of rows) ids.set(row.stateStudentId, Number(row.id));
  }

  const recordIds = [...ids.values()];
  for (const kind of recordItemKinds) {
    const model = db.models.recordItems[kind.key];
    for (const part of chunks(recordIds)) {
      await model.destroy({ where: { studentRecordId: { [Op.in]: part } }, transaction: tx });
    }
    const rows = batch.flatMap((item) => {
      const studentRecordId = ids.get(item.document.student.stateStudentId);
      if (studentRecordId === undefined) {
        throw new Error(`student record ${item.document.student.stateStudentId} was not saved`);
      }
      const list: readonly object[] = item.document[kind.key];
      return list.map((entry, position) => ({
        studentRecordId,
        position,
        ...writeColumns(kind.columns, entry),
        submissionId: submission.id,
        sourceRow: item.row,
        receivedAt: submission.receivedAt,
      }));
    });
    for (const part of chunks(rows)) {
      await model.bulkCreate(part, { transaction: tx, returning: false, hooks: false });
    }
  }
  return ids;
}
