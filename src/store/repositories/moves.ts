/**
 * Moves read off the consolidated record (`student_records.child_id` is the link to the child)
 * and move notices. Detection is one set-based query: for every child touched by the new
 * submissions, the child's items across all states in date order, each compared with the one
 * before it (LAG), keeping the new items that change state, or district within a state.
 */
import type { Transaction } from 'sequelize';
import type { Store } from '../store.js';
import {
  changeRows,
  insertReturningId,
  insertRows,
  limitParts,
  selectRows,
  toDate,
  toDateOrNull,
  toIsoDay,
} from './sql-statements.js';

export interface MoveCandidate {
  childId: string;
  fromState: string | null;
  fromDistrict: string | null;
  toState: string;
  toDistrict: string | null;
  movedOn: string;
  submissionId: number;
  /** enrollment | qualifying-move: what showed the move. */
  evidence: 'enrollment' | 'qualifying-move';
  firstName: string | null;
  lastName1: string | null;
  lastName2: string | null;
  birthDate: string | null;
  schoolName: string | null;
  medicalAlert: string | null;
  immunizationRecord: boolean | null;
}

/**
 * The highest submission id whose items can all be read: every submission up to it is finished,
 * so a long ingest that commits after a later one is not skipped by the watermark.
 */
export async function readableSubmissionCeiling(db: Store): Promise<number> {
  const [row] = await selectRows<{ top_done: number | null; first_open: number | null }>(
    db,
    `SELECT (SELECT MAX(id) FROM submissions) AS top_done,
            (SELECT MIN(id) FROM submissions WHERE status IN ('received', 'processing')) AS first_open`,
  );
  const top = Number(row?.top_done ?? 0);
  const open =
    row?.first_open === null || row?.first_open === undefined ? null : Number(row.first_open);
  return open === null ? top : Math.min(top, open - 1);
}

const orderWindow = 'PARTITION BY child_id ORDER BY on_date, kind_order, item_id';

export async function findMoveCandidates(
  db: Store,
  afterSubmissionId: number,
  upToSubmissionId: number,
): Promise<MoveCandidate[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `WITH touched AS (
        SELECT DISTINCT child_id FROM student_records
         WHERE child_id IS NOT NULL AND submission_id > :after AND submission_id <= :upTo
     ), items AS (
        SELECT sr.child_id, sr.state_code AS state, e.district_id AS district,
               e.enrollment_date AS on_date, 1 AS kind_order, e.id AS item_id,
               e.submission_id, sr.first_name, sr.last_name1, sr.last_name2, sr.birth_date,
               e.school_name, e.medical_alert, e.immunization_record
          FROM enrollments e JOIN student_records sr ON sr.id = e.student_record_id
         WHERE sr.child_id IN (SELECT child_id FROM touched)
        UNION ALL
        SELECT sr.child_id, q.to_state, NULL, q.qualifying_arrival_date, 0, q.id,
               q.submission_id, sr.first_name, sr.last_name1, sr.last_name2, sr.birth_date,
               NULL, NULL, NULL
          FROM qualifying_moves q JOIN student_records sr ON sr.id = q.student_record_id
         WHERE sr.child_id IN (SELECT child_id FROM touched)
     ), by_state AS (
        SELECT items.*,
               LAG(state) OVER (${orderWindow}) AS prev_state,
               LAG(district) OVER (${orderWindow}) AS prev_district
          FROM items
     ), by_district AS (
        SELECT items.*,
               LAG(state) OVER (${orderWindow}) AS prev_state,
               LAG(district) OVER (${orderWindow}) AS prev_district
          FROM items WHERE kind_order = 1
     )
     SELECT * FROM by_state
      WHERE submission_id > :after AND submission_id <= :upTo
        AND prev_state IS NOT NULL AND state <> prev_state
     UNION ALL
     SELECT * FROM by_district
      WHERE submission_id > :after AND submission_id <= :upTo
        AND state = prev_state AND district IS NOT NULL AND prev_district IS NOT NULL
        AND district <> prev_district`,
    { after: afterSubmissionId, upTo: upToSubmissionId },
  );
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v).trim());
  return rows.map((r) => ({
    childId: String(r['child_id']).trim(),
    fromState: text(r['prev_state']),
    fromDistrict: text(r['prev_district']),
    toState: String(r['state']).trim(),
    toDistrict: text(r['district']),
    movedOn: toIsoDay(r['on_date']),
    submissionId: Number(r['submission_id']),
    evidence: Number(r['kind_order']) === 1 ? 'enrollment' : 'qualifying-move',
    firstName: text(r['first_name']),
    lastName1: text(r['last_name1']),
    lastName2: text(r['last_name2']),
    birthDate: r['birth_date'] ? toIsoDay(r['birth_date']) : null,
    schoolName: text(r['school_name']),
    medicalAlert: text(r['medical_alert']),
    immunizationRecord:
      r['immunization_record'] === null || r['immunization_record'] === undefined
        ? null
        : Boolean(r['immunization_record']),
  }));
}

