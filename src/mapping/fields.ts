/**
 * `fields`: the exchange document, section by section, compiled against the target catalogue
 * (targets.ts) into closures. The top of each section says which rows it comes from:
 *
 * - `student` (an object): `from` is the record type that holds it (fixed-width), or a path in
 *   the record (XML, JSON); by default the group's first row.
 * - a list: `each` gives its items: `rows` (every row of the group), a record type (fixed-width),
 *   or a path (XML, JSON). Without `each` the list has at most one item, made from the current
 *   row, and left out when none of its source fields has a value. `distinct` drops repeats.
 *
 * Nested objects (parent1) and lists (alternateIds) take `from`/`each` paths in XML and JSON, and
 * read the same row in CSV and fixed-width.
 */
import { MappingValueError } from './errors.js';
import {
  compileScalar,
  type CompileEnv,
  type DataFlag,
  type MapContext,
  type ScalarFn,
} from './scalar.js';
import type { Field, ListField, ObjectField } from './targets.js';
import type { SourceContext, SourceRow } from './types.js';
import type { Path } from './yaml-source.js';

type Item = Record<string, unknown>;

/** Maps the fields of one object of `scope` into `out`; `only` restricts to some fields. */
export type ObjectFn<S> = (
  scope: S,
  ctx: MapContext,
  prefix: string,
  data: DataFlag,
  only?: ReadonlySet<string>,
) => Item;

/** Selects the scopes of a section from the rows of a group. */
export type GroupSelect<S> = (rows: readonly SourceRow<S>[], ctx: MapContext) => S[];

const DIRECTIVES = { object: ['from'], list: ['each', 'distinct'] } as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problemAt<S>(env: CompileEnv<S>, at: Path, message: string): undefined {
  env.source.add(at, message);
  return undefined;
}

