/**
 * Set-based look-ups and deletes of student records by a state's student IDs, for ingest: one
 * SELECT per 500 IDs, and one DELETE per item table and per 500 records.
 */
import { Op, QueryTypes } from 'sequelize';
import type { Transaction } from 'sequelize';
import { recordItemKinds } from '../models/index.js';
import type { Store } from '../store.js';
import { findRawRows } from './raw-rows.js';

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
 * has, a new record of `stateCode` has no cross-state candidate to be linked to. The lowest and
 * highest state codes stored: each is one step into an index on state_code whatever the
 * planner's statistics say (a `<>` or `< ... LIMIT 1` can become a scan of the state's own
 * records when a large ingest has outgrown the statistics).
 */
export async function otherStatesHaveRecords(
  db: Store,
  tx: Transaction | undefined,
  stateCode: string,
): Promise<boolean> {
  const [row] = await db.sequelize.query<{ lowest: string | null; highest: string | null }>(
    'SELECT MIN(state_code) AS lowest, MAX(state_code) AS highest FROM student_records',
    { type: QueryTypes.SELECT, transaction: tx ?? null },
  );
  const code = stateCode.trim();
  const lowest = row?.lowest?.trim();
  const highest = row?.highest?.trim();
  return (lowest !== undefined && lowest !== code) || (highest !== undefined && highest !== code);
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
