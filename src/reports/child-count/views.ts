/** The count as JSON and CSV, the same for the CLI and the API. */
import { numbersCsvRows, toCsv } from './breakdowns.js';
import { parsePeriod } from './period.js';
import type { CountedChild, StoredCount } from './stored-counts.js';

export function countView(count: StoredCount) {
  const period = parsePeriod(count.period);
  return {
    state: count.state,
    period: count.period,
    periodStart: period.start,
    periodEnd: period.end,
    countedThrough: count.countedThrough,
    status: count.status,
    computedAt: count.computedAt.toISOString(),
    frozenAt: count.frozenAt?.toISOString() ?? null,
    frozenBy: count.frozenBy,
    certifiedAt: count.certifiedAt?.toISOString() ?? null,
    certifiedBy: count.certifiedBy,
    category1: count.category1,
    category2: count.category2,
  };
}

export function countCsv(count: StoredCount): string {
  return toCsv(
    ['state', 'period', 'category', 'breakdown', 'group', 'children'],
    numbersCsvRows(count.state, count.period, count),
  );
}

const childColumns = [
  'category',
  'childId',
  'stateStudentId',
  'grade',
  'priorityForServices',
  'englishLearner',
  'iep',
  'qadInPeriod',
  'firstDay',
  'lastDay',
] as const;

export function countedChildrenCsv(children: readonly CountedChild[]): string {
  return toCsv(
    childColumns,
    children.map((c) =>
      childColumns.map((k) => (typeof c[k] === 'boolean' ? (c[k] ? 'Y' : 'N') : c[k])),
    ),
  );
}
