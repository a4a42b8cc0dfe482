/**
 * The child count as one set-based statement (CONVENTIONS.md "Hot paths are set-based"; DESIGN.md
 * section 8). "On at least one day of the period" is an interval question: a child counts when
 * some intersection
 *
 *   [QAD, eligibility end] ∩ [3rd birthday, day before the 22nd birthday]
 *     ∩ [enrollment date, withdrawal date] ∩ [period start, counted-through day]
 *
 * is not empty, for one of its qualifying moves and one of its enrollments in the state, where
 * (ESEA section 1309(3), 34 CFR 200.81(e), 200.103(a); src/exchange/eligibility.ts)
 * - eligibility end = the move's stored expiration, or QAD + 36 months - 1 day when none is
 *   stored, cut at the day before the 22nd birthday and at the child's graduation/HSE date;
 * - Category 1: any enrollment in the state, residency only (06) included;
 * - Category 2: a summer or intersession MEP-funded project (enrollment type 03).
 * Days served under continuation of services after eligibility ended are outside the first
 * interval, so they never count.
 *
 * Who the child is: `student_records.child_id`, resolved through `children.merged_into` when
 * the child was merged. Records not linked to a child yet are not counted (an unduplicated count
 * cannot include a record whose child is unknown); reconciliation names them. Moves and
 * enrollments are those of the child's records in the counting state (each state counts the
 * children it found eligible and who resided there); the graduation date is the child's earliest
 * in any state, since a graduate is no longer entitled anywhere.
 *
 * Breakdowns attribute each child to one enrollment, so each breakdown is unduplicated: the
 * qualifying enrollment whose counted days end last (the most recent), and among those the one
 * stored last (the highest enrollment row). The grade (age 3-5 not in kindergarten, KG-12,
 * ungraded, out-of-school) is that enrollment's. Priority for services, English learner and IEP
 * count a child when any qualifying enrollment in the category says so; "QAD within the period"
 * when a move that made the child count has its QAD within the period.
 *
 * Parameters: `:from` (period start), `:through` (last day counted), `:state` (one state, or
 * every state at once when `oneState` is false), `:children` (reconciliation: only these
 * children), `:period` (inserts: the child_counts rows to fill).
 */
import type { Dialect } from '../../store/index.js';
import { gradeLevels } from '../../exchange/code-sets.js';
import { dialectSql, type DialectSql } from './dialect-sql.js';

/** Rules left out, one more at each step, to find why a child does not count. */
export interface Relaxation {
  /** No enrollment needed: eligible and of age on a day of the period is enough. */
  enrollment?: boolean;
  /** No lower age limit (the 3rd birthday). */
  minAge?: boolean;
  /** No upper age limit (the day before the 22nd birthday). */
  maxAge?: boolean;
  /** No graduation cut. */
  graduation?: boolean;
}

export interface CountSqlOptions {
  /** Count the state bound as `:state`; otherwise every state in one pass. */
  oneState: boolean;
  /** Only the children bound as `:children` (a list). */
  childFilter?: boolean;
  relax?: Relaxation;
}

/**
 * The child of record `sr`. A merge moves the merged children's records to the master
 * (src/linkage/changes.ts `applyMerge`), and a split or revert moves them again, so a record
 * always names an active child and `sr.child_id` is the child itself, with no join to
 * `children`. The count joins and groups on that plain column, whose statistics let PostgreSQL
 * estimate the joins (an expression such as COALESCE(merged_into, child_id) has none, which
 * made it plan for billions of pairs). Unlinked records are left out by `sr.child_id IS NOT NULL`.
 */
const childKey = 'sr.child_id';

/** The columns a counted child has, in the order `membersSelect` and the insert use them. */
export const memberColumns = [
  'state_code',
  'category',
  'child_id',
  'student_record_id',
  'state_student_id',
  'grade',
  'priority_for_services',
  'english_learner',
  'iep',
  'qad_in_period',
  'first_day',
  'last_day',
] as const;

function flag(d: DialectSql, column: string): string {
  return `CASE WHEN ${d.isTrue(column)} THEN 1 ELSE 0 END`;
}

