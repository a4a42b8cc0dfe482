/**
 * Fellegi–Sunter scoring (Fellegi & Sunter 1969; as Splink does it): for each field and agreement
 * level, m = P(level | same child) and u = P(level | different children); the field contributes
 * log2(m/u) bits. The sum over fields is the match weight, compared with the thresholds in config.
 * Each link keeps every field's contribution: that is the "why these were linked" shown to users.
 */
import type { Comparison, ComparedField, Levels } from './compare.js';
import {
  compareBirthDates,
  compareBirthPlaces,
  compareNames,
  compareParents,
  compareSex,
} from './compare.js';
import type { LinkagePerson } from './person.js';
import { comparedFields } from './compare.js';
import type { comparisonLevels } from './compare.js';

export interface MU {
  m: number;
  u: number;
}

export type LinkageWeights = {
  [F in ComparedField]: Record<(typeof comparisonLevels)[F][number], MU>;
};

/** Pinned weights from config: any field, any level. */
export type PinnedWeights = Partial<Record<ComparedField, Partial<Record<string, Partial<MU>>>>>;

/**
 * Starting values before any estimate: m from how often registrars' slips happen (the demo
 * generator's rates are of the same order), u from how often two different children agree by
 * chance (a birth date: about 1 in 6,500 days of ages 3-21).
 */
export const defaultWeights: LinkageWeights = {
  firstName: {
    exact: { m: 0.8, u: 0.01 },
    nickname: { m: 0.1, u: 0.001 },
    fuzzy: { m: 0.08, u: 0.02 },
    different: { m: 0.02, u: 0.969 },
  },
  lastName: {
    exact: { m: 0.6, u: 0.004 },
    partial: { m: 0.33, u: 0.01 },
    fuzzy: { m: 0.05, u: 0.02 },
    different: { m: 0.02, u: 0.966 },
  },
  birthDate: {
    exact: { m: 0.92, u: 0.0002 },
    transposed: { m: 0.04, u: 0.0002 },
    yearOff: { m: 0.01, u: 0.002 },
    different: { m: 0.03, u: 0.9976 },
  },
  sex: { same: { m: 0.99, u: 0.5 }, different: { m: 0.01, u: 0.5 } },
  birthPlace: {
    exact: { m: 0.9, u: 0.05 },
    country: { m: 0.07, u: 0.45 },
    different: { m: 0.03, u: 0.5 },
  },
  parents: {
    exact: { m: 0.8, u: 0.001 },
    fuzzy: { m: 0.12, u: 0.01 },
    different: { m: 0.08, u: 0.989 },
  },
};

/** Lowest probability a level is given, so log2(m/u) stays finite. */
const FLOOR = 1e-6;

/** Pinned values win over estimated ones, which win over the defaults. */
export function resolveWeights(
  estimated: Partial<LinkageWeights> | undefined,
  pinned: PinnedWeights | undefined,
): LinkageWeights {
  const out = structuredClone(defaultWeights) as Record<string, Record<string, MU>>;
  for (const field of comparedFields) {
    const levels = out[field] as Record<string, MU>;
    const est = estimated?.[field] as Record<string, MU> | undefined;
    for (const level of Object.keys(levels)) {
      const base = levels[level] as MU;
      const e = est?.[level];
      const p = pinned?.[field]?.[level];
      levels[level] = {
        m: p?.m ?? e?.m ?? base.m,
        u: p?.u ?? e?.u ?? base.u,
      };
    }
  }
  return out as unknown as LinkageWeights;
}

export interface FieldContribution {
  field: ComparedField;
  level: string;
  /** log2(m/u) in bits; 0 when the field is missing on either side. */
  weight: number;
  m?: number;
  u?: number;
}

export interface PairScore {
  /** Sum of the fields' weights (bits). */
  score: number;
  contributions: FieldContribution[];
  namesSwapped: boolean;
  /** The multiple-birth flag is set and the first names differ: never linked automatically. */
  twinRule: boolean;
}

