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
const memo = new Map<string, Map<string, number>>();
let memoSize = 0;
const MEMO_LIMIT = 1_000_000;

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  // Two levels, no key string built per call: this is the inner loop of scoring.
  const [x, y] = a < b ? [a, b] : [b, a];
  let inner = memo.get(x);
  let value = inner?.get(y);
  if (value === undefined) {
    value = similarity(x, y);
    if (memoSize >= MEMO_LIMIT) {
      memo.clear();
      memoSize = 0;
      inner = undefined;
    }
    if (!inner) memo.set(x, (inner = new Map()));
    inner.set(y, value);
    memoSize++;
  }
  return value;
}

/**
 * The same, not remembered: for values that rarely meet twice (a parent's whole name), where a
 * memo would only fill up and be cleared.
 */
export function jaroWinklerOnce(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  return similarity(a, b);
}
