/**
 * What linking does to children (DESIGN.md section 6): the facts a candidate child is judged by
 * (states, multiple birth, lock), its latest enrollment for worklist assignment, moving records
 * between children, merges and the before/after snapshots that make every change reversible.
 */
import { Op, QueryTypes } from 'sequelize';
import type { Transaction } from 'sequelize';
import type { Store } from '../store.js';
import { chunks } from './linkage.js';
import { findRawRows } from './raw-rows.js';

export interface ChildFacts {
  /** States that already hold a record of the child. */
  states: Set<string>;
  /** Any record of the child says it is one of a multiple birth. */
  multipleBirth: boolean;
  locked: boolean;
  /** The child is active (not merged into another, not split). */
  active: boolean;
}

/**
 * For each child: its records' states, whether any says multiple birth, whether it is locked,
 * whether it is active. One statement per 500 children (linking asks this for every pair that
 * scores, so each round trip counts): the records joined to their child and to its lock.
 */
export async function readChildFacts(
  db: Store,
  tx: Transaction | undefined,
  childIds: readonly string[],
): Promise<Map<string, ChildFacts>> {
  const out = new Map<string, ChildFacts>();
  for (const part of chunks([...new Set(childIds)])) {
    const marks = part.map((id) => db.sequelize.escape(id)).join(', ');
    const rows = await db.sequelize.query<{
      childId: string;
      stateCode: string;
      multipleBirth: unknown;
      status: string;
      locked: unknown;
    }>(
      `SELECT r.child_id AS "childId", r.state_code AS "stateCode",
         r.multiple_birth AS "multipleBirth", c.status AS "status", l.child_id AS "locked"
       FROM student_records r
       JOIN children c ON c.child_id = r.child_id
       LEFT JOIN child_locks l ON l.child_id = r.child_id
       WHERE r.child_id IN (${marks})`,
      { type: QueryTypes.SELECT, transaction: tx ?? null },
    );
    for (const row of rows) {
      const id = String(row.childId).trim();
      const facts = out.get(id) ?? {
        states: new Set<string>(),
        multipleBirth: false,
        locked: row.locked !== null && row.locked !== undefined,
        active: String(row.status).trim() === 'active',
      };
      facts.states.add(String(row.stateCode).trim());
      const mb = row.multipleBirth;
      if (mb === true || Number(mb) === 1) facts.multipleBirth = true;
      out.set(id, facts);
    }
  }
  return out;
}

export interface LatestEnrollment {
  stateCode: string;
  districtId: string | null;
  enrollmentDate: string;
}

/** The most recent enrollment of each child (by enrollment date, then record id). */
export async function latestEnrollments(
  db: Store,
  tx: Transaction | undefined,
  childIds: readonly string[],
): Promise<Map<string, LatestEnrollment>> {
  const out = new Map<string, LatestEnrollment>();
  for (const part of chunks([...new Set(childIds)])) {
    const marks = part.map((id) => db.sequelize.escape(id)).join(', ');
    const rows = await db.sequelize.query<{
      childId: string;
      stateCode: string;
      districtId: string | null;
      enrollmentDate: unknown;
    }>(
      `SELECT r.child_id AS "childId", r.state_code AS "stateCode", e.district_id AS "districtId",
         e.enrollment_date AS "enrollmentDate"
       FROM enrollments e JOIN student_records r ON r.id = e.student_record_id
       WHERE r.child_id IN (${marks})`,
      { type: QueryTypes.SELECT, transaction: tx ?? null },
    );
    for (const row of rows) {
      const id = String(row.childId).trim();
      const date =
        row.enrollmentDate instanceof Date
          ? row.enrollmentDate.toISOString().slice(0, 10)
          : String(row.enrollmentDate).slice(0, 10);
      const known = out.get(id);
      if (!known || date > known.enrollmentDate) {
        out.set(id, { stateCode: row.stateCode, districtId: row.districtId, enrollmentDate: date });
      }
    }
  }
  return out;
}

/** Moves records to a child: one UPDATE per 500 of student_records and of record_links. */
export async function moveRecordsToChild(
  db: Store,
  tx: Transaction | undefined,
  studentRecordIds: readonly number[],
  childId: string,
): Promise<void> {
  for (const part of chunks(studentRecordIds)) {
    const where = { id: { [Op.in]: part } };
    await db.models.StudentRecord.update({ childId }, { where, transaction: tx ?? null });
    await db.models.RecordLink.update(
      { childId },
      { where: { studentRecordId: { [Op.in]: part } }, transaction: tx ?? null },
    );
  }
}

/** Deletes children that no record points to any more (made this transaction, then linked). */
export async function deleteUnusedChildren(
  db: Store,
  tx: Transaction | undefined,
  childIds: readonly string[],
): Promise<void> {
  for (const part of chunks(childIds)) {
    await db.models.Child.destroy({
      where: { childId: { [Op.in]: part } },
      transaction: tx ?? null,
    });
  }
}

/** Which records each of these children holds, and the children's status: a change's before/after. */
export async function linkageSnapshot(
  db: Store,
  tx: Transaction | undefined,
  childIds: readonly string[],
): Promise<{
  records: Record<string, string>;
  children: Record<string, { status: string; mergedInto: string | null }>;
}> {
  const records: Record<string, string> = {};
  const children: Record<string, { status: string; mergedInto: string | null }> = {};
  for (const part of chunks([...new Set(childIds)])) {
    const rows = await findRawRows(db.models.StudentRecord, {
      attributes: ['id', 'childId'],
      where: { childId: { [Op.in]: part } },
      transaction: tx ?? null,
    });
    for (const row of rows) records[String(row.id)] = String(row.childId).trim();
    const kids = await findRawRows(db.models.Child, {
      where: { childId: { [Op.in]: part } },
      transaction: tx ?? null,
    });
    for (const kid of kids) {
      children[String(kid.childId).trim()] = {
        status: kid.status,
        mergedInto: kid.mergedInto === null ? null : String(kid.mergedInto).trim(),
      };
    }
  }
  return { records, children };
}

export async function setChildStatus(
  db: Store,
  tx: Transaction | undefined,
  childIds: readonly string[],
  status: 'active' | 'merged' | 'split',
  mergedInto: string | null,
): Promise<void> {
  if (childIds.length === 0) return;
  await db.models.Child.update(
    { status, mergedInto, updatedAt: new Date() },
    { where: { childId: { [Op.in]: [...childIds] } }, transaction: tx ?? null },
  );
}

/** Children that merged into one of these are redirected to the new master. */
export async function redirectMergedChildren(
  db: Store,
  tx: Transaction | undefined,
  from: readonly string[],
  to: string,
): Promise<void> {
  if (from.length === 0) return;
  await db.models.Child.update(
    { mergedInto: to, updatedAt: new Date() },
    { where: { mergedInto: { [Op.in]: [...from] } }, transaction: tx ?? null },
  );
}
