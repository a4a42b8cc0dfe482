/**
 * Field-by-field comparison of two records (DESIGN.md section 6): each field is given an
 * agreement level, which the Fellegi–Sunter weights (weights.ts) turn into evidence for or
 * against "same child". `missing` (either side lacks the field) is no evidence either way.
 */
import { jaroWinkler, jaroWinklerOnce } from './jaro-winkler.js';
import { nicknameEquivalent } from './nicknames.js';
import type { LinkagePerson } from './person.js';

export const comparisonLevels = {
  firstName: ['exact', 'nickname', 'fuzzy', 'different'],
  lastName: ['exact', 'partial', 'fuzzy', 'different'],
  birthDate: ['exact', 'transposed', 'yearOff', 'different'],
  sex: ['same', 'different'],
  birthPlace: ['exact', 'country', 'different'],
  parents: ['exact', 'fuzzy', 'different'],
} as const;

export type ComparedField = keyof typeof comparisonLevels;
export const comparedFields = Object.keys(comparisonLevels) as ComparedField[];
export type LevelOf<F extends ComparedField> = (typeof comparisonLevels)[F][number];
export type Levels = { [F in ComparedField]: LevelOf<F> | 'missing' };

export interface Comparison {
  levels: Levels;
  /** The first name of one record was compared with the surname of the other, and vice versa. */
  namesSwapped: boolean;
}

/** Jaro–Winkler at or above this is a likely typo of the same name. */
const FUZZY_NAME = 0.88;

export function compareFirstNames(a: readonly string[], b: readonly string[]): Levels['firstName'] {
  const [a0, b0] = [a[0], b[0]];
  if (!a0 || !b0) return 'missing';
  // Tokens hold no spaces: two lists that join alike start alike.
  if (a0 === b0) return 'exact';
  if (nicknameEquivalent(a0, b0)) return 'nickname';
  // `José Luis` in one state, `Luis` (the name used) in another.
  if (a.some((t) => b.includes(t))) return 'fuzzy';
  if (a.some((t) => b.some((u) => nicknameEquivalent(t, u)))) return 'fuzzy';
  if (jaroWinkler(a0, b0) >= FUZZY_NAME) return 'fuzzy';
  // Whole multi-word names rarely meet twice: not remembered.
  if ((a.length > 1 || b.length > 1) && jaroWinklerOnce(a.join(' '), b.join(' ')) >= FUZZY_NAME) {
    return 'fuzzy';
  }
  return 'different';
}

function sameMultiset(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = (x: readonly string[]) => [...x].sort().join(' ');
  return sorted(a) === sorted(b);
}

/**
 * Both surnames in either order; hyphenated and joined pairs split into words (normalise.ts); a
 * missing second surname (one side's words all found on the other side) is `partial`.
 */
export function compareSurnames(
  a: { tokens: readonly string[]; joined: string; sorted?: string },
  b: { tokens: readonly string[]; joined: string; sorted?: string },
): Levels['lastName'] {
  if (a.tokens.length === 0 || b.tokens.length === 0) return 'missing';
  if (a.joined === b.joined) return 'exact';
  if (a.sorted !== undefined && b.sorted !== undefined) {
    if (a.sorted === b.sorted) return 'exact';
  } else if (sameMultiset(a.tokens, b.tokens)) return 'exact';
  const [small, large] = a.tokens.length <= b.tokens.length ? [a, b] : [b, a];
  if (small.tokens.every((t) => large.tokens.includes(t))) return 'partial';
  // Written together without a space (`GARCIALOPEZ`) against `GARCIA`: a prefix of the join.
  if (large.tokens.length === 1 && small.tokens.length === 1) {
    const [s, l] = [small.joined, large.joined];
    if (l.length > s.length + 2 && (l.startsWith(s) || l.endsWith(s))) return 'partial';
    if (s.length > l.length + 2 && (s.startsWith(l) || s.endsWith(l))) return 'partial';
  }
  // Surnames joined are pairs of words, rarely the same two twice: not remembered.
  if (jaroWinklerOnce(a.joined, b.joined) >= 0.92) return 'fuzzy';
  let best = 0;
  for (const t of a.tokens) for (const u of b.tokens) best = Math.max(best, jaroWinkler(t, u));
  // Every word of the shorter side must find a near twin; one shared word alone is a cousin.
  const allNear = small.tokens.every((t) => large.tokens.some((u) => jaroWinkler(t, u) >= 0.9));
  if (allNear && best >= 0.9) return 'fuzzy';
  return 'different';
}

