import assert from 'node:assert/strict';
import {
  cellKey,
  publishedPercent,
  suppressLinkedTables,
  TOTAL,
  type DistrictCounts,
  type LinkedTablesInput,
  type SuppressedTables,
} from '../../src/reports/survey/confidentiality.js';
import { determinedUnknowns } from '../../src/reports/survey/linear-system.js';
import { recoverableCells } from '../helpers/survey-attacker.js';

const STUDENT = ['grade-7', 'grade-9', 'grade-11'];
const STAFF = ['elementary', 'middle', 'high'];

const g = (migrant: number, others: number) => ({ migrant, others });

function tables(
  districts: DistrictCounts[],
  minimum = 10,
  levels = STUDENT,
  regions = [...new Set(districts.map((d) => d.region))],
): LinkedTablesInput {
  return { state: 'CA', levels, regions, districts, minimum };
}

const district = (id: string, region: string, levels: DistrictCounts['levels']) => ({
  id,
  region,
  levels,
});

/** Big districts that keep the region and state cells publishable around the one under test. */
function neighbours(region: string, n: number, levels = STUDENT): DistrictCounts[] {
  return Array.from({ length: n }, (_, i) =>
    district(
      `${region}-big${i}`,
      region,
      Object.fromEntries(levels.map((l, j) => [l, g(40 + 7 * i + j, 300 + 11 * i + j)])),
    ),
  );
}

function status(
  t: SuppressedTables,
  kind: 'district' | 'region' | 'state',
  area: string,
  c: string,
) {
  return t.status({ kind, area, column: c });
}

function assertNothingRecoverable(t: SuppressedTables): void {
  const known = (cell: string) => !t.hidden.has(cell);
  const found = recoverableCells(t.relations, known);
  assert.deepEqual(found.bySubtraction, [], 'recovered by one subtraction');
  assert.deepEqual(found.byEquations, [], 'recovered by solving the published equations');
}

describe('survey confidentiality: thresholds', () => {
  it('publishes a level with 10 migrant students (many others) and hides one with 9', () => {
    const t = suppressLinkedTables(
      tables([
        district('d1', 'R1', {
          'grade-7': g(10, 900),
          'grade-9': g(40, 40),
          'grade-11': g(50, 60),
        }),
        district('d2', 'R1', { 'grade-7': g(40, 40), 'grade-9': g(9, 40), 'grade-11': g(50, 60) }),
        ...neighbours('R1', 3),
        ...neighbours('R2', 3),
      ]),
    );
    assert.equal(status(t, 'district', 'd1', 'grade-7'), 'published');
    assert.equal(status(t, 'district', 'd2', 'grade-9'), 'suppressed');
    assertNothingRecoverable(t);
  });

  it('hides a level whose other group has 9 while the migrant group has 10', () => {
    const t = suppressLinkedTables(
      tables([
        district('d1', 'R1', { 'grade-7': g(10, 9), 'grade-9': g(30, 40), 'grade-11': g(50, 60) }),
        ...neighbours('R1', 3),
      ]),
    );
    assert.equal(status(t, 'district', 'd1', 'grade-7'), 'suppressed');
    assertNothingRecoverable(t);
  });

  it('publishes a staff level with 5 migrant staff and hides one with 4', () => {
    const t = suppressLinkedTables(
      tables(
        [
          district('s1', 'R1', { elementary: g(5, 900), middle: g(30, 30), high: g(12, 40) }),
          district('s2', 'R1', { elementary: g(30, 30), middle: g(4, 30), high: g(12, 40) }),
          ...neighbours('R1', 3, STAFF),
          ...neighbours('R2', 2, STAFF),
        ],
        5,
        STAFF,
      ),
    );
    assert.equal(status(t, 'district', 's1', 'elementary'), 'published');
    assert.equal(status(t, 'district', 's2', 'middle'), 'suppressed');
    assertNothingRecoverable(t);
  });

  it('hides a level where one group is large and the other small', () => {
    const t = suppressLinkedTables(
      tables([
        district('d1', 'R1', { 'grade-7': g(3, 900), 'grade-9': g(900, 2), 'grade-11': g(50, 60) }),
        ...neighbours('R1', 3),
      ]),
    );
    assert.equal(status(t, 'district', 'd1', 'grade-7'), 'suppressed');
    assert.equal(status(t, 'district', 'd1', 'grade-9'), 'suppressed');
    assertNothingRecoverable(t);
  });

  it('treats a level without respondents as known to be empty', () => {
    const t = suppressLinkedTables(
      tables([district('d1', 'R1', { 'grade-7': g(20, 30) }), ...neighbours('R1', 2)]),
    );
    assert.equal(status(t, 'district', 'd1', 'grade-11'), 'empty');
    // Its only level is its total: both are published, nothing to protect.
    assert.equal(status(t, 'district', 'd1', 'grade-7'), 'published');
    assert.equal(status(t, 'district', 'd1', TOTAL), 'published');
  });

  it('refuses a minimum that is not a whole number', () => {
    assert.throws(() => suppressLinkedTables({ ...tables([]), minimum: 0 }), RangeError);
  });

  it('never hands out the counts of a hidden cell', () => {
    const t = suppressLinkedTables(
      tables([district('d1', 'R1', { 'grade-7': g(3, 30) }), ...neighbours('R1', 2)]),
    );
    assert.throws(() => t.counts({ kind: 'district', area: 'd1', column: 'grade-7' }));
  });
});

