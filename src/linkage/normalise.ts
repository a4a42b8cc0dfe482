/**
 * Name normalisation for record linkage: case, accents, punctuation, hyphenated and joined
 * surnames, Spanish surname particles. Everything compared or blocked on goes through here, so a
 * record typed on a keyboard without accents (`Munoz`) meets one typed with them (`Muñoz`).
 */

/** Particles that join a surname (`de la Cruz`, `del Río`) but say nothing on their own. */
const particles = new Set(['DE', 'DEL', 'LA', 'LAS', 'LOS', 'Y', 'E', 'VAN', 'VON', 'DA', 'DI']);

/**
 * Names repeat (pools of a few thousand given names, surnames and cities), and linking
 * normalises every candidate it reads: each value's result is remembered.
 */
const normalised = new Map<string, string>();
const NORMALISED_LIMIT = 200_000;

/** Upper case, no diacritics, letters and single spaces only: `  María-José ` → `MARIA JOSE`. */
export function normaliseName(value: string | null | undefined): string {
  if (!value) return '';
  let name = normalised.get(value);
  if (name === undefined) {
    name = value
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toUpperCase()
      .replace(/['’`.]/g, '')
      .replace(/[^A-Z]+/g, ' ')
      .trim();
    if (normalised.size >= NORMALISED_LIMIT) normalised.clear();
    normalised.set(value, name);
  }
  return name;
}

/** The words of a name without particles: `de la Cruz-Pérez` → `CRUZ`, `PEREZ`. */
export function nameTokens(value: string | null | undefined): string[] {
  const words = normaliseName(value).split(' ').filter(Boolean);
  const kept = words.filter((w) => !particles.has(w));
  return kept.length ? kept : words;
}

export interface NormalisedSurnames {
  /** Every surname word of both surname fields, in order: a hyphenated or joined pair splits. */
  tokens: string[];
  /** All surnames written together without spaces: `GARCIALOPEZ`, for joined spellings. */
  joined: string;
  /** The paternal surname as given, normalised (may hold two words when joined). */
  first: string;
  /** The words sorted and joined: equal for the same surnames in either order. */
  sorted: string;
}

/**
 * Both surnames as one comparable value. `García López` in lastName1 alone (joined),
 * `García-López` (hyphenated), `García` + `López` (two fields) and `López` + `García` (swapped) all
 * give the tokens GARCIA, LOPEZ; a missing second surname gives GARCIA alone.
 */
export function normaliseSurnames(
  lastName1: string | null | undefined,
  lastName2: string | null | undefined,
): NormalisedSurnames {
  const tokens = [...nameTokens(lastName1), ...nameTokens(lastName2)];
  return {
    tokens,
    joined: tokens.join(''),
    first: normaliseName(lastName1),
    sorted: [...tokens].sort().join(' '),
  };
}

/** Given names: the first word is the name used; the rest often moves to the middle name. */
export function givenTokens(firstName: string | null | undefined): string[] {
  return normaliseName(firstName).split(' ').filter(Boolean);
}
