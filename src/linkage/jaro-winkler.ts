/** Jaro–Winkler similarity (0..1), from talisman, typed here (the package ships no types). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Similarity = (a: string, b: string) => number;
// The CommonJS module is the function itself (babel add-module-exports), with `.default` too.
const loaded = require('talisman/metrics/jaro-winkler.js') as unknown;
const similarity = (
  typeof loaded === 'function' ? loaded : (loaded as { default: Similarity }).default
) as Similarity;

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  return similarity(a, b);
}