/** The common table expressions up to `spans` (every non-empty intersection, one row each). */
function spanCtes(d: DialectSql, options: CountSqlOptions): string[] {
  const relax = options.relax ?? {};
  const from = d.date(':from');
  const through = d.date(':through');
  const recordFilters = [
    'sr.child_id IS NOT NULL',
    ...(options.oneState ? ['sr.state_code = :state'] : []),
    ...(options.childFilter ? [`${childKey} IN (:children)`] : []),
  ];
  const span36 = d.dayBefore(d.addYears('m.qualifying_arrival_date', 3));
  const expiration = `COALESCE(m.eligibility_expiration_date, ${span36})`;
  const ageEnd = relax.maxAge ? [] : ['r.age_to'];
  // The eligibility end before the graduation cut, and with it (the cut only moves it earlier).
  const endBeforeCut = d.least(expiration, ...ageEnd);
  const eligibilityEnd = d.least(
    expiration,
    ...ageEnd,
    ...(relax.graduation ? [] : [`COALESCE(g.graduated_on, ${d.endOfTime})`]),
  );
  const ctes = [
    `records AS (
  SELECT sr.id AS record_id, sr.state_code, sr.state_student_id, ${childKey} AS child_id,
    ${d.addYears('sr.birth_date', 3)} AS age_from,
    ${d.dayBefore(d.addYears('sr.birth_date', 22))} AS age_to
  FROM student_records sr
  WHERE ${recordFilters.join(' AND ')}
)`,
    `graduations AS (
  SELECT ${childKey} AS child_id, MIN(e.graduation_date) AS graduated_on
  FROM enrollments e
  JOIN student_records sr ON sr.id = e.student_record_id
  WHERE e.graduation_date IS NOT NULL AND sr.child_id IS NOT NULL
  GROUP BY ${childKey}
)`,
    `eligibility AS (
  SELECT r.state_code, r.child_id, m.qualifying_arrival_date AS qad, r.age_from,
    ${endBeforeCut} AS eligible_before_cut, ${eligibilityEnd} AS eligible_to
  FROM records r
  JOIN qualifying_moves m ON m.student_record_id = r.record_id
  LEFT JOIN graduations g ON g.child_id = r.child_id
  WHERE m.qualifying_arrival_date <= ${through}
    AND ${expiration} >= ${from}
)`,
  ];
  const lowerBounds = ['e.qad', ...(relax.minAge ? [] : ['e.age_from'])];
  const firstDay = d.greatest(...lowerBounds, 'n.enrollment_date', from);
  if (relax.enrollment) {
    ctes.push(`spans AS (
  SELECT e.state_code, e.child_id,
    ${d.greatest(...lowerBounds, from)} AS first_day,
    ${d.least('e.eligible_to', through)} AS last_day
  FROM eligibility e
)`);
    return ctes;
  }
  ctes.push(
    `enrolled AS (
  SELECT r.state_code, r.child_id, n.id AS enrollment_id, n.enrollment_type, n.grade,
    n.enrollment_date,
    COALESCE(n.withdrawal_date, ${d.endOfTime}) AS enrolled_to,
    ${flag(d, 'n.priority_for_services')} AS pfs,
    ${flag(d, 'n.english_learner')} AS el,
    ${flag(d, 'n.iep')} AS iep
  FROM records r
  JOIN enrollments n ON n.student_record_id = r.record_id
  WHERE n.enrollment_date <= ${through}
    AND (n.withdrawal_date IS NULL OR n.withdrawal_date >= ${from})
)`,
    `spans AS (
  SELECT n.state_code, n.child_id, n.enrollment_id, n.enrollment_type, n.grade, n.pfs, n.el,
    n.iep,
    CASE WHEN e.qad >= ${from} AND e.qad <= ${through} THEN 1 ELSE 0 END AS qad_in,
    ${firstDay} AS first_day,
    ${d.least('e.eligible_to', 'n.enrolled_to', through)} AS last_day
  FROM eligibility e
  JOIN enrolled n ON n.child_id = e.child_id AND n.state_code = e.state_code
  WHERE ${firstDay} <= ${d.least('e.eligible_before_cut', 'n.enrolled_to', through)}
)`,
  );
  return ctes;
}

/**
 * The attributed enrollment, packed into one BIGINT so that a plain GROUP BY (a hash aggregate,
 * parallel on PostgreSQL) finds it with MAX() instead of a sorted window:
 *   ((days from the period start to the span's last day) * 2^32 + enrollment id) * 32 + grade
 * The most recent span wins, then the enrollment stored last; the grade rides in the low bits.
 */
const ID_SPAN = 'CAST(4294967296 AS BIGINT)';
const GRADE_SPAN = 32;
const gradeCodes = gradeLevels.entries.map((g) => g.code);
/** Beyond the code set (validation keeps it out; the count still counts the child). */
const UNKNOWN_GRADE = 31;

function gradeIndex(column: string): string {
  return `CASE ${column} ${gradeCodes.map((g, i) => `WHEN '${g}' THEN ${i}`).join(' ')} ELSE ${UNKNOWN_GRADE} END`;
}

function gradeCode(expr: string): string {
  return `CASE ${expr} ${gradeCodes.map((g, i) => `WHEN ${i} THEN '${g}'`).join(' ')} ELSE '??' END`;
}

