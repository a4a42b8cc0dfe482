/**
 * Transforms: what a field's value goes through between the file and the crosswalk. Each one is
 * compiled once, when the mapping loads, into a function of the value (and of the row, for those
 * that read another source field); nothing here looks at the mapping file again.
 */
import { compileDatePattern } from './date-pattern.js';
import { MappingValueError } from './errors.js';
import { compileNameSplit } from './name-split.js';
import type { Reader, Value } from './types.js';
import type { Path } from './yaml-source.js';

export type Transform<S> = ((value: Value, scope: S) => Value) & {
  /** Set on `date`: what it gives is a real ISO date already. */
  isoDate?: boolean;
};

/** What compiling a transform needs from the field compiler. */
export interface TransformEnv<S> {
  /** Records a problem; answers undefined, so that `return env.problem(...)` gives up. */
  problem(at: Path, message: string): undefined;
  /** Compiles another source field of the same row; reports its own problems. */
  source(ref: unknown, at: Path): Reader<S> | undefined;
}

export const TRANSFORM_NAMES = [
  'trim',
  'upper',
  'lower',
  'title',
  'stripAccents',
  'date',
  'splitName',
  'concat',
  'default',
  'value',
  'extract',
  'replace',
  'if',
] as const;

function text(value: Value): string | undefined {
  return value === undefined ? undefined : String(value);
}

function isEmpty(value: Value): boolean {
  return value === undefined || value === '';
}

