/**
 * History of student records: before a newer submission overwrites or deletes a record, its whole
 * previous document is kept (DESIGN.md section 6: every change is reversible history). Set-based:
 * one multi-row INSERT per 500 records, from documents read by readStudentDocuments.
 */
import { Op } from 'sequelize';
import type { Transaction, WhereOptions } from 'sequelize';
import type { ExchangeDocument } from '../../exchange/types.js';
import { toTimestamp } from '../models/columns.js';
import type { HistoryAction, StudentRecordHistoryRow } from '../models/index.js';
import type { Store } from '../store.js';
import { insertRows, rawConnectionOf } from './bulk-insert.js';
import { findRawRows } from './raw-rows.js';
import type { StoredStudentDocument } from './read-student-documents.js';

const BATCH = 500;

export interface StudentRecordHistoryEntry {
  id: number;
  studentRecordId: number;
  stateCode: string;
  stateStudentId: string;
  action: HistoryAction;
  replacedBySubmissionId: number;
  previousSubmissionId: number;
  previousDocument: ExchangeDocument;
  replacedAt: Date;
}

export interface ArchiveOptions {
  action: HistoryAction;
  /** The submission that replaces or deletes the records. */
  replacedBySubmissionId: number;
  replacedAt: Date;
}

/** Keeps the stored documents as history rows; returns the number of rows written. */
export async function archiveStudentRecords(
  db: Store,
  tx: Transaction,
  previous: readonly StoredStudentDocument[],
  options: ArchiveOptions,
): Promise<number> {
  const rows = previous.map((stored) => ({
    studentRecordId: stored.studentRecordId,
    stateCode: stored.source.state,
    stateStudentId: stored.document.student.stateStudentId,
    action: options.action,
    replacedBySubmissionId: options.replacedBySubmissionId,
    previousSubmissionId: stored.source.submissionId,
    previousDocument: JSON.stringify(stored.document),
    replacedAt: options.replacedAt,
  }));
  const raw = rawConnectionOf(db.models.StudentRecordHistory, tx);
  if (raw) {
    await insertRows(raw, db.models.StudentRecordHistory, rows);
    return rows.length;
  }
  for (let i = 0; i < rows.length; i += BATCH) {
    await db.models.StudentRecordHistory.bulkCreate(rows.slice(i, i + BATCH), {
      transaction: tx,
      returning: false,
      hooks: false,
      validate: false,
    });
  }
  return rows.length;
}

export type HistoryQuery =
  | { studentRecordId: number }
  | { stateCode: string; stateStudentId: string }
  | { replacedBySubmissionId: number };

/** Oldest first. */
export async function listStudentRecordHistory(
  db: Store,
  query: HistoryQuery,
): Promise<StudentRecordHistoryEntry[]> {
  const where: WhereOptions<StudentRecordHistoryRow> =
    'studentRecordId' in query
      ? { studentRecordId: query.studentRecordId }
      : 'replacedBySubmissionId' in query
        ? { replacedBySubmissionId: query.replacedBySubmissionId }
        : { stateCode: query.stateCode, stateStudentId: { [Op.eq]: query.stateStudentId } };
  const rows = await findRawRows(db.models.StudentRecordHistory, {
    where,
    order: [
      ['replacedAt', 'ASC'],
      ['id', 'ASC'],
    ],
  });
  return rows.map((row) => ({
    id: Number(row.id),
    studentRecordId: Number(row.studentRecordId),
    stateCode: String(row.stateCode),
    stateStudentId: String(row.stateStudentId),
    action: row.action,
    replacedBySubmissionId: Number(row.replacedBySubmissionId),
    previousSubmissionId: Number(row.previousSubmissionId),
    previousDocument: JSON.parse(String(row.previousDocument)) as ExchangeDocument,
    replacedAt: toTimestamp(row.replacedAt),
  }));
}
