/** Jaro–Winkler similarity (0..1), from talisman, typed here (the package ships no types). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Similarity = (a: string, b: string) => number;
// The CommonJS module is the function itself (babel add-module-exports), with `.default` too.
const loaded = require('talisman/metrics/jaro-winkler.js') as unknown;
const similarity = (
  typeof loaded === 'function' ? loaded : (loaded as { default: Similarity }).default
) as Similarity;

/**
 * Names come from small pools (a few thousand given names and surnames), so the same two names
 * meet again and again across candidate pairs: the result is remembered, once per unordered
 * pair (the measure is symmetric).
 */
const memo = new Map<string, number>();
const MEMO_LIMIT = 1_000_000;

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  const key = a < b ? `${a}|${b}` : `${b}|${a}`;
  let value = memo.get(key);
  if (value === undefined) {
    value = similarity(a, b);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, value);
  }
  return value;
}