describe('survey confidentiality: combined district report', () => {
  it('publishes the district total when the district qualifies overall but no level does', () => {
    const t = suppressLinkedTables(
      tables([
        district('small', 'R1', { 'grade-7': g(4, 30), 'grade-9': g(4, 30), 'grade-11': g(4, 30) }),
        ...neighbours('R1', 4),
        ...neighbours('R2', 3),
      ]),
    );
    for (const level of STUDENT) assert.equal(status(t, 'district', 'small', level), 'suppressed');
    assert.equal(status(t, 'district', 'small', TOTAL), 'published');
    assertNothingRecoverable(t);
  });
});

describe('survey confidentiality: complementary suppression', () => {
  it('hides a second level when one level of a district is hidden, so the total does not give it away', () => {
    const t = suppressLinkedTables(
      tables([
        district('d1', 'R1', { 'grade-7': g(5, 40), 'grade-9': g(30, 40), 'grade-11': g(50, 60) }),
        ...neighbours('R1', 3),
        ...neighbours('R2', 3),
      ]),
    );
    const hiddenLevels = STUDENT.filter((l) => status(t, 'district', 'd1', l) !== 'published');
    const totalHidden = status(t, 'district', 'd1', TOTAL) === 'suppressed';
    assert.ok(hiddenLevels.length + (totalHidden ? 1 : 0) >= 2);
    // The region's grade 7 is a sum over districts: one of the others hides its grade 7 too.
    const region7 = t.relations.find(
      (r) => r.total === cellKey({ kind: 'region', area: 'R1', column: 'grade-7' }),
    )!;
    assert.ok(
      region7.parts.filter((p) => t.hidden.has(p)).length >= 2 || t.hidden.has(region7.total),
    );
    assertNothingRecoverable(t);
  });

  it('protects a region that has a single district', () => {
    const t = suppressLinkedTables(
      tables([
        district('alone', 'R9', {
          'grade-7': g(3, 40),
          'grade-9': g(30, 40),
          'grade-11': g(50, 60),
        }),
        ...neighbours('R1', 3),
      ]),
    );
    assert.equal(status(t, 'region', 'R9', 'grade-7'), 'suppressed');
    assertNothingRecoverable(t);
  });

  it('survives the pattern that defeats the two-per-relation rule alone', () => {
    // Two districts hiding the same two levels: every relation has two hidden cells, yet the
    // region's cells (published) plus the districts' totals would pin them down.
    const t = suppressLinkedTables(
      tables([
        district('a', 'R1', { 'grade-7': g(3, 40), 'grade-9': g(3, 40), 'grade-11': g(50, 60) }),
        district('b', 'R1', { 'grade-7': g(3, 40), 'grade-9': g(3, 40), 'grade-11': g(50, 60) }),
        ...neighbours('R1', 2),
        ...neighbours('R2', 2),
      ]),
    );
    assertNothingRecoverable(t);
  });

  it('protects a table where the subtraction rule alone leaves a cell determined by the equations', () => {
    // Found by a search over random states: after every relation has two hidden cells or none,
    // the published equations together still pin one hidden cell down; the linear stage fixes it.
    const levels = ['a', 'b', 'c'];
    const t = suppressLinkedTables({
      state: 'S',
      levels,
      regions: ['R1', 'R2', 'R3', 'R4'],
      minimum: 10,
      districts: [
        district('d0', 'R2', { a: g(15, 61), c: g(25, 41) }),
        district('d1', 'R4', { a: g(11, 68), b: g(10, 71), c: g(24, 10) }),
        district('d2', 'R3', { a: g(20, 59), b: g(23, 6), c: g(26, 73) }),
        district('d3', 'R2', { b: g(11, 29) }),
        district('d4', 'R4', { a: g(20, 10), b: g(18, 24), c: g(15, 3) }),
        district('d5', 'R1', { a: g(11, 58), b: g(12, 74), c: g(27, 47) }),
      ],
    });
    assertNothingRecoverable(t);
  });

  it('an attacker solving every published table of random states recovers no hidden cell', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 40; round++) {
      const regions = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) => `R${i + 1}`);
      const districts: DistrictCounts[] = [];
      const count = 1 + Math.floor(random() * 9);
      for (let i = 0; i < count; i++) {
        const levels: Record<string, { migrant: number; others: number }> = {};
        for (const level of STUDENT) {
          if (random() < 0.15) continue;
          levels[level] = g(Math.floor(random() * 30), Math.floor(random() * 80));
        }
        districts.push(district(`d${i}`, regions[Math.floor(random() * regions.length)]!, levels));
      }
      const t = suppressLinkedTables(tables(districts, 10, STUDENT, regions));
      const known = (cell: string) => !t.hidden.has(cell);
      const found = recoverableCells(t.relations, known);
      assert.deepEqual(found, { bySubtraction: [], byEquations: [] }, `round ${round}`);
      // Every cell below the minimum is hidden.
      for (const d of districts) {
        for (const level of STUDENT) {
          const c = d.levels[level];
          if (c && c.migrant + c.others > 0 && Math.min(c.migrant, c.others) < 10)
            assert.equal(status(t, 'district', d.id, level), 'suppressed');
        }
      }
    }
  });
});