export interface MoveInput {
  dedupeKey: string;
  childId: string;
  kind: 'detected' | 'notice-enrolled';
  fromState: string | null;
  fromDistrict: string | null;
  toState: string;
  toDistrict: string | null;
  movedOn: string;
  detectedAt: Date;
  notifiedState: string | null;
  sourceSubmissionId: number | null;
}

/** Inserts the moves whose key is new (inside `transaction`); returns the ones inserted. */
export async function insertNewMoves(
  db: Store,
  transaction: Transaction,
  moves: readonly MoveInput[],
): Promise<MoveInput[]> {
  const unique = new Map(moves.map((m) => [m.dedupeKey, m]));
  const keys = [...unique.keys()];
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await selectRows<{ dedupe_key: string }>(
      db,
      'SELECT dedupe_key FROM moves WHERE dedupe_key IN (:keys)',
      { keys: keys.slice(i, i + 1000) },
      transaction,
    );
    for (const r of rows) unique.delete(r.dedupe_key);
  }
  const fresh = [...unique.values()];
  await insertRows(
    db,
    'moves',
    [
      'dedupe_key',
      'child_id',
      'kind',
      'from_state',
      'from_district',
      'to_state',
      'to_district',
      'moved_on',
      'detected_at',
      'notified_state',
      'source_submission_id',
    ],
    fresh.map((m) => ({
      dedupe_key: m.dedupeKey,
      child_id: m.childId,
      kind: m.kind,
      from_state: m.fromState,
      from_district: m.fromDistrict,
      to_state: m.toState,
      to_district: m.toDistrict,
      moved_on: m.movedOn,
      detected_at: m.detectedAt,
      notified_state: m.notifiedState,
      source_submission_id: m.sourceSubmissionId,
    })),
    transaction,
  );
  return fresh;
}

export interface MoveNoticeInput {
  childId: string;
  fromState: string;
  toState: string;
  toCity: string | null;
  departureDate: string;
  forwardingAddress: string | null;
  comment: string | null;
  createdBy: string;
}

export interface MoveNotice extends MoveNoticeInput {
  id: number;
  createdAt: Date;
  status: 'open' | 'enrolled';
  enrolledAt: Date | null;
}

function noticeOf(r: Record<string, unknown>): MoveNotice {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(r['id']),
    childId: String(r['child_id']).trim(),
    fromState: String(r['from_state']).trim(),
    toState: String(r['to_state']).trim(),
    toCity: text(r['to_city']),
    departureDate: toIsoDay(r['departure_date']),
    forwardingAddress: text(r['forwarding_address']),
    comment: text(r['comment']),
    createdBy: String(r['created_by']),
    createdAt: toDate(r['created_at']),
    status: r['status'] === 'enrolled' ? 'enrolled' : 'open',
    enrolledAt: toDateOrNull(r['enrolled_at']),
  };
}

export async function childExists(db: Store, childId: string): Promise<boolean> {
  const rows = await selectRows(db, 'SELECT child_id FROM children WHERE child_id = :childId', {
    childId,
  });
  return rows.length > 0;
}

/** The state and district of the child's latest enrollment, if any. */
export async function lastKnownPlace(
  db: Store,
  childId: string,
): Promise<{ state: string; district: string | null } | null> {
  const { top, limit } = limitParts(db, 1);
  const [row] = await selectRows<Record<string, unknown>>(
    db,
    `SELECT ${top} sr.state_code, e.district_id FROM enrollments e
       JOIN student_records sr ON sr.id = e.student_record_id
      WHERE sr.child_id = :childId ORDER BY e.enrollment_date DESC, e.id DESC ${limit}`,
    { childId },
  );
  return row
    ? {
        state: String(row['state_code']).trim(),
        district: row['district_id'] === null ? null : String(row['district_id']),
      }
    : null;
}

