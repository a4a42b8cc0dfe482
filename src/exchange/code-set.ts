/**
 * What a code set is: `{ code, description }` entries with their source (see code-sets.ts).
 */

export interface CodeEntry<C extends string = string> {
  readonly code: C;
  readonly description: string;
  /** The same value as CEDS codes it, where CEDS uses a different code. */
  readonly ceds?: string;
  /** The same value as MSIX transmits it, where MSIX uses a different code. */
  readonly msix?: string;
  /** ISO 3166-1 alpha-3 code (countries only). */
  readonly iso3?: string;
  /** Two-digit FIPS 5-2 code (states only); the first two digits of every NCES LEA and school ID. */
  readonly fips?: string;
  /** What kind of jurisdiction a USPS code names (states only). */
  readonly kind?: 'state' | 'federal district' | 'territory' | 'freely associated state';
}

export interface CodeSet<C extends string = string> {
  readonly name: string;
  /** Where the codes come from (document, element, version). */
  readonly source: string;
  readonly entries: readonly CodeEntry<C>[];
}

export function codeSet<const C extends string>(
  name: string,
  source: string,
  entries: readonly CodeEntry<C>[],
): CodeSet<C> {
  return { name, source, entries };
}
