/**
 * Reconciliation (DESIGN.md section 8): the state's own list against Continuum's count, naming
 * every child counted by one side and not the other, with Continuum's reason.
 *
 * The comparison is by child: a listed ID matches when its record's child (through merges) is
 * counted, whichever of the child's IDs Continuum attributed the count to. Why a listed child is
 * not counted is found by the same count SQL with one rule left out at a time (count-sql.ts
 * `Relaxation`), in this order, so the reason named is the first rule the child fails:
 * eligible and of age but no enrollment → no residency (no summer project for Category 2);
 * counts once the 3rd birthday is ignored → too young; once the 22nd is ignored → too old; once
 * graduation is ignored → graduated; otherwise not eligible on any day of the period.
 *
 * A frozen count is compared as frozen; the reasons are found on today's records.
 */
import { QueryTypes } from 'sequelize';
import type { Store } from '../../store/index.js';
import { childCountReport } from './child-count.js';
import { qualifyingChildrenSelect, type Relaxation } from './count-sql.js';
import { parsePeriod } from './period.js';
import { dialectOfStore, listCountedChildren, type CountedChild } from './stored-counts.js';
import type { StoredCount } from './stored-counts.js';
import { latestStateList, type StoredList } from './state-lists.js';

export const reasons = {
  'unknown-id': 'No record of the state has this state student ID.',
  'not-linked':
    'The record is not linked to a child yet (linkage pending), so it cannot be counted unduplicated.',
  'linked-to-another-record':
    'Linked to the same child as another ID on the list: the child counts once.',
  'duplicate-id': 'The ID is on the list twice for this category.',
  'not-eligible':
    'Not eligible on any day of the period: no qualifying move with a QAD on or before the ' +
    'last day counted and an eligibility end on or after the period start.',
  graduated: 'Graduated or received a high school equivalency before any eligible day.',
  'too-old': 'Aged 22 or older on every eligible day of the period.',
  'too-young': 'Not yet 3 on any eligible day of the period.',
  'no-residency': 'No enrollment or residency in the state on an eligible day of the period.',
  'no-summer-project': 'No summer or intersession project on an eligible day of the period.',
  'counted-by-continuum': 'Counted by Continuum; not on the state list.',
} as const;
export type ReasonCode = keyof typeof reasons;

export interface Difference {
  side: 'state-only' | 'continuum-only';
  stateStudentId: string;
  childId: string | null;
  reason: ReasonCode;
  detail: string;
  /** Where the ID was in the upload (state-only). */
  row?: number;
}

export interface ReconciledCategory {
  category: 1 | 2;
  continuum: number;
  listed: number;
  matched: number;
  differences: Difference[];
}

export interface Reconciliation {
  state: string;
  period: string;
  countStatus: StoredCount['status'];
  countedThrough: string;
  list: StoredList;
  categories: ReconciledCategory[];
}

/** Thrown when the state has not uploaded a list for the period. */
export class NoStateListError extends Error {
  override readonly name = 'NoStateListError';
}

interface ListedRow {
  category: number;
  state_student_id: string;
  source_row: number;
  record_id: number | null;
  linked_child: string | null;
  child_id: string | null;
}

const CHUNK = 500;

/** Rules left out step by step; a child passing at a step gets that step's reason. */
const steps: [Relaxation & { enrollment: true }, (category: 1 | 2) => ReasonCode][] = [
  [{ enrollment: true }, (c) => (c === 2 ? 'no-summer-project' : 'no-residency')],
  [{ enrollment: true, minAge: true }, () => 'too-young'],
  [{ enrollment: true, minAge: true, maxAge: true }, () => 'too-old'],
  [{ enrollment: true, minAge: true, maxAge: true, graduation: true }, () => 'graduated'],
];

async function whyNotCounted(
  store: Store,
  count: StoredCount,
  category: 1 | 2,
  childIds: readonly string[],
): Promise<Map<string, ReasonCode>> {
  const period = parsePeriod(count.period);
  const found = new Map<string, ReasonCode>();
  let remaining = [...new Set(childIds)];
  for (const [relax, reason] of steps) {
    const sql = qualifyingChildrenSelect(dialectOfStore(store), {
      oneState: true,
      childFilter: true,
      relax,
    });
    for (let i = 0; i < remaining.length; i += CHUNK) {
      const rows = await store.sequelize.query<{ child_id: string }>(sql, {
        type: QueryTypes.SELECT,
        replacements: {
          state: count.state,
          from: period.start,
          through: count.countedThrough,
          children: remaining.slice(i, i + CHUNK),
        },
      });
      for (const row of rows) found.set(String(row.child_id).trim(), reason(category));
    }
    remaining = remaining.filter((id) => !found.has(id));
  }
  for (const id of remaining) found.set(id, 'not-eligible');
  return found;
}

