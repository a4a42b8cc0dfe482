/**
 * The stored counts (migration 0040): refresh, freeze, certify, read. A refresh replaces the
 * members of `computed` rows with one INSERT ... SELECT (count-sql.ts) and then folds them with
 * one grouped query; `frozen` and `certified` rows are never touched again by a refresh.
 */
import { QueryTypes } from 'sequelize';
import type { Transaction } from 'sequelize';
import type { IsoDate } from '../../exchange/types.js';
import { dialectOf } from '../../store/database.js';
import type { Dialect, Store } from '../../store/index.js';
import { foldGradeRows, type CountNumbers, type GradeRow } from './breakdowns.js';
import { insertMembersSql } from './count-sql.js';
import { inCountTransaction } from './count-transaction.js';
import type { PerformancePeriod } from './period.js';

export const countStatuses = ['computed', 'frozen', 'certified'] as const;
export type CountStatus = (typeof countStatuses)[number];

export interface StoredCount extends CountNumbers {
  id: number;
  state: string;
  period: string;
  status: CountStatus;
  countedThrough: IsoDate;
  computedAt: Date;
  frozenAt: Date | null;
  frozenBy: string | null;
  certifiedAt: Date | null;
  certifiedBy: string | null;
}

/** A freeze or certification the count's status does not allow (answered as 409). */
export class ChildCountStatusError extends Error {
  override readonly name = 'ChildCountStatusError';
}

export function dialectOfStore(store: Store): Dialect {
  return dialectOf(`${store.sequelize.getDialect()}:`);
}

