/**
 * Estimating m and u from the data by expectation–maximisation (Winkler 1988; as Splink does):
 * u from pairs drawn at random (almost all of them different children), then m and the share of
 * matches λ by EM over the blocked candidate pairs, u held fixed. Identical comparison vectors
 * are counted once with a weight, so a million pairs cost as many patterns as there are (a few
 * thousand at most).
 */
import type { ComparedField, Levels } from './compare.js';
import { comparedFields, comparisonLevels } from './compare.js';
import type { LinkageWeights, MU, PinnedWeights } from './weights.js';
import { resolveWeights } from './weights.js';

export interface EmOptions {
  maxIterations?: number;
  /** Stop when no m moves more than this. */
  tolerance?: number;
  /** Fields whose weights are pinned in config: not re-estimated. */
  pinned?: PinnedWeights;
  /** Starting weights (default: the built-in ones, with pinned values applied). */
  start?: LinkageWeights;
}

export interface EmResult {
  weights: LinkageWeights;
  /** Estimated share of candidate pairs that are the same child. */
  lambda: number;
  iterations: number;
  pairs: number;
}

const PSEUDO = 0.5;

function patterns(vectors: readonly Levels[]): Map<string, { levels: Levels; count: number }> {
  const out = new Map<string, { levels: Levels; count: number }>();
  for (const v of vectors) {
    const key = comparedFields.map((f) => v[f]).join('|');
    const found = out.get(key);
    if (found) found.count++;
    else out.set(key, { levels: v, count: 1 });
  }
  return out;
}

/** u per field and level from random pairs, with add-half smoothing. */
export function estimateU(
  randomPairs: readonly Levels[],
): Partial<Record<ComparedField, Record<string, number>>> {
  const out: Partial<Record<ComparedField, Record<string, number>>> = {};
  for (const field of comparedFields) {
    const levels = comparisonLevels[field] as readonly string[];
    const counts = Object.fromEntries(levels.map((l) => [l, PSEUDO])) as Record<string, number>;
    let total = PSEUDO * levels.length;
    for (const v of randomPairs) {
      const level = v[field];
      if (level === 'missing') continue;
      counts[level] = (counts[level] ?? 0) + 1;
      total++;
    }
    out[field] = Object.fromEntries(levels.map((l) => [l, (counts[l] ?? 0) / total]));
  }
  return out;
}

export function estimateWeights(
  candidatePairs: readonly Levels[],
  randomPairs: readonly Levels[],
  options: EmOptions = {},
): EmResult {
  const pinned = options.pinned;
  const weights = structuredClone(options.start ?? resolveWeights(undefined, pinned));
  const w = weights as unknown as Record<string, Record<string, MU>>;
  if (randomPairs.length > 0) {
    const u = estimateU(randomPairs);
    for (const field of comparedFields) {
      for (const [level, value] of Object.entries(u[field] ?? {})) {
        if (pinned?.[field]?.[level]?.u !== undefined) continue;
        const mu = (w[field] as Record<string, MU>)[level];
        if (mu) mu.u = value;
      }
    }
  }
  const grouped = [...patterns(candidatePairs).values()];
  let lambda = 0.3;
  let iterations = 0;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-5;
  for (; iterations < maxIterations && grouped.length > 0; iterations++) {
    // E step: the probability that each pattern is a match.
    const mCounts: Record<string, Record<string, number>> = {};
    const mTotals: Record<string, number> = {};
    for (const field of comparedFields) {
      mCounts[field] = {};
      mTotals[field] = 0;
    }
    let matchMass = 0;
    let total = 0;
    for (const { levels, count } of grouped) {
      let pm = lambda;
      let pu = 1 - lambda;
      for (const field of comparedFields) {
        const level = levels[field];
        if (level === 'missing') continue;
        const mu = (w[field] as Record<string, MU>)[level] as MU;
        pm *= mu.m;
        pu *= mu.u;
      }
      const p = pm + pu > 0 ? pm / (pm + pu) : 0;
      matchMass += p * count;
      total += count;
      for (const field of comparedFields) {
        const level = levels[field];
        if (level === 'missing') continue;
        const c = mCounts[field] as Record<string, number>;
        c[level] = (c[level] ?? 0) + p * count;
        mTotals[field] = (mTotals[field] ?? 0) + p * count;
      }
    }
    // M step: new m (u stays as estimated from random pairs) and λ.
    let moved = 0;
    for (const field of comparedFields) {
      const levels = comparisonLevels[field] as readonly string[];
      const denom = (mTotals[field] ?? 0) + PSEUDO * levels.length;
      for (const level of levels) {
        if (pinned?.[field]?.[level]?.m !== undefined) continue;
        const mu = (w[field] as Record<string, MU>)[level] as MU;
        const next = (((mCounts[field] as Record<string, number>)[level] ?? 0) + PSEUDO) / denom;
        moved = Math.max(moved, Math.abs(next - mu.m));
        mu.m = next;
      }
    }
    lambda = Math.min(0.999, Math.max(0.001, matchMass / Math.max(total, 1)));
    if (moved < tolerance) {
      iterations++;
      break;
    }
  }
  return { weights, lambda, iterations, pairs: candidatePairs.length };
}
