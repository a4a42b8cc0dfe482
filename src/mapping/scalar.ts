/**
 * One target field: where its value comes from (a source field or a constant), its transforms,
 * its crosswalk, its default, and the check that it fits the target. Compiled once into a closure;
 * at run time a value that does not map becomes a MappingProblem naming the row, the source field,
 * the exchange path and the value.
 */
import { displayValue } from '../exchange/business-rules.js';
import { MappingValueError } from './errors.js';
import { compileTransforms, type Transform } from './transforms.js';
import type { FormatAdapter, MappingProblem, Reader, SourceContext, Value } from './types.js';
import {
  compileCoercion,
  compileCrosswalk,
  type Crosswalk,
  type CrosswalkEnv,
  type TargetType,
} from './values.js';
import type { MappingSource, Path } from './yaml-source.js';

export interface MapContext {
  problems: MappingProblem[];
}

/** Set when a field read a non-empty value from the file (an item with none is left out). */
export interface DataFlag {
  had: boolean;
}

/**
 * Maps one field of `scope`; undefined when the value is absent (or did not map). `prefix` is the
 * exchange path of the object the field is in (`enrollments[1]`); the field's own path is made
 * from it only when there is a problem to report.
 */
export type ScalarFn<S> = (scope: S, ctx: MapContext, prefix: string, data: DataFlag) => Value;

export interface CompileEnv<S> {
  adapter: FormatAdapter<S>;
  source: MappingSource;
  tables: CrosswalkEnv['tables'];
}

