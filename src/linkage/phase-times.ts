/**
 * Where linking spends its time: milliseconds per phase (key look-up, candidate reads, scoring,
 * child facts, key and link writes), summed since the last reset. The linkage benchmark prints
 * them (bench/linkage); otherwise they cost two clock reads per phase and batch.
 */
const phases = new Map<string, number>();

export function resetLinkPhases(): void {
  phases.clear();
}

export function linkPhases(): ReadonlyMap<string, number> {
  return phases;
}

export function addPhaseTime(name: string, milliseconds: number): void {
  phases.set(name, (phases.get(name) ?? 0) + milliseconds);
}

export async function timedPhase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    addPhaseTime(name, performance.now() - start);
  }
}