export function compareBirthDates(a: string, b: string): Levels['birthDate'] {
  if (!a || !b) return 'missing';
  if (a === b) return 'exact';
  const [ay, am, ad] = a.split('-');
  const [by, bm, bd] = b.split('-');
  // A US form (month/day) and a Mexican one (day/month) read the same date differently.
  if (ay === by && am === bd && ad === bm) return 'transposed';
  if (am === bm && ad === bd && Math.abs(Number(ay) - Number(by)) === 1) return 'yearOff';
  return 'different';
}

export function compareSex(a: string, b: string): Levels['sex'] {
  if (!a || !b) return 'missing';
  return a === b ? 'same' : 'different';
}

export function compareBirthPlaces(
  a: Pick<LinkagePerson, 'birthCity' | 'birthState' | 'birthCountry'>,
  b: Pick<LinkagePerson, 'birthCity' | 'birthState' | 'birthCountry'>,
): Levels['birthPlace'] {
  if (!(a.birthCountry || a.birthCity) || !(b.birthCountry || b.birthCity)) return 'missing';
  if (a.birthCountry && b.birthCountry && a.birthCountry !== b.birthCountry) return 'different';
  if (a.birthState && b.birthState && a.birthState !== b.birthState) return 'different';
  if (a.birthCity && b.birthCity) {
    if (jaroWinkler(a.birthCity, b.birthCity) >= 0.9) return 'exact';
    return a.birthCountry && a.birthCountry === b.birthCountry ? 'country' : 'different';
  }
  return 'country';
}

export function compareParents(a: readonly string[], b: readonly string[]): Levels['parents'] {
  if (a.length === 0 || b.length === 0) return 'missing';
  let best = 0;
  for (const p of a) for (const q of b) best = Math.max(best, jaroWinklerOnce(p, q));
  if (best >= 0.96) return 'exact';
  if (best >= 0.88) return 'fuzzy';
  return 'different';
}

const nameRank = { exact: 3, nickname: 2, partial: 2, fuzzy: 1, different: 0, missing: 0 };

/** First and last names, trying them swapped on one side when they do not agree as given. */
export function compareNames(
  a: LinkagePerson,
  b: LinkagePerson,
): { firstName: Levels['firstName']; lastName: Levels['lastName']; namesSwapped: boolean } {
  const firstName = compareFirstNames(a.given, b.given);
  const lastName = compareSurnames(a.surnames, b.surnames);
  if (firstName !== 'different' && lastName !== 'different') {
    return { firstName, lastName, namesSwapped: false };
  }
  // `Juan García` registered as first name García, last name Juan. Only an exact first name
  // (or its nickname) found among the other's surnames is taken as a swap.
  const given = a.given[0];
  if (!given || !b.surnames.tokens.some((t) => t === given || nicknameEquivalent(t, given))) {
    return { firstName, lastName, namesSwapped: false };
  }
  const swappedFirst = compareFirstNames(a.given, b.surnames.tokens);
  const swappedLast = compareSurnames(a.surnames, { tokens: b.given, joined: b.given.join('') });
  if (
    swappedLast !== 'different' &&
    nameRank[swappedFirst] + nameRank[swappedLast] > nameRank[firstName] + nameRank[lastName]
  ) {
    return { firstName: swappedFirst, lastName: swappedLast, namesSwapped: true };
  }
  return { firstName, lastName, namesSwapped: false };
}

/** Compares two people field by field, trying first and last names swapped on one side too. */
export function comparePeople(a: LinkagePerson, b: LinkagePerson): Comparison {
  const names = compareNames(a, b);
  return {
    levels: {
      firstName: names.firstName,
      lastName: names.lastName,
      birthDate: compareBirthDates(a.birthDate, b.birthDate),
      sex: compareSex(a.sex, b.sex),
      birthPlace: compareBirthPlaces(a, b),
      parents: compareParents(a.parents, b.parents),
    },
    namesSwapped: names.namesSwapped,
  };
}
