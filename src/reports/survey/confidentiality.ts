/**
 * Confidentiality of the survey reports (DESIGN.md section 9; the MESIS rules): pure functions over
 * respondent counts, knowing nothing of SQL or HTTP.
 *
 * The linked tables. A survey's results for one state and year are one two-way table: rows are
 * areas in a hierarchy (the state, its regional centers, their districts), columns the levels
 * (grades 7/9/11, or elementary/middle/high) and their total. Every cell holds two groups
 * (migrant-program respondents and all others). Published cells add up: a district's total is the
 * sum of its levels, a region's cell the sum of its districts' cells, the state's the sum of its
 * regions'. Each of those sums is a `relation`.
 *
 * 1. Primary suppression: no data for a cell where either group has fewer respondents than the
 *    minimum (10 students, 5 staff). A cell with no respondent at all (a district without high
 *    schools) is known to be empty: it is shown as such and hides nothing.
 * 2. Complementary suppression: a relation with exactly one hidden cell gives it away by
 *    subtraction, so another cell of the relation is hidden (district cells before region and
 *    state ones, levels before totals, then one that leaves no other relation with a single
 *    hidden cell, then the one with the fewest respondents; but never a district's last
 *    published cell while another will do, so that district keeps its report). That is not enough across
 *    linked relations, so the hidden set is then checked as a linear system: every published
 *    relation is an equation over the hidden cells, and any hidden cell those equations determine
 *    (linear-system.ts) makes another cell of one of its relations hidden. Repeat until nothing
 *    hidden is determined.
 *
 * Every quantity of a cell (respondents, and each indicator's numerator and denominator) is hidden
 * or published with the cell, and all obey the same relations, so protecting the respondent count
 * protects them all. A group's count can be had from the overall survey results (migrant plus
 * others, published elsewhere) minus the other group's: the two groups of a cell are therefore
 * always hidden together, which makes that knowledge useless.
 *
 * The result says only whether a cell is hidden, never why: "fewer than 10 migrant students here"
 * is itself a disclosure, so primary and complementary suppressions look the same.
 */
import { determinedUnknowns, type LinearEquation } from './linear-system.js';

export type AreaKind = 'district' | 'region' | 'state';
export const TOTAL = 'total';

export interface GroupCounts {
  migrant: number;
  others: number;
}

export interface DistrictCounts {
  id: string;
  /** The regional center the district belongs to (config); unknown regions are never published. */
  region: string;
  /** Respondents by level; a level left out has none. */
  levels: Readonly<Record<string, GroupCounts>>;
}

export interface LinkedTablesInput {
  state: string;
  /** The survey's levels, in report order. */
  levels: readonly string[];
  /** Every region of the state (a region without respondents still has a, empty, report). */
  regions: readonly string[];
  districts: readonly DistrictCounts[];
  /** Fewest respondents a group may have in a published cell (10 students, 5 staff). */
  minimum: number;
}

export interface CellRef {
  kind: AreaKind;
  area: string;
  /** A level, or TOTAL. */
  column: string;
}

export type CellStatus = 'published' | 'suppressed' | 'empty';

export interface SuppressedTables {
  /** Every cell with its counts, for the report builder: read counts only of published cells. */
  status(ref: CellRef): CellStatus;
  counts(ref: CellRef): GroupCounts;
  /** Keys of the hidden cells (cellKey). */
  hidden: ReadonlySet<string>;
  relations: readonly Relation[];
}

/** `total = Σ parts`, cells named by cellKey. */
export interface Relation {
  total: string;
  parts: readonly string[];
}

/** Districts whose region is not in the configured table are summed here, never published. */
export const UNASSIGNED_REGION = '(unassigned)';

export function cellKey(ref: CellRef): string {
  return `${ref.kind}:${ref.area}|${ref.column}`;
}

interface Cell {
  ref: CellRef;
  counts: GroupCounts;
  /** Order of preference as a complementary cell: lower first (districts, then levels). */
  rank: number;
}

const AREA_RANK: Record<AreaKind, number> = { district: 0, region: 1, state: 2 };

function add(a: GroupCounts, b: GroupCounts): GroupCounts {
  return { migrant: a.migrant + b.migrant, others: a.others + b.others };
}

function isEmpty(c: GroupCounts): boolean {
  return c.migrant + c.others === 0;
}

