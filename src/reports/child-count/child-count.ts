/**
 * Category 1 and 2 child counts per state and performance period (DESIGN.md section 8): what the
 * CLI, the API and the nightly job call. The SQL is in count-sql.ts, the stored counts in
 * stored-counts.ts.
 */
import { QueryTypes, UniqueConstraintError } from 'sequelize';
import type { Config } from '../../config/index.js';
import { compareIsoDates, todayUtc } from '../../exchange/dates.js';
import type { IsoDate } from '../../exchange/types.js';
import type { Store } from '../../store/index.js';
import { foldGradeRows, type CountNumbers, type GradeRow } from './breakdowns.js';
import { countsSelect } from './count-sql.js';
import {
  ChildCountInputError,
  countedThrough,
  parsePeriod,
  periodContaining,
  previousPeriod,
  type PerformancePeriod,
} from './period.js';
import { inCountTransaction } from './count-transaction.js';
import { dialectOfStore, findStoredCount, refreshStoredCounts } from './stored-counts.js';
import type { StoredCount } from './stored-counts.js';

/**
 * The last day to count when the caller names none: the period's end once it is over, today
 * while it runs (later days have not happened). A period that has not started has nothing to count.
 */
export function defaultCountedThrough(period: PerformancePeriod, now: Date): IsoDate {
  const today = todayUtc(now);
  if (compareIsoDates(today, period.start) < 0) {
    throw new ChildCountInputError(`the period ${period.name} has not started yet`);
  }
  return countedThrough(period, today);
}

export interface ChildCountRequest {
  state: string;
  period: string;
  /** Count days through this date only (default: the period's end, or today while it runs). */
  asOf?: IsoDate;
  now?: Date;
}

/**
 * The state's count for the period: the frozen or certified one when the state has frozen it
 * (a later upload cannot change a submitted number; `asOf` is then ignored), otherwise computed
 * afresh and stored in place of the previous unfrozen one.
 */
export async function childCountReport(
  store: Store,
  request: ChildCountRequest,
): Promise<StoredCount> {
  const period = parsePeriod(request.period);
  const state = request.state.toUpperCase();
  const now = request.now ?? new Date();
  const stored = await findStoredCount(store, state, period.name);
  if (stored && stored.status !== 'computed') return stored;
  const through =
    request.asOf === undefined
      ? defaultCountedThrough(period, now)
      : countedThrough(period, request.asOf);
  const target = { states: [state], period, countedThrough: through, now };
  // Two first reads of a count at once both insert its row; the loser retries once, by then
  // updating the winner's row (UNIQUE(state_code, period) decides, not a prior lookup).
  const [count] = await refreshStoredCounts(store, target).catch((err: unknown) => {
    if (err instanceof UniqueConstraintError) return refreshStoredCounts(store, target);
    throw err;
  });
  if (!count) throw new Error(`the ${period.name} count of ${state} was not stored`);
  return count;
}

/**
 * The counts of every state with data (or of `state`) without storing anything: one grouped
 * query. For the benchmark and for checks; reports go through `childCountReport`.
 */
export async function computeChildCounts(
  store: Store,
  options: { period: string; asOf?: IsoDate; state?: string },
): Promise<Map<string, CountNumbers>> {
  const period = parsePeriod(options.period);
  const through = countedThrough(period, options.asOf);
  const oneState = options.state !== undefined;
  const rows = await inCountTransaction(
    store,
    (transaction) =>
      store.sequelize.query<GradeRow & { state_code: string }>(
        countsSelect(dialectOfStore(store), { oneState }),
        {
          type: QueryTypes.SELECT,
          transaction,
          replacements: {
            from: period.start,
            through,
            ...(oneState ? { state: options.state?.toUpperCase() } : {}),
          },
        },
      ),
    undefined,
    oneState ? 'one-state' : 'many-states',
  );
  const byState = new Map<string, GradeRow[]>();
  for (const row of rows) {
    const state = String(row.state_code).trim();
    byState.set(state, [...(byState.get(state) ?? []), row]);
  }
  return new Map([...byState].sort().map(([state, r]) => [state, foldGradeRows(r)]));
}

export interface RefreshSummary {
  period: string;
  countedThrough: IsoDate;
  refreshed: { state: string; category1: number; category2: number }[];
  /** Frozen or certified: left as they are. */
  kept: { state: string; status: string }[];
}

/**
 * The nightly job (DESIGN.md section 7, "Counts"): recomputes the unfrozen counts of every
 * configured state for the period that contains `now` and for the one before it (whose count is
 * reconciled and certified during the following autumn). Frozen and certified counts are kept.
 * One INSERT ... SELECT per period for all the states together.
 */
export async function refreshChildCounts(
  store: Store,
  config: Pick<Config, 'states'>,
  now: Date,
): Promise<RefreshSummary[]> {
  const states = config.states.map((s) => s.code.toUpperCase());
  const current = periodContaining(todayUtc(now));
  const summaries: RefreshSummary[] = [];
  for (const period of [previousPeriod(current), current]) {
    const through = defaultCountedThrough(period, now);
    const counts = await refreshStoredCounts(store, {
      states,
      period,
      countedThrough: through,
      now,
    });
    summaries.push({
      period: period.name,
      countedThrough: through,
      refreshed: counts
        .filter((c) => c.status === 'computed')
        .map((c) => ({
          state: c.state,
          category1: c.category1.total,
          category2: c.category2.total,
        })),
      kept: counts
        .filter((c) => c.status !== 'computed')
        .map((c) => ({ state: c.state, status: c.status })),
    });
  }
  return summaries;
}
