/**
 * Which unknowns a system of linear equations pins down. Complementary suppression
 * (confidentiality.ts) hides cells of linked tables whose totals are published: each published
 * total is an equation over the hidden cells it adds up. An attacker who solves those equations
 * learns a hidden cell exactly when its unit vector lies in the row space of the system, whatever
 * the right-hand sides are. That is read off the reduced row echelon form: the unknown is a pivot
 * whose row has no other entry.
 *
 * Exact integer arithmetic (bigint rows divided by their gcd): a rounding error must not decide
 * whether a cell is safe.
 */

/** One equation: unknown → coefficient (the right-hand side does not matter). */
export type LinearEquation = ReadonlyMap<string, number>;

type Row = Map<number, bigint>;

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function normalize(row: Row): Row {
  let g = 0n;
  for (const v of row.values()) g = gcd(g, v);
  if (g > 1n) for (const [k, v] of row) row.set(k, v / g);
  return row;
}

/** `row := a·row − b·pivotRow`, so that `column` leaves `row`. */
function eliminate(row: Row, pivotRow: Row, column: number): void {
  const a = pivotRow.get(column) as bigint;
  const b = row.get(column);
  if (b === undefined) return;
  for (const [k, v] of row) row.set(k, v * a);
  for (const [k, v] of pivotRow) {
    const next = (row.get(k) ?? 0n) - v * b;
    if (next === 0n) row.delete(k);
    else row.set(k, next);
  }
  normalize(row);
}

/**
 * The unknowns whose value the equations determine. Gauss-Jordan, kept reduced as rows come in:
 * each pivot column appears in its own row only.
 */
export function determinedUnknowns(equations: Iterable<LinearEquation>): Set<string> {
  const index = new Map<string, number>();
  const names: string[] = [];
  const pivots = new Map<number, Row>();
  for (const equation of equations) {
    const row: Row = new Map();
    for (const [name, coefficient] of equation) {
      if (coefficient === 0) continue;
      if (!Number.isInteger(coefficient)) throw new RangeError('coefficients must be integers');
      let i = index.get(name);
      if (i === undefined) {
        i = names.length;
        names.push(name);
        index.set(name, i);
      }
      row.set(i, (row.get(i) ?? 0n) + BigInt(coefficient));
      if (row.get(i) === 0n) row.delete(i);
    }
    for (const column of [...row.keys()]) {
      const pivotRow = pivots.get(column);
      if (pivotRow && row.has(column)) eliminate(row, pivotRow, column);
    }
    if (row.size === 0) continue;
    const column = Math.min(...row.keys());
    normalize(row);
    for (const other of pivots.values()) eliminate(other, row, column);
    pivots.set(column, row);
  }
  const determined = new Set<string>();
  for (const [column, row] of pivots) {
    if (row.size === 1) determined.add(names[column] as string);
  }
  return determined;
}