/** The cells and relations of the linked tables, sums computed from the districts. */
function buildTables(input: LinkedTablesInput): {
  cells: Map<string, Cell>;
  relations: Relation[];
} {
  const cells = new Map<string, Cell>();
  const relations: Relation[] = [];
  const columns = [...input.levels, TOTAL];
  const zero = (): GroupCounts => ({ migrant: 0, others: 0 });
  const put = (ref: CellRef, counts: GroupCounts) => {
    const rank = AREA_RANK[ref.kind] * 2 + (ref.column === TOTAL ? 1 : 0);
    cells.set(cellKey(ref), { ref, counts, rank });
  };
  const known = new Set(input.regions);
  const regionIds = [...input.regions];
  const members = new Map<string, string[]>(regionIds.map((r) => [r, []]));
  for (const d of input.districts) {
    const region = known.has(d.region) ? d.region : UNASSIGNED_REGION;
    if (!members.has(region)) {
      members.set(region, []);
      regionIds.push(region);
    }
    members.get(region)?.push(d.id);
  }
  // Districts: levels and their total.
  const byId = new Map(input.districts.map((d) => [d.id, d]));
  for (const d of input.districts) {
    let total = zero();
    for (const level of input.levels) {
      const counts = d.levels[level] ?? zero();
      total = add(total, counts);
      put({ kind: 'district', area: d.id, column: level }, counts);
    }
    put({ kind: 'district', area: d.id, column: TOTAL }, total);
  }
  // Regions and the state: sums of the areas below, column by column.
  for (const region of regionIds) {
    const ids = members.get(region) ?? [];
    for (const column of columns) {
      let sum = zero();
      for (const id of ids) {
        const cell = cells.get(cellKey({ kind: 'district', area: id, column }));
        if (cell && byId.has(id)) sum = add(sum, cell.counts);
      }
      put({ kind: 'region', area: region, column }, sum);
      relations.push({
        total: cellKey({ kind: 'region', area: region, column }),
        parts: ids.map((id) => cellKey({ kind: 'district', area: id, column })),
      });
    }
  }
  for (const column of columns) {
    let sum = zero();
    for (const region of regionIds) {
      const cell = cells.get(cellKey({ kind: 'region', area: region, column }));
      if (cell) sum = add(sum, cell.counts);
    }
    put({ kind: 'state', area: input.state, column }, sum);
    relations.push({
      total: cellKey({ kind: 'state', area: input.state, column }),
      parts: regionIds.map((r) => cellKey({ kind: 'region', area: r, column })),
    });
  }
  // Each area's total is the sum of its levels.
  const areas: [AreaKind, string][] = [
    ...input.districts.map((d): [AreaKind, string] => ['district', d.id]),
    ...regionIds.map((r): [AreaKind, string] => ['region', r]),
    ['state', input.state],
  ];
  for (const [kind, area] of areas) {
    relations.push({
      total: cellKey({ kind, area, column: TOTAL }),
      parts: input.levels.map((column) => cellKey({ kind, area, column })),
    });
  }
  return { cells, relations };
}

/** The published relations as equations over the hidden cells (empty cells are known zeros). */
export function equationsOver(
  relations: readonly Relation[],
  hidden: ReadonlySet<string>,
): LinearEquation[] {
  const out: LinearEquation[] = [];
  for (const r of relations) {
    const eq = new Map<string, number>();
    if (hidden.has(r.total)) eq.set(r.total, -1);
    for (const p of r.parts) if (hidden.has(p)) eq.set(p, (eq.get(p) ?? 0) + 1);
    if (eq.size > 0) out.push(eq);
  }
  return out;
}

/**
 * Applies primary and complementary suppression to the linked tables. Deterministic: the same
 * counts always hide the same cells, so a regenerated report does not reveal a different subset.
 */