/** Every CTE up to `counted_children`: one row per counted child, state and category. */
function memberCtes(d: DialectSql, options: CountSqlOptions): string[] {
  const from = d.date(':from');
  return [
    ...spanCtes(d, { ...options, relax: {} }),
    // Every span counts in Category 1; a summer or intersession project's in Category 2 too.
    `counted AS (
  SELECT s.state_code, s.child_id, k.category, s.pfs, s.el, s.iep, s.qad_in, s.first_day,
    (CAST(${d.daysBetween(from, 's.last_day')} AS BIGINT) * ${ID_SPAN} + s.enrollment_id)
      * ${GRADE_SPAN} + ${gradeIndex('s.grade')} AS attribution
  FROM spans s
  JOIN (SELECT 1 AS category UNION ALL SELECT 2 AS category) k
    ON k.category = 1 OR s.enrollment_type = '03'
  WHERE s.first_day <= s.last_day
)`,
    `counted_children AS (
  SELECT state_code, category, child_id, MAX(pfs) AS priority_for_services,
    MAX(el) AS english_learner, MAX(iep) AS iep, MAX(qad_in) AS qad_in_period,
    MIN(first_day) AS first_day, MAX(attribution) AS attribution
  FROM counted
  GROUP BY state_code, category, child_id
)`,
  ];
}

/** `counted_children` with the attributed enrollment unpacked (its record, ID and grade). */
function membersFrom(d: DialectSql): string {
  const lastDay = d.addDays(d.date(':from'), `m.attribution / (${ID_SPAN} * ${GRADE_SPAN})`);
  return `SELECT m.state_code, m.category, m.child_id,
  n.student_record_id, sr.state_student_id, n.grade, m.priority_for_services,
  m.english_learner, m.iep, m.qad_in_period, m.first_day, ${lastDay} AS last_day
FROM counted_children m
JOIN enrollments n ON n.id = (m.attribution / ${GRADE_SPAN}) % ${ID_SPAN}
JOIN student_records sr ON sr.id = n.student_record_id`;
}

/**
 * PostgreSQL materializes a CTE used twice (`records`), which keeps the planner from pushing
 * joins through it and from parallel plans; NOT MATERIALIZED inlines it (SQLite takes the same
 * hint; SQL Server always inlines).
 */
function withCtes(d: DialectSql, ctes: string[], statement: string): string {
  const hint = d.dialect === 'mssql' ? '' : 'NOT MATERIALIZED ';
  const rendered = ctes.map((cte) => cte.replace(/^(\w+) AS \(/, `$1 AS ${hint}(`));
  return `WITH ${rendered.join(',\n')}\n${statement}`;
}

/** Every counted child (see `memberColumns`). */
export function membersSelect(dialect: Dialect, options: CountSqlOptions): string {
  return withCtes(
    dialectSql(dialect),
    [
      ...memberCtes(dialectSql(dialect), options),
      `members AS (\n${membersFrom(dialectSql(dialect))}\n)`,
    ],
    `SELECT ${memberColumns.join(', ')} FROM members`,
  );
}

/** The counts without storing anything: one row per state, category and grade. */
export function countsSelect(dialect: Dialect, options: CountSqlOptions): string {
  return withCtes(
    dialectSql(dialect),
    memberCtes(dialectSql(dialect), options),
    `SELECT state_code, category, ${gradeCode('grade_index')} AS grade, children,
  priority_for_services, english_learner, iep, qad_in_period
FROM (
  SELECT state_code, category, attribution % ${GRADE_SPAN} AS grade_index, COUNT(*) AS children,
    SUM(priority_for_services) AS priority_for_services, SUM(english_learner) AS english_learner,
    SUM(iep) AS iep, SUM(qad_in_period) AS qad_in_period
  FROM counted_children
  GROUP BY state_code, category, attribution % ${GRADE_SPAN}
) g`,
  );
}

/**
 * Fills `child_count_members` for the `computed` child_counts rows of `:period` and the states
 * in `:states` (one state's, or many) in one INSERT ... SELECT. The WITH goes before INSERT, which all three accept.
 */
export function insertMembersSql(dialect: Dialect, options: CountSqlOptions): string {
  const columns = memberColumns.filter((c) => c !== 'state_code');
  return withCtes(
    dialectSql(dialect),
    [
      ...memberCtes(dialectSql(dialect), options),
      `members AS (\n${membersFrom(dialectSql(dialect))}\n)`,
    ],
    `INSERT INTO child_count_members (child_count_id, ${columns.join(', ')})
SELECT cc.id, ${columns.map((c) => `m.${c}`).join(', ')}
FROM members m
JOIN child_counts cc ON cc.state_code = m.state_code AND cc.period = :period
WHERE cc.status = 'computed' AND cc.state_code IN (:states)`,
  );
}

/** The children (of `:children`) who are eligible on a day of the period under `relax`. */
export function qualifyingChildrenSelect(
  dialect: Dialect,
  options: CountSqlOptions & { relax: Relaxation & { enrollment: true } },
): string {
  return withCtes(
    dialectSql(dialect),
    spanCtes(dialectSql(dialect), options),
    `SELECT DISTINCT child_id FROM spans
WHERE first_day <= last_day`,
  );
}