export const FIELD_KEYS = ['source', 'value', 'transforms', 'crosswalk', 'default', 'required'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A source reference as written: `SSID`, `'88-95'` (or 17), `fl:Name/fl:FirstName`, `name.first`. */
export function compileSource<S>(
  ref: unknown,
  at: Path,
  context: SourceContext,
  env: CompileEnv<S>,
): Reader<S> | undefined {
  if (typeof ref !== 'string' && !(typeof ref === 'number' && Number.isInteger(ref))) {
    env.source.add(at, 'must be a source field (a column, positions, an XPath or a JSON path)');
    return undefined;
  }
  const reader = env.adapter.source(String(ref), context);
  if (typeof reader === 'string') {
    env.source.add(at, reader);
    return undefined;
  }
  return reader;
}

function coerceConstant(
  type: TargetType,
  value: unknown,
  at: Path,
  env: CompileEnv<unknown>,
): Value {
  if (value === null || !['string', 'number', 'boolean'].includes(typeof value)) {
    env.source.add(at, 'must be a value');
    return undefined;
  }
  try {
    return compileCoercion(type)(value as string | number | boolean);
  } catch (e) {
    env.source.add(at, `${JSON.stringify(value)} ${(e as MappingValueError).reason}`);
    return undefined;
  }
}

export interface ScalarOptions {
  type: TargetType;
  required: boolean;
  context: SourceContext;
  /** Keys allowed in the spec (default FIELD_KEYS). */
  keys?: readonly string[];
  /** The exchange field's name in its object ('' for the grouping key and the record action). */
  name?: string;
}

/** Compiles a field spec; problems go to env.source and an unusable spec gives undefined. */
export function compileScalar<S>(
  spec: unknown,
  at: Path,
  options: ScalarOptions,
  env: CompileEnv<S>,
): ScalarFn<S> | undefined {
  const { type, context } = options;
  const keys = options.keys ?? FIELD_KEYS;
  const shorthand = typeof spec === 'string' || typeof spec === 'number';
  if (!shorthand && !isRecord(spec)) {
    env.source.add(at, `must be a source field, or a map of ${keys.join(', ')}`);
    return undefined;
  }
  const s: Record<string, unknown> = shorthand ? { source: spec } : spec;
  for (const key of Object.keys(s)) {
    if (!keys.includes(key))
      env.source.add([...at, key], `unknown key '${key}' (expected one of: ${keys.join(', ')})`);
  }
  const hasSource = s.source !== undefined;
  const hasValue = s.value !== undefined;
  if (hasSource === hasValue) {
    env.source.add(
      at,
      hasSource ? 'has both source and value; give one' : 'needs a source (or a constant value)',
    );
    return undefined;
  }
  const srcAt = shorthand ? at : [...at, 'source'];
  const reader = hasSource ? compileSource(s.source, srcAt, context, env) : undefined;
  const constant = hasValue
    ? coerceConstant(type, s.value, [...at, 'value'], env as CompileEnv<unknown>)
    : undefined;
  if (hasValue && (s.transforms !== undefined || s.crosswalk !== undefined)) {
    env.source.add(at, 'a constant value takes no transforms or crosswalk');
  }
  const transforms: Transform<S>[] =
    s.transforms === undefined
      ? []
      : compileTransforms(s.transforms, [...at, 'transforms'], {
          problem: (p, m) => env.source.add(p, m),
          source: (ref, p) => compileSource(ref, p, context, env),
        });
  let crosswalk: Crosswalk | undefined;
  if (s.crosswalk !== undefined) {
    crosswalk = compileCrosswalk(s.crosswalk, type, [...at, 'crosswalk'], {
      problem: (p, m, shown) => env.source.add(p, m, shown),
      tables: env.tables,
    });
  }
  const fallback =
    s.default === undefined
      ? undefined
      : coerceConstant(type, s.default, [...at, 'default'], env as CompileEnv<unknown>);
  if (s.required !== undefined && typeof s.required !== 'boolean')
    env.source.add([...at, 'required'], 'must be true or false');
  const required = typeof s.required === 'boolean' ? s.required : options.required;
  if ((hasSource && !reader) || (hasValue && constant === undefined)) return undefined;
  if (s.crosswalk !== undefined && !crosswalk) return undefined;

  // A date transform last in the chain already gives a checked ISO date.
  const coerce =
    type.kind === 'date' && transforms.at(-1)?.isoDate ? (v: Value) => v : compileCoercion(type);
  const name = options.name ?? '';
  const report = (scope: S, ctx: MapContext, prefix: string, raw: Value, reason: string) => {
    const problem: MappingProblem = { row: env.adapter.rowOf(scope), reason };
    const field = reader?.label(scope);
    if (field !== undefined) problem.field = field;
    const target = prefix === '' ? name : name === '' ? prefix : `${prefix}.${name}`;
    if (target !== '') problem.target = target;
    const shown = displayValue(raw);
    if (shown !== undefined) problem.value = shown;
    ctx.problems.push(problem);
    return undefined;
  };
  // An empty value is the common case (optional columns): it is answered without an exception.
  const absent = (scope: S, ctx: MapContext, target: string, raw: Value): Value => {
    if (fallback !== undefined) return fallback;
    if (!required) return undefined;
    const empty = raw === undefined || raw === '';
    return report(
      scope,
      ctx,
      target,
      raw,
      `is required but empty${empty ? '' : ' after its transforms'}`,
    );
  };
  // The common shapes get a function of their own, without the steps they do not have; each
  // answers exactly as the general one below.
  if (!reader && transforms.length === 0 && !crosswalk && constant !== '') {
    let fixed: Value;
    try {
      fixed = coerce(constant as Exclude<Value, undefined>);
    } catch {
      fixed = undefined;
    }
    if (fixed !== undefined) return () => fixed;
  }
  if (reader && transforms.length === 0) {
    if (!crosswalk) {
      return (scope, ctx, target, data) => {
        let raw: Value;
        try {
          raw = reader.read(scope);
          if (raw === undefined || raw === '') return absent(scope, ctx, target, raw);
          data.had = true;
          return coerce(raw);
        } catch (e) {
          if (!(e instanceof MappingValueError)) throw e;
          return report(scope, ctx, target, raw, e.reason);
        }
      };
    }
    const table = crosswalk;
    return (scope, ctx, target, data) => {
      let raw: Value;
      try {
        raw = reader.read(scope);
        if (raw === undefined || raw === '') return absent(scope, ctx, target, raw);
        data.had = true;
        const code = String(raw);
        const mapped = table.lookup(code);
        if (mapped === undefined) {
          const reason = `code '${code}' is not in the crosswalk (${table.codes})`;
          return report(scope, ctx, target, raw, reason);
        }
        return mapped === null ? absent(scope, ctx, target, raw) : mapped;
      } catch (e) {
        if (!(e instanceof MappingValueError)) throw e;
        return report(scope, ctx, target, raw, e.reason);
      }
    };
  }
  return (scope, ctx, target, data) => {
    let raw: Value = constant;
    try {
      if (reader) {
        raw = reader.read(scope);
        if (raw !== undefined && raw !== '') data.had = true;
      }
      let v = raw;
      for (let i = 0; i < transforms.length; i++) v = (transforms[i] as Transform<S>)(v, scope);
      if (v === undefined || v === '') return absent(scope, ctx, target, raw);
      if (crosswalk) {
        const mapped = crosswalk.lookup(String(v));
        if (mapped === undefined) {
          const reason = `code '${String(v)}' is not in the crosswalk (${crosswalk.codes})`;
          return report(scope, ctx, target, raw, reason);
        }
        if (mapped === null) return absent(scope, ctx, target, raw);
        v = mapped;
      }
      // Crosswalk targets were checked against the target's type when the mapping loaded.
      return crosswalk ? v : coerce(v);
    } catch (e) {
      if (!(e instanceof MappingValueError)) throw e;
      return report(scope, ctx, target, raw, e.reason);
    }
  };
}