function reconcileCategory(
  category: 1 | 2,
  listed: readonly ListedRow[],
  members: readonly CountedChild[],
): { result: ReconciledCategory; undiagnosed: Difference[] } {
  const counted = new Map(members.map((m) => [m.childId, m]));
  const matchedBy = new Map<string, string>();
  const seenIds = new Set<string>();
  const differences: Difference[] = [];
  const undiagnosed: Difference[] = [];
  for (const row of listed) {
    const stateStudentId = String(row.state_student_id);
    const childId = row.child_id === null ? null : String(row.child_id).trim();
    const base = {
      side: 'state-only' as const,
      stateStudentId,
      childId,
      row: Number(row.source_row),
    };
    const differ = (reason: ReasonCode, detail: string = reasons[reason]) =>
      differences.push({ ...base, reason, detail });
    if (seenIds.has(stateStudentId)) differ('duplicate-id');
    else if (row.record_id === null) differ('unknown-id');
    else if (childId === null) differ('not-linked');
    else if (matchedBy.has(childId)) {
      differ(
        'linked-to-another-record',
        `${reasons['linked-to-another-record']} (listed as ${matchedBy.get(childId)}; child ${childId})`,
      );
    } else if (counted.has(childId)) matchedBy.set(childId, stateStudentId);
    else {
      const d: Difference = { ...base, reason: 'not-eligible', detail: '' };
      differences.push(d);
      undiagnosed.push(d);
    }
    seenIds.add(stateStudentId);
  }
  for (const m of members) {
    if (matchedBy.has(m.childId)) continue;
    differences.push({
      side: 'continuum-only',
      stateStudentId: m.stateStudentId,
      childId: m.childId,
      reason: 'counted-by-continuum',
      detail:
        `Eligible, aged 3 through 21 and ${category === 2 ? 'in a summer or intersession project' : 'residing in the state'} ` +
        `from ${m.firstDay} to ${m.lastDay} (grade ${m.grade}); not on the state list.`,
    });
  }
  return {
    result: {
      category,
      continuum: members.length,
      listed: listed.length,
      matched: matchedBy.size,
      differences,
    },
    undiagnosed,
  };
}

/** Compares the state's latest list for the period with Continuum's count. */
export async function reconcileChildCount(
  store: Store,
  request: { state: string; period: string; now?: Date },
): Promise<Reconciliation> {
  const state = request.state.toUpperCase();
  const list = await latestStateList(store, state, request.period);
  if (!list) {
    throw new NoStateListError(`${state} has not uploaded a list for ${request.period}.`);
  }
  const count = await childCountReport(store, {
    state,
    period: request.period,
    ...(request.now ? { now: request.now } : {}),
  });
  const listed = await store.sequelize.query<ListedRow>(
    `SELECT l.category, l.state_student_id, l.source_row, sr.id AS record_id,
  sr.child_id AS linked_child,
  CASE WHEN c.status = 'merged' AND c.merged_into IS NOT NULL THEN c.merged_into
    ELSE c.child_id END AS child_id
FROM child_count_list_ids l
LEFT JOIN student_records sr ON sr.state_code = :state AND sr.state_student_id = l.state_student_id
LEFT JOIN children c ON c.child_id = sr.child_id
WHERE l.list_id = :listId
ORDER BY l.category, l.source_row, l.id`,
    { type: QueryTypes.SELECT, replacements: { state, listId: list.id } },
  );
  const members = await listCountedChildren(store, count.id);
  const categories: ReconciledCategory[] = [];
  for (const category of [1, 2] as const) {
    const { result, undiagnosed } = reconcileCategory(
      category,
      listed.filter((r) => Number(r.category) === category),
      members.filter((m) => m.category === category),
    );
    const why = await whyNotCounted(
      store,
      count,
      category,
      undiagnosed.flatMap((d) => (d.childId ? [d.childId] : [])),
    );
    for (const d of undiagnosed) {
      d.reason = why.get(d.childId ?? '') ?? 'not-eligible';
      d.detail = reasons[d.reason];
    }
    categories.push(result);
  }
  return {
    state,
    period: count.period,
    countStatus: count.status,
    countedThrough: count.countedThrough,
    list,
    categories,
  };
}

/** The differences as CSV rows: category, side, stateStudentId, childId, reason, detail. */
export function reconciliationCsvRows(report: Reconciliation): (string | number | null)[][] {
  return report.categories.flatMap((c) =>
    c.differences.map((d) => [c.category, d.side, d.stateStudentId, d.childId, d.reason, d.detail]),
  );
}