/** Compiles the fields of an object target (directives are the caller's). */
export function compileObject<S>(
  spec: Item,
  at: Path,
  target: ObjectField,
  context: SourceContext,
  env: CompileEnv<S>,
  directives: readonly string[],
): ObjectFn<S> | undefined {
  const name = at[at.length - 1] ?? '';
  const parts: [string, (scope: S, ctx: MapContext, prefix: string, data: DataFlag) => unknown][] =
    [];
  let ok = true;
  for (const [key, value] of Object.entries(spec)) {
    if (directives.includes(key)) continue;
    const field: Field | undefined = target.fields[key];
    if (!field) {
      env.source.add(
        [...at, key],
        `unknown exchange field '${key}' of ${String(name)} (known: ${Object.keys(target.fields).join(', ')})`,
      );
      ok = false;
      continue;
    }
    const fieldAt = [...at, key];
    let fn: ((scope: S, ctx: MapContext, prefix: string, data: DataFlag) => unknown) | undefined;
    if (field.kind === 'scalar') {
      const scalar: ScalarFn<S> | undefined = compileScalar(
        value,
        fieldAt,
        { type: field.type, required: field.required ?? false, context, name: key },
        env,
      );
      fn = scalar;
    } else if (field.kind === 'object') {
      fn = compileNestedObject(value, fieldAt, field, context, env);
    } else {
      fn = compileNestedList(value, fieldAt, field, context, env);
    }
    if (fn) parts.push([key, fn]);
    else ok = false;
  }
  for (const [key, field] of Object.entries(target.fields)) {
    if (field.kind === 'scalar' && field.required && !(key in spec)) {
      env.source.add(at, `${key} is required by the exchange schema but not mapped`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  return buildObject(
    parts.map(([key]) => key),
    parts.map(([, fn]) => fn),
  );
}

type PartFn<S> = (scope: S, ctx: MapContext, prefix: string, data: DataFlag) => unknown;

/**
 * The object maker for a list of fields, generated once per object of the mapping. Generated
 * rather than a loop over the keys: V8 builds an object whose property names are written in the
 * code far faster than one filled by `out[key]` with varying keys, and this runs for every item
 * of every row. The mapping file is input, not code: no identifier of the generated source comes
 * from it. The property names are exchange field names (already checked against the catalogue in
 * targets.ts) and still go in only as JSON.stringify'd string literals; the field functions are
 * passed in as the array `fns`, never as source text.
 */
function buildObject<S>(keys: readonly string[], fns: readonly PartFn<S>[]): ObjectFn<S> {
  const count = keys.length;
  const lines = keys.map(
    (key, i) =>
      `v = fns[${i}](scope, ctx, prefix, data); if (v !== undefined) out[${JSON.stringify(key)}] = v;`,
  );
  const make = new Function(
    'fns',
    `return function mapObject(scope, ctx, prefix, data) { const out = {}; let v; ${lines.join(' ')} return out; };`,
  ) as (
    fns: readonly PartFn<S>[],
  ) => (scope: S, ctx: MapContext, prefix: string, data: DataFlag) => Item;
  const all = make(fns);
  return (scope, ctx, prefix, data, only) => {
    if (only === undefined) return all(scope, ctx, prefix, data);
    const out: Item = {};
    for (let i = 0; i < count; i++) {
      const key = keys[i] as string;
      if (!only.has(key)) continue;
      const value = (fns[i] as PartFn<S>)(scope, ctx, prefix, data);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
}

function compileNestedObject<S>(
  spec: unknown,
  at: Path,
  target: ObjectField,
  context: SourceContext,
  env: CompileEnv<S>,
): ((scope: S, ctx: MapContext, prefix: string) => Item | undefined) | undefined {
  if (!isRecord(spec)) return problemAt(env, at, 'must be a map of its fields');
  const from = spec.from === undefined ? undefined : compileSelect(spec.from, [...at, 'from'], env);
  if (spec.from !== undefined && !from) return undefined;
  const body = compileObject(spec, at, target, context, env, DIRECTIVES.object);
  if (!body) return undefined;
  const key = String(at[at.length - 1]);
  return (scope, ctx, prefix) => {
    const inner = from ? first(from, scope, ctx, env, `${prefix}.${key}`) : scope;
    if (inner === undefined) return undefined;
    const data: DataFlag = { had: false };
    const local: MapContext = { problems: [] };
    const out = body(inner, local, `${prefix}.${key}`, data);
    if (!data.had) return undefined;
    ctx.problems.push(...local.problems);
    return out;
  };
}

function compileNestedList<S>(
  spec: unknown,
  at: Path,
  target: ListField,
  context: SourceContext,
  env: CompileEnv<S>,
): ((scope: S, ctx: MapContext, prefix: string) => Item[] | undefined) | undefined {
  if (!isRecord(spec)) return problemAt(env, at, 'must be a map of its fields');
  const each = spec.each === undefined ? undefined : compileSelect(spec.each, [...at, 'each'], env);
  if (spec.each !== undefined && !each) return undefined;
  const items = compileItems(spec, at, target, context, env);
  if (!items) return undefined;
  const key = String(at[at.length - 1]);
  return (scope, ctx, prefix) => {
    const scopes = each ? selectAll(each, scope, ctx, env, `${prefix}.${key}`) : [scope];
    const out = items(scopes, ctx, `${prefix}.${key}`, each !== undefined);
    return out.length > 0 ? out : undefined;
  };
}

/** The items of a list from its scopes: every one with `each`, else only one that has data. */
export function compileItems<S>(
  spec: Item,
  at: Path,
  target: ListField,
  context: SourceContext,
  env: CompileEnv<S>,
): ((scopes: S[], ctx: MapContext, prefix: string, keepEmpty: boolean) => Item[]) | undefined {
  const body = compileObject(spec, at, target.item, context, env, DIRECTIVES.list);
  const distinct = compileDistinct(spec.distinct, [...at, 'distinct'], target, env);
  if (!body || distinct === false) return undefined;
  return (scopes, ctx, prefix, keepEmpty) => {
    const out: Item[] = [];
    // Keys of the items kept so far, made only once a list is long enough for a Set to pay.
    let seen: Set<string> | undefined;
    for (const scope of scopes) {
      const data: DataFlag = { had: false };
      // An item that may be left out keeps its problems apart until it is known to be kept.
      const local: MapContext = keepEmpty ? ctx : { problems: [] };
      const item = body(scope, local, `${prefix}[${out.length}]`, data);
      if (!keepEmpty && !data.had) continue;
      if (local !== ctx) ctx.problems.push(...local.problems);
      if (distinct) {
        if (seen === undefined && out.length < DISTINCT_SCAN) {
          if (out.some((kept) => distinct.same(kept, item))) continue;
        } else {
          if (seen === undefined) seen = new Set(out.map(distinct.key));
          const key = distinct.key(item);
          if (seen.has(key)) continue;
          seen.add(key);
        }
      }
      out.push(item);
    }
    return out;
  };
}

/** Up to this many kept items, a repeat is found by comparing with each (no keys made). */
const DISTINCT_SCAN = 8;

interface Distinct {
  /** The item's identity as text: equal texts, equal items. */
  key: (item: Item) => string;
  /** The same answer as comparing `key` of both, without making either. */
  same: (a: Item, b: Item) => boolean;
}

/**
 * True when JSON.stringify(a) === JSON.stringify(b), for the values a mapping makes (text, finite
 * numbers, booleans, null, and objects and lists of them, keys in the order the compiler wrote
 * them). Anything else is left to JSON.stringify itself.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Two different strings, or a string and anything else, never have the same JSON.
  if (typeof a === 'string' || typeof b === 'string') return false;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // Cheap for the rest (numbers, booleans, null): NaN and Infinity are null in JSON.
    return JSON.stringify(a) === JSON.stringify(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (
      !Array.isArray(a) ||
      !Array.isArray(b) ||
      a.length !== b.length ||
      a.includes(undefined) ||
      b.includes(undefined)
    ) {
      return JSON.stringify(a) === JSON.stringify(b);
    }
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return JSON.stringify(a) === JSON.stringify(b);
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as string;
    const va = (a as Item)[k];
    const vb = (b as Item)[k];
    if (k !== kb[i] || va === undefined || vb === undefined || typeof va === 'function') {
      return JSON.stringify(a) === JSON.stringify(b);
    }
    if (!sameJson(va, vb)) return false;
  }
  return true;
}

function compileDistinct<S>(
  spec: unknown,
  at: Path,
  target: ListField,
  env: CompileEnv<S>,
): Distinct | undefined | false {
  if (spec === undefined || spec === false) return undefined;
  if (spec === true) return { key: (item) => JSON.stringify(item), same: sameJson };
  if (
    Array.isArray(spec) &&
    spec.length > 0 &&
    spec.every((k) => typeof k === 'string' && k in target.item.fields)
  ) {
    const keys = [...(spec as string[])];
    return {
      key: (item) => JSON.stringify(keys.map((k) => item[k] ?? null)),
      same: (a, b) => keys.every((k) => sameJson(a[k] ?? null, b[k] ?? null)),
    };
  }
  env.source.add(
    at,
    'must be true (drop items equal to an earlier one) or a list of fields of the item that identify it',
  );
  return false;
}

export function compileSelect<S>(
  spec: unknown,
  at: Path,
  env: CompileEnv<S>,
): ((scope: S) => S[]) | undefined {
  if (typeof spec !== 'string') return problemAt(env, at, 'must be a path (XPath or JSON path)');
  if (env.adapter.shape === 'flat') {
    return problemAt(
      env,
      at,
      'selects nothing inside a row: CSV and fixed-width rows have no nested items',
    );
  }
  const select = env.adapter.select(spec);
  if (typeof select === 'string') return problemAt(env, at, select);
  return select;
}

function selectAll<S>(
  select: (scope: S) => S[],
  scope: S,
  ctx: MapContext,
  env: CompileEnv<S>,
  target: string,
): S[] {
  try {
    return select(scope);
  } catch (e) {
    if (!(e instanceof MappingValueError)) throw e;
    ctx.problems.push({ row: env.adapter.rowOf(scope), target, reason: e.reason });
    return [];
  }
}

export function first<S>(
  select: (scope: S) => S[],
  scope: S,
  ctx: MapContext,
  env: CompileEnv<S>,
  target: string,
): S | undefined {
  const found = selectAll(select, scope, ctx, env, target);
  if (found.length > 1) {
    ctx.problems.push({
      row: env.adapter.rowOf(scope),
      target,
      reason: `'from' selects ${found.length} items; one was expected`,
    });
  }
  return found[0];
}