export function suppressLinkedTables(input: LinkedTablesInput): SuppressedTables {
  if (!Number.isInteger(input.minimum) || input.minimum < 1) {
    throw new RangeError('the minimum number of respondents must be a whole number ≥ 1');
  }
  const { cells, relations } = buildTables(input);
  const hidden = new Set<string>();
  for (const [key, cell] of cells) {
    const { migrant, others } = cell.counts;
    if (isEmpty(cell.counts)) continue;
    if (migrant < input.minimum || others < input.minimum) hidden.add(key);
  }
  // Regions outside the configured table are never published: their cells start hidden.
  for (const [key, cell] of cells) {
    if (cell.ref.kind === 'region' && cell.ref.area === UNASSIGNED_REGION && !isEmpty(cell.counts))
      hidden.add(key);
  }
  const relationsOf = new Map<string, Relation[]>();
  for (const r of relations) {
    for (const k of [r.total, ...r.parts]) {
      const list = relationsOf.get(k) ?? [];
      list.push(r);
      relationsOf.set(k, list);
    }
  }
  const hiddenIn = (r: Relation) => [r.total, ...r.parts].filter((k) => hidden.has(k)).length;
  // A district's last published cell is its whole report (MESIS sends reports only to districts
  // that qualify): other cells are hidden first, even region or state ones.
  const shownOf = (area: string) =>
    [...input.levels, TOTAL].filter((column) => {
      const k = cellKey({ kind: 'district', area, column });
      const c = cells.get(k);
      return c && !hidden.has(k) && !isEmpty(c.counts);
    }).length;
  // Among cells alike, one whose other relations already have hidden cells: hiding it makes no
  // relation newly hold a single hidden cell, so it does not start another round of hiding.
  const newSingletons = (key: string, within: Relation) =>
    (relationsOf.get(key) ?? []).filter((r) => r !== within && hiddenIn(r) === 0).length;
  type Cost = [number, number, number, number];
  const cost = (key: string, cell: Cell, within: Relation): Cost => [
    cell.ref.kind === 'district' && shownOf(cell.ref.area) === 1 ? 1 : 0,
    cell.rank,
    newSingletons(key, within),
    cell.counts.migrant + cell.counts.others,
  ];
  const cheaper = (a: Cost, b: Cost) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3];
  const candidate = (r: Relation): string | undefined => {
    let best: Cost | undefined;
    let bestKey: string | undefined;
    for (const k of [r.total, ...r.parts]) {
      const cell = cells.get(k);
      if (!cell || hidden.has(k) || isEmpty(cell.counts)) continue;
      const c = cost(k, cell, r);
      const order = best ? cheaper(c, best) : -1;
      if (order < 0 || (order === 0 && k < (bestKey as string))) {
        best = c;
        bestKey = k;
      }
    }
    return bestKey;
  };

  for (;;) {
    // Subtraction within one relation: a relation never has exactly one hidden cell.
    let changed = true;
    while (changed) {
      changed = false;
      for (const r of relations) {
        if (hiddenIn(r) !== 1) continue;
        const k = candidate(r);
        if (k !== undefined) {
          hidden.add(k);
          changed = true;
        }
      }
    }
    // Linked relations together: solve them and hide more wherever a hidden cell is determined.
    const determined = [...determinedUnknowns(equationsOver(relations, hidden))].sort();
    if (determined.length === 0) break;
    let progressed = false;
    for (const k of determined) {
      for (const r of relationsOf.get(k) ?? []) {
        const c = candidate(r);
        if (c !== undefined) {
          hidden.add(c);
          progressed = true;
          break;
        }
      }
      if (progressed) break;
    }
    if (!progressed) {
      // Every cell of those relations is already hidden or empty: hide what is left anywhere.
      const before = hidden.size;
      for (const [k, cell] of cells) if (!isEmpty(cell.counts)) hidden.add(k);
      // With every cell hidden the relations alone determine nothing; never loop without progress.
      if (hidden.size === before) break;
    }
  }

  const zero: GroupCounts = { migrant: 0, others: 0 };
  return {
    hidden,
    relations,
    status(ref) {
      const key = cellKey(ref);
      const cell = cells.get(key);
      if (!cell || isEmpty(cell.counts)) return 'empty';
      return hidden.has(key) ? 'suppressed' : 'published';
    },
    counts(ref) {
      const key = cellKey(ref);
      if (hidden.has(key))
        throw new Error(`cell ${key} is suppressed: its counts are not to be read`);
      return cells.get(key)?.counts ?? zero;
    },
  };
}

export interface PercentRules {
  /** Below this many answers, a percentage near 0 or 100 is coded rather than shown. */
  exactFromAnswers: number;
  /** ≤ this is shown as "≤N%" (default 5), ≥ 100 − this as "≥(100−N)%". */
  codedMargin: number;
}

/**
 * A percentage as published. From a small denominator an extreme value says that (nearly) every
 * respondent, or none, answered so: that is coded, and the exact figure is left out entirely.
 */
export function publishedPercent(
  yes: number,
  answered: number,
  rules: PercentRules,
): { text: string; percent?: number } {
  if (answered === 0) return { text: '—' };
  const percent = Math.round((100 * yes) / answered);
  if (answered < rules.exactFromAnswers) {
    if (percent <= rules.codedMargin) return { text: `≤${rules.codedMargin}%` };
    if (percent >= 100 - rules.codedMargin) return { text: `≥${100 - rules.codedMargin}%` };
  }
  return { text: `${percent}%`, percent };
}
