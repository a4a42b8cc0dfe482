/**
 * The `splitName` transform: one part of a full name written in a state's order, e.g. California's
 * `LAST1 LAST2, FIRST MIDDLE` (surnames, a comma, given names). The format is compiled once.
 *
 * Parts: FIRST and LAST1 (or LAST, the whole surname) must be there; MIDDLE and LAST2 may be
 * missing. Each part is one word, except MIDDLE, which takes every word left over in its half of
 * the format (a middle name may be `DE JESÚS`), and LAST, which does so when it has no MIDDLE
 * beside it (`FIRST MIDDLE LAST`: the last word is the surname).
 */
import { MappingValueError } from './errors.js';

export const NAME_PARTS = ['FIRST', 'MIDDLE', 'LAST1', 'LAST2', 'LAST'] as const;
export type NamePart = (typeof NAME_PARTS)[number];

const optional: ReadonlySet<NamePart> = new Set(['MIDDLE', 'LAST2']);
const partNames: Record<NamePart, string> = {
  FIRST: 'first name',
  MIDDLE: 'middle name',
  LAST1: 'first surname',
  LAST2: 'second surname',
  LAST: 'surname',
};

function isPart(word: string): word is NamePart {
  return (NAME_PARTS as readonly string[]).includes(word);
}

/** The words of one half of the format, part by part. */
function assign(parts: readonly NamePart[], words: string[]): Map<NamePart, string> {
  // The part that takes the words left over: MIDDLE, else LAST (then one word when with MIDDLE).
  const spread = parts.includes('MIDDLE') ? 'MIDDLE' : parts.includes('LAST') ? 'LAST' : undefined;
  const single = parts.filter((p) => p !== spread);
  const required = parts.filter((p) => !optional.has(p));
  const missing = required.find((_p, i) => i >= words.length);
  if (missing) throw new MappingValueError(`has no ${partNames[missing]}`);
  // Single-word parts that get a word: every required one, then optional ones left to right.
  let spare = words.length - required.length;
  const filled = new Set<NamePart>();
  for (const p of single) {
    if (!optional.has(p)) filled.add(p);
    else if (spare > 0) {
      filled.add(p);
      spare--;
    }
  }
  const out = new Map<NamePart, string>();
  const at = spread === undefined ? parts.length : parts.indexOf(spread);
  let start = 0;
  for (const p of parts.slice(0, at)) if (filled.has(p)) out.set(p, words[start++] ?? '');
  let end = words.length;
  for (const p of parts.slice(at + 1).reverse()) if (filled.has(p)) out.set(p, words[--end] ?? '');
  if (spread === undefined) {
    if (start < words.length) {
      throw new MappingValueError(`has more words than '${parts.join(' ')}' holds`);
    }
  } else if (end > start) out.set(spread, words.slice(start, end).join(' '));
  return out;
}

/** Compiles a name format and the part wanted; answers a reason when the format is wrong. */
export function compileNameSplit(
  format: string,
  part: string,
): ((value: string) => string | undefined) | string {
  const halves = format.split(',').map((h) => h.trim().split(/\s+/).filter(Boolean));
  if (halves.length > 2) return `name format '${format}' has more than one comma`;
  const seen = new Set<string>();
  for (const half of halves) {
    if (half.length === 0) return `name format '${format}' has an empty part`;
    for (const word of half) {
      if (!isPart(word))
        return `name format '${format}': '${word}' is none of ${NAME_PARTS.join(', ')}`;
      if (seen.has(word)) return `name format '${format}' has ${word} twice`;
      seen.add(word);
    }
  }
  if (seen.has('LAST') && (seen.has('LAST1') || seen.has('LAST2'))) {
    return `name format '${format}': LAST is the whole surname; use LAST1 and LAST2 instead`;
  }
  if (!isPart(part) || !seen.has(part)) {
    return `part '${part}' is not in the name format '${format}' (${[...seen].join(', ')})`;
  }
  const formats = halves as NamePart[][];
  const comma = formats.length === 2;
  const half = formats.findIndex((h) => h.includes(part));
  const halfParts = formats[half] ?? [];
  // A mapping takes several parts of the same name one after another (lastName1, firstName, ...):
  // each half of the last value read with this format is split once, for all of its parts.
  const memo: LastSplit = lastSplits.get(format) ?? { value: undefined, texts: [], halves: [] };
  lastSplits.set(format, memo);
  return (value: string): string | undefined => {
    if (memo.value !== value) {
      const at = value.indexOf(',');
      if (comma && at < 0) throw new MappingValueError(`has no comma, which '${format}' needs`);
      if (!comma && at >= 0) throw new MappingValueError(`has a comma, which '${format}' has not`);
      memo.value = value;
      memo.texts = comma ? [value.slice(0, at), value.slice(at + 1)] : [value];
      memo.halves = [];
    }
    let parts = memo.halves[half];
    if (parts === undefined) {
      try {
        parts = assign(halfParts, (memo.texts[half] ?? '').split(/\s+/).filter(Boolean));
      } catch (e) {
        if (!(e instanceof MappingValueError)) throw e;
        parts = e.reason;
      }
      memo.halves[half] = parts;
    }
    if (typeof parts === 'string') throw new MappingValueError(parts);
    return parts.get(part);
  };
}

interface LastSplit {
  value: string | undefined;
  texts: string[];
  /** Per half of the format: its parts, or why it cannot be split. */
  halves: (Map<NamePart, string> | string | undefined)[];
}

/** The last value split with each name format (the same for every part wanted from it). */
const lastSplits = new Map<string, LastSplit>();
