/**
 * Blocking keys (DESIGN.md section 6): a pair of records is compared only when the two share a
 * key. Keys are computed here, once per record, and stored in `linkage_keys`; candidate pairs are
 * the rows of that table joined to itself on the key (store/repositories/linkage.ts), so no
 * pair that shares no key is ever looked at.
 *
 * - `b:` the birth date;
 * - `s:` a double-metaphone code of either surname word with the birth year (catches a
 *   transposed day and month, and spelling variants that sound alike);
 * - `f:` the first name, nicknames folded to a formal name, with birth month and day (catches a
 *   year typed wrong, and missing or swapped surnames).
 */
import { doubleMetaphone } from 'double-metaphone';
import { canonicalGivenName } from './nicknames.js';
import type { LinkagePerson } from './person.js';

/** Longest key stored (linkage_keys.key is VARCHAR(64)). */
export const MAX_KEY_LENGTH = 64;

export function blockingKeys(person: LinkagePerson): string[] {
  const keys = new Set<string>();
  const date = person.birthDate;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    keys.add(`b:${date}`);
    const year = date.slice(0, 4);
    for (const token of person.surnames.tokens) {
      const [primary] = doubleMetaphone(token);
      if (primary) keys.add(`s:${primary}:${year}`);
    }
    const first = person.given[0];
    if (first) keys.add(`f:${canonicalGivenName(first)}:${date.slice(5, 7)}${date.slice(8, 10)}`);
  }
  return [...keys].map((k) => k.slice(0, MAX_KEY_LENGTH));
}
