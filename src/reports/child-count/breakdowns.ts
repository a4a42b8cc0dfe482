/** The numbers of one count, as reported: per category a total and its breakdowns. */

/** MDE grade codes (src/exchange/code-sets.ts) grouped as the count reports them. */
export const gradeGroups = [
  'age3to5',
  'KG',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '07',
  '08',
  '09',
  '10',
  '11',
  '12',
  'UG',
  'OS',
] as const;
export type GradeGroup = (typeof gradeGroups)[number];

/** P0-P5 are "not yet in kindergarten, by age"; a counted child is 3 to 5 there. */
export function gradeGroupOf(grade: string): string {
  return /^P[0-5]$/.test(grade) ? 'age3to5' : grade;
}

export interface CategoryCount {
  /** Children counted once each. */
  total: number;
  /**
   * Each child in exactly one group (the grade of its most recent qualifying enrollment), so the
   * groups add up to the total. A grade outside the code set would appear under its own code.
   */
  byGrade: Record<string, number>;
  priorityForServices: number;
  qadInPeriod: number;
  englishLearner: number;
  iep: number;
}

export interface CountNumbers {
  category1: CategoryCount;
  category2: CategoryCount;
}

/** One row of the grouped count query (count-sql.ts `countsSelect` or the stored members). */
export interface GradeRow {
  category: number | string;
  grade: string;
  children: number | string;
  priority_for_services: number | string | null;
  english_learner: number | string | null;
  iep: number | string | null;
  qad_in_period: number | string | null;
}

export function emptyCategory(): CategoryCount {
  return {
    total: 0,
    byGrade: Object.fromEntries(gradeGroups.map((g) => [g, 0])),
    priorityForServices: 0,
    qadInPeriod: 0,
    englishLearner: 0,
    iep: 0,
  };
}

/** Folds the grouped rows of one state into its numbers (drivers answer SUM as text or number). */
export function foldGradeRows(rows: readonly GradeRow[]): CountNumbers {
  const numbers: CountNumbers = { category1: emptyCategory(), category2: emptyCategory() };
  for (const row of rows) {
    const target = Number(row.category) === 2 ? numbers.category2 : numbers.category1;
    const children = Number(row.children);
    const group = gradeGroupOf(String(row.grade).trim());
    target.total += children;
    target.byGrade[group] = (target.byGrade[group] ?? 0) + children;
    target.priorityForServices += Number(row.priority_for_services ?? 0);
    target.englishLearner += Number(row.english_learner ?? 0);
    target.iep += Number(row.iep ?? 0);
    target.qadInPeriod += Number(row.qad_in_period ?? 0);
  }
  return numbers;
}

/** The numbers as CSV rows: state, period, category, breakdown, group, children. */
export function numbersCsvRows(
  state: string,
  period: string,
  numbers: CountNumbers,
): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (const [category, c] of [
    [1, numbers.category1],
    [2, numbers.category2],
  ] as const) {
    rows.push([state, period, category, 'total', 'all', c.total]);
    for (const [group, n] of Object.entries(c.byGrade)) {
      rows.push([state, period, category, 'grade', group, n]);
    }
    rows.push([state, period, category, 'priority-for-services', 'yes', c.priorityForServices]);
    rows.push([state, period, category, 'qad-in-period', 'yes', c.qadInPeriod]);
    rows.push([state, period, category, 'english-learner', 'yes', c.englishLearner]);
    rows.push([state, period, category, 'iep', 'yes', c.iep]);
  }
  return rows;
}

/** RFC 4180 CSV, CRLF line ends; a cell starting with = + - @ is prefixed to stay inert. */
export function toCsv(header: readonly string[], rows: readonly (string | number | null)[][]) {
  const cell = (v: string | number | null) => {
    let s = v === null ? '' : String(v);
    if (/^[=+\-@]/.test(s) && typeof v === 'string') s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
