/**
 * Blocking keys (DESIGN.md section 6): a pair of records is compared only when one's lookup keys
 * meet the other's stored keys. Stored keys are written once per record in `linkage_keys`; when a
 * record is linked its lookup keys (a few more, computed here, never written) are searched for in
 * that table, so no pair that shares no key is ever looked at, and a variation is paid for by a
 * cheap look-up rather than by an index row written for every record.
 *
 * - `given` and `surname`: a double-metaphone code of one name word (given names and their
 *   formal form for a nickname; surname words) with the birth year and the birth month and day as
 *   an unordered pair (the same for 7 March and 3 July, so a transposed day and month still
 *   meets). Each word is stored once, in its own space; its code is looked up in both, so first
 *   and last names swapped meet, as do a missing second surname, a nickname or a typo in one name.
 *   The surname space alone is what child search reads for a surname (child-search.ts);
 * - `first`: the first name, nicknames folded to a formal name, with birth month and day, the
 *   initial of one surname word (one key per initial: a missing second surname, surnames swapped
 *   or joined still share one) and the year; looked up with the year one either side (the most
 *   compare.ts accepts as `yearOff`), which the name-word keys cannot meet. Without the initial
 *   the block held everyone of that first name and birthday (half the pairs at a million
 *   children); without the year, every birth year.
 *
 * Each key is an integer below 2^53 (exact in a JavaScript number and in every dialect's BIGINT):
 * its kind, a 30-bit hash of the key's leading part (the name code or first name) and 21 bits of
 * the rest (year, month and day), so that everything of one leading part is one range of keys
 * (search by prefix, keyRange). Integers make the key index about half the size of text keys.
 * Two different parts that hash alike only merge two blocks: more pairs compared, none lost.
 *
 * Changing a key's form needs the keys rebuilt: the relink job (relinkAll) does that first.
 */
import { doubleMetaphone } from 'double-metaphone';
import { canonicalGivenName } from './nicknames.js';
import type { LinkagePerson } from './person.js';

export const keyKinds = { given: 0, surname: 1, first: 2 } as const;
export type KeyKind = keyof typeof keyKinds;

const LOW = 2 ** 21;
const HIGH = 2 ** 30;
const KIND = 2 ** 51;
/** Birth years are stored from this one (11 bits: to 3947). */
const YEAR_BASE = 1900;

const codes = new Map<string, string>();
const CODE_CACHE = 200_000;

/** The primary double-metaphone code of a normalised name word (names repeat: remembered). */
export function phoneticCode(word: string): string {
  let code = codes.get(word);
  if (code === undefined) {
    code = doubleMetaphone(word)[0];
    if (codes.size >= CODE_CACHE) codes.clear();
    codes.set(word, code);
  }
  return code;
}

/** FNV-1a over the UTF-16 units of `text`, to 30 bits. */
function hash30(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % HIGH;
}

/** The key of a kind, a leading part and the 21-bit rest. */
export function blockKey(kind: KeyKind, lead: string, rest: number): number {
  return keyKinds[kind] * KIND + hash30(lead) * LOW + (((rest % LOW) + LOW) % LOW);
}

/** Every key of these kinds (consecutive in keyKinds): [from, to). */
export function keyKindRange(first: KeyKind, last: KeyKind = first): { from: number; to: number } {
  return { from: keyKinds[first] * KIND, to: (keyKinds[last] + 1) * KIND };
}

/** Every key of a kind and leading part, and optionally a sub-range of the rest: [from, to). */
export function keyRange(
  kind: KeyKind,
  lead: string,
  rest?: { from: number; to: number },
): { from: number; to: number } {
  const base = blockKey(kind, lead, 0);
  return rest ? { from: base + rest.from, to: base + rest.to } : { from: base, to: base + LOW };
}

/** The rest of a name-word key: the year, then the unordered month and day (10 bits). */
function yearAndDays(year: number, month: number, day: number): number {
  const [low, high] = month < day ? [month, day] : [day, month];
  return (year - YEAR_BASE) * 1024 + low * 32 + high;
}

/** The rests of the name-word keys of one birth year (for search by surname and year). */
export function yearRest(year: number): { from: number; to: number } {
  return { from: (year - YEAR_BASE) * 1024, to: (year - YEAR_BASE + 1) * 1024 };
}

interface PersonParts {
  year: number;
  month: number;
  day: number;
  given: string[];
  surnames: string[];
  /** The first-name key's leading parts: one per surname initial. */
  firsts: string[];
}

/** The initials of the surname words (`_` for none): either surname of a first-name key. */
export function initials(tokens: readonly string[]): string[] {
  const letters = [...new Set(tokens.map((t) => t.charAt(0)).filter(Boolean))];
  return letters.length ? letters : ['_'];
}

function partsOf(person: LinkagePerson): PersonParts | undefined {
  const date = person.birthDate;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const code = (words: readonly string[]) => [...new Set(words.map(phoneticCode))].filter(Boolean);
  const first = person.given[0];
  return {
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    day: Number(date.slice(8, 10)),
    given: code(person.given.flatMap((g) => [g, canonicalGivenName(g)])),
    surnames: code(person.surnames.tokens),
    firsts: first
      ? initials(person.surnames.tokens).map(
          (initial) =>
            `${canonicalGivenName(first)}:${date.slice(5, 7)}${date.slice(8, 10)}:${initial}`,
        )
      : [],
  };
}

/** The keys written for a record (a few per record: each is an index row). */
export function blockingKeys(person: LinkagePerson): number[] {
  const p = partsOf(person);
  if (!p) return [];
  const rest = yearAndDays(p.year, p.month, p.day);
  const keys = new Set<number>();
  for (const code of p.given) keys.add(blockKey('given', code, rest));
  for (const code of p.surnames) keys.add(blockKey('surname', code, rest));
  for (const first of p.firsts) keys.add(blockKey('first', first, p.year - YEAR_BASE));
  return [...keys];
}

/**
 * The keys a record looks for among the stored ones: every name code in both name spaces, the
 * first name in the year before and after the birth year. A pair meets when either side's
 * lookup keys hold one of the other's stored keys (the rule is symmetric: A finds B exactly when
 * B would find A).
 */
export function lookupKeys(person: LinkagePerson): number[] {
  const p = partsOf(person);
  if (!p) return [];
  const rest = yearAndDays(p.year, p.month, p.day);
  const keys = new Set<number>();
  for (const code of new Set([...p.given, ...p.surnames])) {
    keys.add(blockKey('given', code, rest));
    keys.add(blockKey('surname', code, rest));
  }
  // The same year needs no look-up: the first name's code with the same year, month and day is
  // a given-name key, looked up above.
  for (const first of p.firsts) {
    for (const year of [p.year - 1, p.year + 1]) {
      keys.add(blockKey('first', first, year - YEAR_BASE));
    }
  }
  return [...keys];
}