/** `MUÑOZ-PEÑA DE LA O` → `Muñoz-Peña De La O`: a capital after a start, blank, hyphen or apostrophe. */
function titleCase(value: string): string {
  return value
    .toLowerCase()
    .replace(/(^|[\s\-'’])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

function stripAccents(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

const simple: Record<string, (value: string) => string> = {
  trim: (v) => v.trim(),
  upper: (v) => v.toUpperCase(),
  lower: (v) => v.toLowerCase(),
  title: titleCase,
  stripAccents,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return ['string', 'number', 'boolean'].includes(typeof value);
}

function regex(pattern: unknown, at: Path, env: TransformEnv<unknown>): RegExp | undefined {
  if (typeof pattern !== 'string') {
    env.problem(at, 'must be a regular expression (text)');
    return undefined;
  }
  try {
    return new RegExp(pattern, 'u');
  } catch (e) {
    env.problem(at, `is not a valid regular expression: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * `$1`, `$2`, `$<name>` of a match, the template cut into its text and references once: the
 * pieces at even places are text, at odd places a group number or a `<name>`.
 */
function filler(template: string): (m: RegExpExecArray) => string {
  const pieces = template.split(/\$(\d|<[^>]+>)/);
  return (m) => {
    let out = pieces[0] as string;
    for (let i = 1; i < pieces.length; i += 2) {
      const ref = pieces[i] as string;
      out += ref.startsWith('<') ? (m.groups?.[ref.slice(1, -1)] ?? '') : (m[Number(ref)] ?? '');
      out += pieces[i + 1] as string;
    }
    return out;
  };
}

function compileCondition<S>(
  spec: unknown,
  at: Path,
  env: TransformEnv<S>,
): ((value: Value, scope: S) => boolean) | undefined {
  if (!isRecord(spec)) {
    env.problem(at, 'must be a condition: { equals | in | matches | empty, source? }');
    return undefined;
  }
  const tests = ['equals', 'in', 'matches', 'empty'].filter((k) => k in spec);
  for (const key of Object.keys(spec)) {
    if (![...tests, 'source'].includes(key))
      env.problem([...at, key], `unknown key '${key}' of a condition`);
  }
  if (tests.length !== 1) {
    env.problem(at, 'needs exactly one of equals, in, matches, empty');
    return undefined;
  }
  const reader = spec.source === undefined ? undefined : env.source(spec.source, [...at, 'source']);
  const subject = (value: Value, scope: S): Value => (reader ? reader.read(scope) : value);
  if ('equals' in spec) {
    if (!isScalar(spec.equals)) return env.problem([...at, 'equals'], 'must be a value');
    const wanted = String(spec.equals);
    return (v, s) => text(subject(v, s)) === wanted;
  }
  if ('in' in spec) {
    if (!Array.isArray(spec.in) || !spec.in.every(isScalar)) {
      return env.problem([...at, 'in'], 'must be a list of values');
    }
    const wanted = new Set(spec.in.map(String));
    return (v, s) => wanted.has(text(subject(v, s)) ?? '\u0000');
  }
  if ('matches' in spec) {
    const re = regex(spec.matches, [...at, 'matches'], env as TransformEnv<unknown>);
    return re && ((v, s) => re.test(text(subject(v, s)) ?? ''));
  }
  if (typeof spec.empty !== 'boolean')
    return env.problem([...at, 'empty'], 'must be true or false');
  const empty = spec.empty;
  return (v, s) => isEmpty(subject(v, s)) === empty;
}

/** Compiles a transform list (or one transform); problems are reported, never thrown. */
export function compileTransforms<S>(
  spec: unknown,
  at: Path,
  env: TransformEnv<S>,
): Transform<S>[] {
  const list = Array.isArray(spec) ? spec : [spec];
  const out: Transform<S>[] = [];
  list.forEach((item, i) => {
    const t = compileTransform(item, Array.isArray(spec) ? [...at, i] : at, env);
    if (t) out.push(t);
  });
  return out;
}

function compileTransform<S>(
  spec: unknown,
  at: Path,
  env: TransformEnv<S>,
): Transform<S> | undefined {
  if (typeof spec === 'string') {
    const fn = simple[spec];
    if (!fn) {
      env.problem(at, `unknown transform '${spec}' (known: ${TRANSFORM_NAMES.join(', ')})`);
      return undefined;
    }
    return (v) => (v === undefined ? v : fn(String(v)));
  }
  if (!isRecord(spec)) {
    env.problem(at, 'must be a transform name or a one-key map such as { date: MM/DD/YYYY }');
    return undefined;
  }
  const keys = Object.keys(spec);
  const name = keys.includes('if') ? 'if' : keys[0];
  if (name !== 'if' && keys.length !== 1) {
    env.problem(at, `a transform is a map with one key; got ${keys.join(', ')}`);
    return undefined;
  }
  const arg: unknown = name === undefined ? undefined : spec[name];
  const argAt = [...at, name ?? ''];
  switch (name) {
    case 'date': {
      if (typeof arg !== 'string')
        return env.problem(argAt, 'must be a date pattern such as MM/DD/YYYY');
      const parse = compileDatePattern(arg);
      if (typeof parse === 'string') return env.problem(argAt, parse);
      const date: Transform<S> = (v) => (isEmpty(v) ? v : parse(String(v)));
      return Object.assign(date, { isoDate: true });
    }
    case 'splitName': {
      if (!isRecord(arg) || typeof arg.format !== 'string' || typeof arg.part !== 'string') {
        env.problem(argAt, "must be { format: 'LAST1 LAST2, FIRST MIDDLE', part: LAST1 }");
        return undefined;
      }
      const split = compileNameSplit(arg.format, arg.part);
      if (typeof split === 'string') return env.problem(argAt, split);
      return (v) => (isEmpty(v) ? v : split(String(v)));
    }
    case 'concat': {
      const sources = isRecord(arg) ? arg.sources : undefined;
      const separator = isRecord(arg) ? (arg.separator ?? ' ') : undefined;
      if (!Array.isArray(sources) || sources.length === 0 || typeof separator !== 'string') {
        env.problem(argAt, "must be { sources: [COLUMN, ...], separator: ' ' }");
        return undefined;
      }
      const readers = sources.map((s, i) => env.source(s, [...argAt, 'sources', i]));
      if (readers.some((r) => r === undefined)) return undefined;
      const all = readers as Reader<S>[];
      return (v, scope) => {
        const parts = [text(v), ...all.map((r) => text(r.read(scope)))].filter(
          (p): p is string => p !== undefined && p !== '',
        );
        return parts.length === 0 ? undefined : parts.join(separator);
      };
    }
    case 'default':
    case 'value': {
      if (!isScalar(arg)) return env.problem(argAt, 'must be a value');
      return name === 'value' ? () => arg : (v) => (isEmpty(v) ? arg : v);
    }
    case 'extract': {
      const pattern = isRecord(arg) ? arg.pattern : arg;
      const template = isRecord(arg) ? arg.template : undefined;
      const re = regex(
        pattern,
        isRecord(arg) ? [...argAt, 'pattern'] : argAt,
        env as TransformEnv<unknown>,
      );
      if (template !== undefined && typeof template !== 'string') {
        return env.problem([...argAt, 'template'], "must be text such as '$1-$2'");
      }
      if (!re) return undefined;
      const fill = template === undefined ? undefined : filler(template);
      return (v) => {
        if (isEmpty(v)) return v;
        const m = re.exec(String(v));
        if (!m) throw new MappingValueError(`does not match /${re.source}/`);
        return fill === undefined ? (m[1] ?? m[0]) : fill(m);
      };
    }
    case 'replace': {
      const re = isRecord(arg)
        ? regex(arg.pattern, [...argAt, 'pattern'], env as TransformEnv<unknown>)
        : undefined;
      const by = isRecord(arg) ? (arg.with ?? '') : undefined;
      if (!isRecord(arg)) env.problem(argAt, "must be { pattern: '[^0-9]', with: '' }");
      if (by !== undefined && typeof by !== 'string')
        env.problem([...argAt, 'with'], 'must be text');
      if (!re || typeof by !== 'string') return undefined;
      const global = new RegExp(re.source, 'gu');
      return (v) => (v === undefined ? v : String(v).replace(global, by));
    }
    case 'if': {
      for (const key of keys) {
        if (!['if', 'then', 'else'].includes(key))
          env.problem([...at, key], `unknown key '${key}' of an if transform (if, then, else)`);
      }
      const test = compileCondition(spec.if, [...at, 'if'], env);
      if (spec.then === undefined) env.problem(at, 'an if transform needs then');
      const then =
        spec.then === undefined ? [] : compileTransforms(spec.then, [...at, 'then'], env);
      const otherwise =
        spec.else === undefined ? [] : compileTransforms(spec.else, [...at, 'else'], env);
      if (!test) return undefined;
      return (v, scope) => {
        const chain = test(v, scope) ? then : otherwise;
        let out = v;
        for (const t of chain) out = t(out, scope);
        return out;
      };
    }
    default:
      if (name !== undefined && name in simple) {
        env.problem(argAt, `'${name}' takes no argument: write it as ${name}`);
        return undefined;
      }
      env.problem(at, `unknown transform '${name ?? ''}' (known: ${TRANSFORM_NAMES.join(', ')})`);
      return undefined;
  }
}