describe('survey confidentiality: linear system', () => {
  it('finds x determined by x + y = a and y = b, and nothing in x + y = a alone', () => {
    const eq = (e: Record<string, number>) => new Map(Object.entries(e));
    assert.deepEqual([...determinedUnknowns([eq({ x: 1, y: 1 })])], []);
    assert.deepEqual([...determinedUnknowns([eq({ x: 1, y: 1 }), eq({ y: 1 })])].sort(), [
      'x',
      'y',
    ]);
    // x − y and x + y together pin both; x + y and 2x + 2y do not.
    assert.deepEqual([...determinedUnknowns([eq({ x: 1, y: -1 }), eq({ x: 1, y: 1 })])].sort(), [
      'x',
      'y',
    ]);
    assert.deepEqual([...determinedUnknowns([eq({ x: 1, y: 1 }), eq({ x: 2, y: 2 })])], []);
  });
});

describe('survey confidentiality: coded percentages', () => {
  const rules = { exactFromAnswers: 30, codedMargin: 5 };
  it('codes extremes from small denominators and leaves the exact figure out', () => {
    assert.deepEqual(publishedPercent(0, 12, rules), { text: '≤5%' });
    assert.deepEqual(publishedPercent(12, 12, rules), { text: '≥95%' });
    assert.deepEqual(publishedPercent(6, 12, rules), { text: '50%', percent: 50 });
    assert.deepEqual(publishedPercent(0, 40, rules), { text: '0%', percent: 0 });
    assert.deepEqual(publishedPercent(0, 0, rules), { text: '—' });
  });
});
