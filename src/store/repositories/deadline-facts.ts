/** What the 34 CFR 200.85 deadline list is computed from: items and when they were received. */
import type { Store } from '../store.js';
import { selectRows, toDate, toIsoDay } from './sql-statements.js';

export interface CertificateFact {
  studentRecordId: number;
  childId: string | null;
  qualifyingArrivalDate: string;
  receivedAt: Date;
}

/** Qualifying moves (one per eligibility certificate) a state sent, QAD on or after `sinceDay`. */
export async function certificateFacts(
  db: Store,
  state: string,
  sinceDay: string,
): Promise<CertificateFact[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `SELECT q.student_record_id, sr.child_id, q.qualifying_arrival_date, q.received_at
       FROM qualifying_moves q JOIN student_records sr ON sr.id = q.student_record_id
      WHERE sr.state_code = :state AND q.qualifying_arrival_date >= :sinceDay
      ORDER BY q.qualifying_arrival_date, q.id`,
    { state, sinceDay },
  );
  return rows.map((r) => ({
    studentRecordId: Number(r['student_record_id']),
    childId: r['child_id'] === null ? null : String(r['child_id']).trim(),
    qualifyingArrivalDate: toIsoDay(r['qualifying_arrival_date']),
    receivedAt: toDate(r['received_at']),
  }));
}

export interface TermFact {
  studentRecordId: number;
  childId: string | null;
  receivedAt: Date;
}

/** The state's records with an enrollment overlapping the term, and when each was last received. */
export async function termFacts(
  db: Store,
  state: string,
  term: { start: string; end: string },
): Promise<TermFact[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `SELECT sr.id, sr.child_id, sr.received_at FROM student_records sr
      WHERE sr.state_code = :state
        AND EXISTS (SELECT 1 FROM enrollments e WHERE e.student_record_id = sr.id
                       AND e.enrollment_date <= :end
                       AND (e.withdrawal_date IS NULL OR e.withdrawal_date >= :start))
      ORDER BY sr.id`,
    { state, start: term.start, end: term.end },
  );
  return rows.map((r) => ({
    studentRecordId: Number(r['id']),
    childId: r['child_id'] === null ? null : String(r['child_id']).trim(),
    receivedAt: toDate(r['received_at']),
  }));
}
