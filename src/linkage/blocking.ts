/**
 * Blocking keys (DESIGN.md section 6): a pair of records is compared only when the two share a
 * key. Keys are computed here, once per record, and stored in `linkage_keys`; candidate pairs are
 * the rows of that table joined to itself on the key (store/repositories/linkage.ts), so no
 * pair that shares no key is ever looked at.
 *
 * - `b:` the birth date with a double-metaphone code of any one name word (given names, their
 *   formal form for a nickname, and surnames alike), so first and last names swapped, a missing
 *   second surname or a typo in one name still meet; the birth date alone made blocks that grew
 *   with the store (about 180 records a day at a million children);
 * - `s:` a double-metaphone code of either surname word with the birth year and the birth
 *   month and day as an unordered pair (`03-07` for both 7 March and 3 July), so a transposed
 *   day and month still meets, and spelling variants that sound alike; written for every date
 *   (for a date that cannot be read both ways the `b:` keys hold the same pairs) because child
 *   search finds a surname in any year by this key's prefix (child-search.ts);
 * - `f:` the first name, nicknames folded to a formal name, with birth month and day and a
 *   two-year window, written twice (`f:GUADALUPE:0307:2014` and `...:2015` for 2014): a year
 *   typed one off (the most compare.ts accepts as `yearOff`) still shares one, and missing or
 *   swapped surnames are caught; without the year the block held every birth year (15 times
 *   the records, growing with the store). A surname initial in the key as well (four keys for
 *   two surnames) made blocks smaller but the linked ingest slower, since each key is a row
 *   written to two indexes (bench/README.md, Linkage and Ingest).
 *
 * Every key is an index entry written per record, and at a million records each costs about as
 * much as a candidate pair: keys that add no pairs are not written.
 *
 * Changing a key's form needs the keys rebuilt: the relink job (relinkAll) does that first.
 */
import { doubleMetaphone } from 'double-metaphone';
import { canonicalGivenName } from './nicknames.js';
import type { LinkagePerson } from './person.js';

/** Longest key stored (linkage_keys.key is VARCHAR(64)). */
export const MAX_KEY_LENGTH = 64;

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

export function blockingKeys(person: LinkagePerson): string[] {
  const keys = new Set<string>();
  const date = person.birthDate;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    const year = date.slice(0, 4);
    const [month, day] = [date.slice(5, 7), date.slice(8, 10)];
    const dayPair = month < day ? `${month}-${day}` : `${day}-${month}`;
    const words = [
      ...person.given.flatMap((g) => [g, canonicalGivenName(g)]),
      ...person.surnames.tokens,
    ];
    for (const word of words) {
      const code = phoneticCode(word);
      if (code) keys.add(`b:${date}:${code}`);
    }
    for (const token of person.surnames.tokens) {
      const primary = phoneticCode(token);
      if (primary) keys.add(`s:${primary}:${year}:${dayPair}`);
    }
    const first = person.given[0];
    if (first) {
      const name = canonicalGivenName(first);
      keys.add(`f:${name}:${month}${day}:${year}`);
      keys.add(`f:${name}:${month}${day}:${Number(year) + 1}`);
    }
  }
  return [...keys].map((k) => k.slice(0, MAX_KEY_LENGTH));
}