export function levelWeight(weights: LinkageWeights, field: ComparedField, level: string): number {
  if (level === 'missing') return 0;
  const mu = (weights[field] as Record<string, MU>)[level];
  if (!mu) return 0;
  return Math.log2(Math.max(mu.m, FLOOR) / Math.max(mu.u, FLOOR));
}

/** Scores a comparison. `multipleBirth`: either side (or any record of the child) says so. */
export function scoreComparison(
  weights: LinkageWeights,
  comparison: Comparison,
  multipleBirth: boolean,
): PairScore {
  const contributions: FieldContribution[] = [];
  let score = 0;
  for (const field of comparedFields) {
    const level = comparison.levels[field];
    const weight = levelWeight(weights, field, level);
    const mu = level === 'missing' ? undefined : (weights[field] as Record<string, MU>)[level];
    contributions.push({ field, level, weight: Math.round(weight * 1000) / 1000, ...mu });
    score += weight;
  }
  return {
    score: Math.round(score * 1000) / 1000,
    contributions,
    namesSwapped: comparison.namesSwapped,
    twinRule: multipleBirth && comparison.levels.firstName === 'different',
  };
}

export type LinkDecision = 'link' | 'near-match' | 'new';

export interface Thresholds {
  upper: number;
  lower: number;
}

/**
 * Above the upper threshold: link; between: a near-match worklist item; below: a new child. The
 * twin rule caps a pair at a worklist item, and only when the rest of the evidence is strong
 * (a twin pair scores high on everything but the first name).
 */
export function decide(score: PairScore, thresholds: Thresholds): LinkDecision {
  if (score.twinRule) return score.score >= thresholds.upper ? 'near-match' : 'new';
  if (score.score >= thresholds.upper) return 'link';
  if (score.score >= thresholds.lower) return 'near-match';
  return 'new';
}

const maxCache = new WeakMap<LinkageWeights, Record<ComparedField, number>>();

/** The most each field can add: its best level's weight (none below zero). */
function maxWeights(weights: LinkageWeights): Record<ComparedField, number> {
  let max = maxCache.get(weights);
  if (!max) {
    max = {} as Record<ComparedField, number>;
    for (const field of comparedFields) {
      const levels = Object.keys(weights[field]);
      max[field] = Math.max(0, ...levels.map((l) => levelWeight(weights, field, l)));
    }
    maxCache.set(weights, max);
  }
  return max;
}

/**
 * comparePeople and scoreComparison in one, stopping as soon as the pair cannot reach `floor`
 * (returns null): cheap fields first (birth date, sex), names and parents (Jaro–Winkler) only
 * for pairs still in the running. Most blocked pairs are decided by their birth date alone.
 */
export function scorePeople(
  weights: LinkageWeights,
  a: LinkagePerson,
  b: LinkagePerson,
  multipleBirth: boolean,
  floor: number,
): PairScore | null {
  const max = maxWeights(weights);
  const birthDate = compareBirthDates(a.birthDate, b.birthDate);
  const sex = compareSex(a.sex, b.sex);
  let score = levelWeight(weights, 'birthDate', birthDate) + levelWeight(weights, 'sex', sex);
  let remaining = max.firstName + max.lastName + max.birthPlace + max.parents;
  if (score + remaining < floor) return null;
  const names = compareNames(a, b);
  score +=
    levelWeight(weights, 'firstName', names.firstName) +
    levelWeight(weights, 'lastName', names.lastName);
  remaining -= max.firstName + max.lastName;
  if (score + remaining < floor) return null;
  const birthPlace = compareBirthPlaces(a, b);
  score += levelWeight(weights, 'birthPlace', birthPlace);
  if (score + max.parents < floor) return null;
  const parents = compareParents(a.parents, b.parents);
  return scoreComparison(
    weights,
    {
      levels: {
        firstName: names.firstName,
        lastName: names.lastName,
        birthDate,
        sex,
        birthPlace,
        parents,
      },
      namesSwapped: names.namesSwapped,
    },
    multipleBirth,
  );
}

/** Levels of every field, for EM and for tests. */
export type { Levels };
