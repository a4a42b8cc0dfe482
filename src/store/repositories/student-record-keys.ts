/**
 * Set-based look-ups and deletes of student records by a state's student IDs, for ingest: one
 * SELECT per 500 IDs, and one DELETE per item table and per 500 records.
 */
import { Op } from 'sequelize';
import type { Transaction } from 'sequelize';
import { recordItemKinds } from '../models/index.js';
import type { Store } from '../store.js';
import { findRawRow, findRawRows } from './raw-rows.js';

const BATCH = 500;

export interface StoredRecordKey {
  studentRecordId: number;
  stateStudentId: string;
  /** The submission that last wrote the record. */
  submissionId: number;
  childId: string | null;
}

/** The stored records of these student IDs of one state, by student ID; unknown IDs are absent. */
export async function findStoredRecords(
  db: Store,
  tx: Transaction | undefined,
  stateCode: string,
  stateStudentIds: readonly string[],
): Promise<Map<string, StoredRecordKey>> {
  const found = new Map<string, StoredRecordKey>();
  for (let i = 0; i < stateStudentIds.length; i += BATCH) {
    const rows = await findRawRows(db.models.StudentRecord, {
      attributes: ['id', 'stateStudentId', 'submissionId', 'childId'],
      where: { stateCode, stateStudentId: { [Op.in]: stateStudentIds.slice(i, i + BATCH) } },
      transaction: tx ?? null,
    });
    for (const row of rows) {
      found.set(row.stateStudentId, {
        studentRecordId: Number(row.id),
        stateStudentId: row.stateStudentId,
        submissionId: Number(row.submissionId),
        childId: row.childId === null ? null : String(row.childId).trim(),
      });
    }
  }
  return found;
}

/**
 * Whether a state other than `stateCode` has a record stored (as `tx` sees the store). When none
 * has, a new record of `stateCode` has no cross-state candidate to be linked to. Two probes of
 * the index on state_code, below and above the code, rather than a `<>` scan through the
 * state's own records.
 */
export async function otherStatesHaveRecords(
  db: Store,
  tx: Transaction | undefined,
  stateCode: string,
): Promise<boolean> {
  for (const op of [Op.lt, Op.gt]) {
    const row = await findRawRow(db.models.StudentRecord, {
      attributes: ['id'],
      where: { stateCode: { [op]: stateCode } },
      transaction: tx ?? null,
    });
    if (row) return true;
  }
  return false;
}

/**
 * Deletes the records and their moves, enrollments, courses and assessments. The items are
 * deleted explicitly rather than left to ON DELETE CASCADE, so the result does not hang on a
 * connection setting (SQLite enforces foreign keys only when asked). Returns records deleted.
 */
export async function deleteStudentRecords(
  db: Store,
  tx: Transaction,
  studentRecordIds: readonly number[],
): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < studentRecordIds.length; i += BATCH) {
    const part = studentRecordIds.slice(i, i + BATCH);
    for (const kind of recordItemKinds) {
      await db.models.recordItems[kind.key].destroy({
        where: { studentRecordId: { [Op.in]: part } },
        transaction: tx,
      });
    }
    deleted += await db.models.StudentRecord.destroy({
      where: { id: { [Op.in]: part } },
      transaction: tx,
    });
  }
  return deleted;
}
