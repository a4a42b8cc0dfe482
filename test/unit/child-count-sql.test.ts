/**
 * The child-count SQL without a database: the periods, and the SQL Server version of the count,
 * which cannot run here, kept as a reviewed snapshot and checked for what SQL Server 2019 lacks.
 * `UPDATE_SNAPSHOTS=1` rewrites the snapshot.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  countsSelect,
  insertMembersSql,
  qualifyingChildrenSelect,
} from '../../src/reports/child-count/count-sql.js';
import {
  ChildCountInputError,
  countedThrough,
  parsePeriod,
  periodContaining,
  previousPeriod,
} from '../../src/reports/child-count/period.js';

const snapshotPath = fileURLToPath(new URL('../snapshots/child-count-mssql.sql', import.meta.url));

describe('child-count periods', () => {
  it('runs from September 1 through August 31', () => {
    assert.deepEqual(parsePeriod('2024-25'), {
      name: '2024-25',
      start: '2024-09-01',
      end: '2025-08-31',
    });
    assert.equal(parsePeriod('1999-00').end, '2000-08-31');
    assert.equal(periodContaining('2025-08-31').name, '2024-25');
    assert.equal(periodContaining('2025-09-01').name, '2025-26');
    assert.equal(previousPeriod(parsePeriod('2025-26')).name, '2024-25');
  });

  for (const bad of ['2024-26', '2024', '24-25', '2024-2025', '']) {
    it(`refuses the period "${bad}"`, () => {
      assert.throws(() => parsePeriod(bad), ChildCountInputError);
    });
  }

  it('counts through the as-of day, never past the period, never before it', () => {
    const p = parsePeriod('2024-25');
    assert.equal(countedThrough(p), '2025-08-31');
    assert.equal(countedThrough(p, '2025-01-31'), '2025-01-31');
    assert.equal(countedThrough(p, '2026-01-31'), '2025-08-31');
    assert.throws(() => countedThrough(p, '2024-08-31'), ChildCountInputError);
    assert.throws(() => countedThrough(p, '2025-02-30'), ChildCountInputError);
  });
});

describe('child-count SQL for SQL Server', () => {
  const statements = [
    ['count, one state', countsSelect('mssql', { oneState: true })],
    ['count, every state', countsSelect('mssql', { oneState: false })],
    ['refresh (insert members)', insertMembersSql('mssql', { oneState: false })],
    [
      'reconciliation: eligible and of age, enrollment not needed',
      qualifyingChildrenSelect('mssql', {
        oneState: true,
        childFilter: true,
        relax: { enrollment: true },
      }),
    ],
  ] as const;
  const text = statements.map(([what, sql]) => `-- ${what}\n${sql};\n`).join('\n');

  it('matches the reviewed snapshot', () => {
    if (process.env['UPDATE_SNAPSHOTS'] === '1') writeFileSync(snapshotPath, text);
    assert.ok(
      existsSync(snapshotPath),
      `no snapshot at ${snapshotPath}: run with UPDATE_SNAPSHOTS=1`,
    );
    assert.equal(text, readFileSync(snapshotPath, 'utf8'), 'the SQL Server count SQL changed');
  });

  it('uses only what SQL Server 2019 has', () => {
    for (const [what, sql] of statements) {
      // GREATEST/LEAST are 2022-only; INTERVAL, date() and :: casts are other dialects'.
      for (const foreign of [
        /\bGREATEST\(/,
        /\bLEAST\(/,
        /\bINTERVAL\b/,
        /\bdate\(/,
        /::/,
        /\bWINDOW\b/,
      ]) {
        assert.doesNotMatch(sql, foreign, `${what}: ${foreign}`);
      }
      // A CTE cannot sit inside INSERT ... SELECT on SQL Server: WITH comes first.
      assert.match(sql, /^WITH /, what);
    }
  });

  it('writes the Feb 29 roll-over and the 36-month span with DATEADD', () => {
    const sql = countsSelect('mssql', { oneState: true });
    assert.match(
      sql,
      /DATEADD\(day, -1, DATEADD\(day, 1, DATEADD\(year, 3, DATEADD\(day, -1, m\.qualifying_arrival_date\)\)\)\)/,
    );
    assert.match(sql, /DATEADD\(year, 22, DATEADD\(day, -1, sr\.birth_date\)\)/);
  });
});

/** The MIN( and MAX( calls of `sql` with one argument (no comma outside parentheses). */
function oneArgumentCalls(sql: string): string[] {
  const calls: string[] = [];
  for (const m of sql.matchAll(/\b(MIN|MAX)\(/g)) {
    const start = (m.index ?? 0) + m[0].length;
    let depth = 0;
    let commas = 0;
    let end = start;
    for (; end < sql.length && depth >= 0; end++) {
      const c = sql[end];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === ',' && depth === 0) commas++;
    }
    if (commas === 0) calls.push(sql.slice(m.index, end));
  }
  return calls;
}

describe('child-count SQL for SQLite', () => {
  it('writes LEAST/GREATEST of one expression as the expression, not the MIN()/MAX() aggregate', () => {
    // Every rule relaxed (the reconciliation's last step): the end of eligibility has one term.
    const sql = qualifyingChildrenSelect('sqlite', {
      oneState: true,
      childFilter: true,
      relax: { enrollment: true, minAge: true, maxAge: true, graduation: true },
    });
    assert.deepEqual(oneArgumentCalls(sql), ['MIN(e.graduation_date)']);
  });
});
