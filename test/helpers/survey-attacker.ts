/**
 * The attacker of the survey reports: knows every published respondent count and which cells add
 * up to which (the region table is public), and solves the linear equations that implies. Written
 * apart from the suppression module (floating-point rank, a different method) so that a mistake
 * there is not repeated here.
 */

export interface PublishedRelation {
  total: string;
  parts: readonly string[];
}

function rank(rows: number[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    let best = r;
    for (let i = r + 1; i < m.length; i++)
      if (Math.abs(m[i]![c]!) > Math.abs(m[best]![c]!)) best = i;
    if (Math.abs(m[best]![c]!) < 1e-9) continue;
    [m[r], m[best]] = [m[best]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]! / m[r]![c]!;
      if (f !== 0) for (let j = c; j < cols; j++) m[i]![j]! -= f * m[r]![j]!;
    }
    r++;
  }
  return r;
}

/**
 * Hidden cells an attacker can compute. `known(cell)` is true when the cell's value is published
 * (or known to be zero). Tries every single subtraction first, then the whole linear system.
 */
export function recoverableCells(
  relations: readonly PublishedRelation[],
  known: (cell: string) => boolean,
): { bySubtraction: string[]; byEquations: string[] } {
  const bySubtraction = new Set<string>();
  for (const r of relations) {
    const unknown = [r.total, ...r.parts].filter((c) => !known(c));
    if (unknown.length === 1) bySubtraction.add(unknown[0]!);
  }
  const hidden = [
    ...new Set(relations.flatMap((r) => [r.total, ...r.parts]).filter((c) => !known(c))),
  ].sort();
  const index = new Map(hidden.map((c, i) => [c, i]));
  const rows: number[][] = [];
  for (const r of relations) {
    const row = new Array<number>(hidden.length).fill(0);
    let any = false;
    const t = index.get(r.total);
    if (t !== undefined) {
      row[t]! -= 1;
      any = true;
    }
    for (const p of r.parts) {
      const i = index.get(p);
      if (i !== undefined) {
        row[i]! += 1;
        any = true;
      }
    }
    if (any) rows.push(row);
  }
  const base = rank(rows);
  const byEquations: string[] = [];
  hidden.forEach((cell, i) => {
    const unit = new Array<number>(hidden.length).fill(0);
    unit[i] = 1;
    if (rank([...rows, unit]) === base) byEquations.push(cell);
  });
  return { bySubtraction: [...bySubtraction].sort(), byEquations };
}