/** A DATEONLY as the drivers answer it (text, or a Date at UTC midnight) as `YYYY-MM-DD`. */
export function isoDay(value: unknown): IsoDate {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

function timestamp(value: unknown): Date | null {
  return value === null || value === undefined ? null : new Date(value as string);
}

interface CountRow {
  id: number;
  state_code: string;
  period: string;
  status: CountStatus;
  counted_through: unknown;
  category1: number;
  category2: number;
  breakdowns: string;
  computed_at: unknown;
  frozen_at: unknown;
  frozen_by: string | null;
  certified_at: unknown;
  certified_by: string | null;
}

function fromRow(row: CountRow): StoredCount {
  const numbers = JSON.parse(row.breakdowns) as CountNumbers;
  return {
    id: Number(row.id),
    state: String(row.state_code).trim(),
    period: String(row.period).trim(),
    status: row.status,
    countedThrough: isoDay(row.counted_through),
    category1: numbers.category1,
    category2: numbers.category2,
    computedAt: timestamp(row.computed_at) ?? new Date(0),
    frozenAt: timestamp(row.frozen_at),
    frozenBy: row.frozen_by,
    certifiedAt: timestamp(row.certified_at),
    certifiedBy: row.certified_by,
  };
}

async function select<T extends object>(
  store: Store,
  sql: string,
  replacements: Record<string, unknown>,
  transaction?: Transaction,
): Promise<T[]> {
  return store.sequelize.query<T>(sql, {
    type: QueryTypes.SELECT,
    replacements,
    transaction: transaction ?? null,
  });
}

async function run(
  store: Store,
  sql: string,
  replacements: Record<string, unknown>,
  transaction: Transaction,
): Promise<void> {
  await store.sequelize.query(sql, { type: QueryTypes.RAW, replacements, transaction });
}

export async function findStoredCount(
  store: Store,
  state: string,
  period: string,
  transaction?: Transaction,
): Promise<StoredCount | null> {
  const [row] = await select<CountRow>(
    store,
    'SELECT * FROM child_counts WHERE state_code = :state AND period = :period',
    { state, period },
    transaction,
  );
  return row ? fromRow(row) : null;
}

export interface RefreshTarget {
  /** One state, or every state in `states` when several are given. */
  states: readonly string[];
  period: PerformancePeriod;
  countedThrough: IsoDate;
  now: Date;
}

const emptyNumbers = JSON.stringify(foldGradeRows([]));

/**
 * Recomputes the `computed` counts of `target.states` for the period (making the rows that do
 * not exist yet) and returns every stored count of those states for the period, frozen ones
 * included, unchanged. One INSERT ... SELECT for all the states together.
 */
export async function refreshStoredCounts(
  store: Store,
  target: RefreshTarget,
  outer?: Transaction,
): Promise<StoredCount[]> {
  const work = async (tx: Transaction): Promise<StoredCount[]> => {
    const { period, countedThrough, now } = target;
    const states = [...new Set(target.states.map((s) => s.toUpperCase()))].sort();
    if (states.length === 0) return [];
    const existing = await select<CountRow>(
      store,
      'SELECT * FROM child_counts WHERE period = :period AND state_code IN (:states)',
      { period: period.name, states },
      tx,
    );
    const have = new Set(existing.map((r) => String(r.state_code).trim()));
    for (const state of states.filter((s) => !have.has(s))) {
      await run(
        store,
        `INSERT INTO child_counts (state_code, period, status, counted_through, category1,
  category2, breakdowns, computed_at)
VALUES (:state, :period, 'computed', :through, 0, 0, :empty, :now)`,
        { state, period: period.name, through: countedThrough, empty: emptyNumbers, now },
        tx,
      );
    }
    const scope = { period: period.name, states };
    const computed = `SELECT id FROM child_counts
  WHERE period = :period AND status = 'computed' AND state_code IN (:states)`;
    await run(
      store,
      `UPDATE child_counts SET counted_through = :through, computed_at = :now
WHERE period = :period AND status = 'computed' AND state_code IN (:states)`,
      { ...scope, through: countedThrough, now },
      tx,
    );
    await run(
      store,
      `DELETE FROM child_count_members WHERE child_count_id IN (${computed})`,
      scope,
      tx,
    );
    const oneState = states.length === 1;
    await run(
      store,
      insertMembersSql(dialectOfStore(store), { oneState }),
      {
        period: period.name,
        states,
        from: period.start,
        through: countedThrough,
        ...(oneState ? { state: states[0] } : {}),
      },
      tx,
    );
    const grouped = await select<GradeRow & { child_count_id: number }>(
      store,
      `SELECT m.child_count_id, m.category, m.grade, COUNT(*) AS children,
  SUM(m.priority_for_services) AS priority_for_services, SUM(m.english_learner) AS english_learner,
  SUM(m.iep) AS iep, SUM(m.qad_in_period) AS qad_in_period
FROM child_count_members m
WHERE m.child_count_id IN (${computed})
GROUP BY m.child_count_id, m.category, m.grade`,
      scope,
      tx,
    );
    const rows = await select<CountRow>(
      store,
      'SELECT * FROM child_counts WHERE period = :period AND state_code IN (:states)',
      scope,
      tx,
    );
    const out: StoredCount[] = [];
    for (const row of rows) {
      if (row.status !== 'computed') {
        out.push(fromRow(row));
        continue;
      }
      const numbers = foldGradeRows(grouped.filter((g) => Number(g.child_count_id) === row.id));
      await run(
        store,
        `UPDATE child_counts SET category1 = :c1, category2 = :c2, breakdowns = :breakdowns
WHERE id = :id`,
        {
          id: row.id,
          c1: numbers.category1.total,
          c2: numbers.category2.total,
          breakdowns: JSON.stringify(numbers),
        },
        tx,
      );
      out.push(
        fromRow({
          ...row,
          category1: numbers.category1.total,
          category2: numbers.category2.total,
          breakdowns: JSON.stringify(numbers),
        }),
      );
    }
    return out.sort((a, b) => a.state.localeCompare(b.state));
  };
  const many = new Set(target.states.map((s) => s.toUpperCase())).size > 1;
  return inCountTransaction(store, work, outer, many ? 'many-states' : 'one-state');
}

export interface FreezeInput {
  state: string;
  period: PerformancePeriod;
  countedThrough: IsoDate;
  by: string;
  now: Date;
}

/**
 * Recomputes the state's count through `countedThrough` and freezes it: later uploads and the
 * nightly refresh no longer change it. A frozen count may be frozen again (a new "as of") until
 * it is certified; a certified count never changes.
 */
export async function freezeCount(store: Store, input: FreezeInput): Promise<StoredCount> {
  return store.sequelize.transaction(async (tx) => {
    const { state, period, now } = input;
    const current = await findStoredCount(store, state, period.name, tx);
    if (current?.status === 'certified') {
      throw new ChildCountStatusError(
        `The ${period.name} count of ${state} was certified on ` +
          `${current.certifiedAt?.toISOString()}; it cannot be frozen again.`,
      );
    }
    if (current) {
      await run(
        store,
        `UPDATE child_counts SET status = 'computed', frozen_at = NULL, frozen_by = NULL
WHERE id = :id`,
        { id: current.id },
        tx,
      );
    }
    await refreshStoredCounts(
      store,
      { states: [state], period, countedThrough: input.countedThrough, now },
      tx,
    );
    await run(
      store,
      `UPDATE child_counts SET status = 'frozen', frozen_at = :now, frozen_by = :by
WHERE state_code = :state AND period = :period`,
      { state, period: period.name, now, by: input.by },
      tx,
    );
    const frozen = await findStoredCount(store, state, period.name, tx);
    if (!frozen) throw new Error(`the ${period.name} count of ${state} was not stored`);
    return frozen;
  });
}

/** Certifies a frozen count: the state's statement that this is the number it submits. */
export async function certifyCount(
  store: Store,
  input: { state: string; period: PerformancePeriod; by: string; now: Date },
): Promise<StoredCount> {
  return store.sequelize.transaction(async (tx) => {
    const { state, period } = input;
    const current = await findStoredCount(store, state, period.name, tx);
    if (current?.status !== 'frozen') {
      throw new ChildCountStatusError(
        current?.status === 'certified'
          ? `The ${period.name} count of ${state} is already certified.`
          : `Freeze the ${period.name} count of ${state} (as of a date) before certifying it.`,
      );
    }
    await run(
      store,
      `UPDATE child_counts SET status = 'certified', certified_at = :now, certified_by = :by
WHERE id = :id AND status = 'frozen'`,
      { id: current.id, now: input.now, by: input.by },
      tx,
    );
    return { ...current, status: 'certified', certifiedAt: input.now, certifiedBy: input.by };
  });
}

export interface CountedChild {
  category: 1 | 2;
  childId: string;
  stateStudentId: string;
  studentRecordId: number;
  grade: string;
  priorityForServices: boolean;
  englishLearner: boolean;
  iep: boolean;
  qadInPeriod: boolean;
  /** The first and last day of the period on which the child counted. */
  firstDay: IsoDate;
  lastDay: IsoDate;
}

interface MemberRow {
  category: number;
  child_id: string;
  student_record_id: number;
  state_student_id: string;
  grade: string;
  priority_for_services: number;
  english_learner: number;
  iep: number;
  qad_in_period: number;
  first_day: unknown;
  last_day: unknown;
}

/** The children behind a stored count, by category then state student ID. */
export async function listCountedChildren(
  store: Store,
  countId: number,
  category?: 1 | 2,
): Promise<CountedChild[]> {
  const rows = await select<MemberRow>(
    store,
    `SELECT category, child_id, student_record_id, state_student_id, grade,
  priority_for_services, english_learner, iep, qad_in_period, first_day, last_day
FROM child_count_members
WHERE child_count_id = :countId${category ? ' AND category = :category' : ''}
ORDER BY category, state_student_id, child_id`,
    { countId, ...(category ? { category } : {}) },
  );
  return rows.map((r) => ({
    category: Number(r.category) === 2 ? 2 : 1,
    childId: String(r.child_id).trim(),
    stateStudentId: String(r.state_student_id),
    studentRecordId: Number(r.student_record_id),
    grade: String(r.grade).trim(),
    priorityForServices: Number(r.priority_for_services) === 1,
    englishLearner: Number(r.english_learner) === 1,
    iep: Number(r.iep) === 1,
    qadInPeriod: Number(r.qad_in_period) === 1,
    firstDay: isoDay(r.first_day),
    lastDay: isoDay(r.last_day),
  }));
}