export async function insertMoveNotice(
  db: Store,
  transaction: Transaction,
  notice: MoveNoticeInput,
  now: Date,
): Promise<MoveNotice> {
  const columns =
    '(child_id, from_state, to_state, to_city, departure_date, forwarding_address, comment, created_by, created_at, status)';
  const values =
    "(:childId, :fromState, :toState, :toCity, :departureDate, :forwardingAddress, :comment, :createdBy, :now, 'open')";
  const id = await insertReturningId(
    db,
    'move_notices',
    columns,
    values,
    { ...notice, now },
    transaction,
  );
  return { ...notice, id, createdAt: now, status: 'open', enrolledAt: null };
}

export async function listMoveNotices(
  db: Store,
  opts: { toState: string; status?: 'open' | 'enrolled'; limit?: number },
): Promise<MoveNotice[]> {
  const { top, limit } = limitParts(db, Math.min(opts.limit ?? 200, 1000));
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `SELECT ${top} * FROM move_notices WHERE to_state = :toState
        ${opts.status ? 'AND status = :status' : ''}
      ORDER BY created_at DESC, id DESC ${limit}`,
    { toState: opts.toState, status: opts.status },
  );
  return rows.map(noticeOf);
}

/** Notices a state sent (its staff's own), newest first. */
export async function listSentMoveNotices(
  db: Store,
  opts: { fromState: string; limit?: number },
): Promise<MoveNotice[]> {
  const { top, limit } = limitParts(db, Math.min(opts.limit ?? 200, 1000));
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `SELECT ${top} * FROM move_notices WHERE from_state = :fromState
      ORDER BY created_at DESC, id DESC ${limit}`,
    { fromState: opts.fromState },
  );
  return rows.map(noticeOf);
}

/** Open notices whose receiving state has since sent an enrollment of the child. */
export async function findEnrolledNotices(db: Store): Promise<MoveNotice[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `SELECT n.* FROM move_notices n
      WHERE n.status = 'open'
        AND EXISTS (SELECT 1 FROM student_records sr
                      JOIN enrollments e ON e.student_record_id = sr.id
                     WHERE sr.child_id = n.child_id AND sr.state_code = n.to_state
                       AND e.received_at >= n.created_at)`,
  );
  return rows.map(noticeOf);
}

export async function markNoticesEnrolled(
  db: Store,
  transaction: Transaction,
  ids: readonly number[],
  now: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  return changeRows(
    db,
    `UPDATE move_notices SET status = 'enrolled', enrolled_at = :now
      WHERE id IN (:ids) AND status = 'open'`,
    { ids, now },
    transaction,
  );
}

export interface StoredMove {
  id: number;
  childId: string;
  kind: string;
  fromState: string | null;
  toState: string;
  movedOn: string;
  detectedAt: Date;
  notifiedState: string | null;
}

/** Moves whose 4-working-day clock runs for `state`, detected since `since`. */
export async function listMovesNotifying(
  db: Store,
  state: string,
  since: Date,
): Promise<Array<StoredMove & { dataSentAt: Date | null }>> {
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `SELECT m.id, m.child_id, m.kind, m.from_state, m.to_state, m.moved_on, m.detected_at,
            m.notified_state,
            (SELECT MIN(sr.received_at) FROM student_records sr
              WHERE sr.child_id = m.child_id AND sr.state_code = m.notified_state
                AND sr.received_at >= m.detected_at) AS data_sent_at
       FROM moves m
      WHERE m.notified_state = :state AND m.detected_at >= :since
      ORDER BY m.detected_at`,
    { state, since },
  );
  return rows.map((r) => ({
    id: Number(r['id']),
    childId: String(r['child_id']).trim(),
    kind: String(r['kind']),
    fromState: r['from_state'] === null ? null : String(r['from_state']).trim(),
    toState: String(r['to_state']).trim(),
    movedOn: toIsoDay(r['moved_on']),
    detectedAt: toDate(r['detected_at']),
    notifiedState: r['notified_state'] === null ? null : String(r['notified_state']).trim(),
    dataSentAt: toDateOrNull(r['data_sent_at']),
  }));
}
