/**
 * Crosswalks (a state's codes → the exchange's) and the last step of every field: the value made
 * into the target's type. Crosswalk targets are checked against the exchange code sets when the
 * mapping loads; a code the crosswalk does not list is an error for that row, never a silent null.
 */
import { isIsoDate } from '../exchange/dates.js';
import { MappingValueError } from './errors.js';
import { codeNouns, describeTarget, isCodeOf, type ScalarTarget } from './targets.js';
import type { Value } from './types.js';
import { displayPath, type Path } from './yaml-source.js';

/** The record action is a target too: a crosswalk may map a state's code to it. */
export type TargetType = ScalarTarget | { kind: 'action' };

export interface CrosswalkEnv {
  problem(at: Path, message: string, shown?: Path): void;
  /** The mapping's shared `crosswalks` tables. */
  tables: Readonly<Record<string, unknown>>;
}

export interface Crosswalk {
  lookup(code: string): Value | null | undefined;
  codes: string;
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Why `value` cannot be a crosswalk target of `type`, or undefined when it can. */
function targetProblem(type: TargetType, code: string, value: unknown): string | undefined {
  if (value === null) return undefined;
  switch (type.kind) {
    case 'code':
      if (typeof value === 'string' && isCodeOf(type.set, value)) return undefined;
      return `'${code}' maps to unknown ${codeNouns[type.set]} ${quote(value)}`;
    case 'action':
      if (value === 'upsert' || value === 'delete') return undefined;
      return `'${code}' maps to ${quote(value)}; a record action is upsert or delete`;
    case 'boolean':
      if (typeof value === 'boolean') return undefined;
      return `'${code}' maps to ${quote(value)}, which is not true or false`;
    case 'number':
      if (typeof value === 'number' && (!type.integer || Number.isInteger(value))) return undefined;
      return `'${code}' maps to ${quote(value)}, which is not ${describeTarget(type)}`;
    case 'date':
      if (isIsoDate(value)) return undefined;
      return `'${code}' maps to ${quote(value)}, which is not a date YYYY-MM-DD`;
    case 'string':
      if (typeof value === 'string' || typeof value === 'number') return undefined;
      return `'${code}' maps to ${quote(value)}, which is not text`;
  }
}

/**
 * Compiles a crosswalk: an inline map, or the name of a table under `crosswalks`. Each target is
 * checked against `type`; problems point at the entry and are shown at the field that uses it.
 */
export function compileCrosswalk(
  spec: unknown,
  type: TargetType,
  at: Path,
  env: CrosswalkEnv,
): Crosswalk | undefined {
  let table: unknown = spec;
  let tableAt: Path = at;
  let usedBy = '';
  if (typeof spec === 'string') {
    if (!Object.hasOwn(env.tables, spec)) {
      const known = Object.keys(env.tables);
      env.problem(
        at,
        `no crosswalk '${spec}' under crosswalks${known.length ? ` (known: ${known.join(', ')})` : ''}`,
      );
      return undefined;
    }
    table = env.tables[spec];
    tableAt = ['crosswalks', spec];
    usedBy = ` (used by ${displayPath(at)})`;
  }
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    env.problem(
      tableAt,
      "must be a map of the state's codes to exchange values, or a crosswalks name",
    );
    return undefined;
  }
  const entries = new Map<string, Value | null>();
  let ok = true;
  for (const [code, value] of Object.entries(table)) {
    const why = targetProblem(type, code, value);
    if (why) {
      env.problem([...tableAt, code], why + usedBy, tableAt);
      ok = false;
      continue;
    }
    entries.set(
      code,
      type.kind === 'string' && typeof value === 'number' ? String(value) : (value as Value | null),
    );
  }
  if (!ok) return undefined;
  const listed = [...entries.keys()];
  const codes = listed.length <= 12 ? listed.join(', ') : `${listed.slice(0, 12).join(', ')}, ...`;
  return { lookup: (code) => entries.get(code), codes };
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** The value made into the target's type, or a MappingValueError saying why it cannot be. */
export function compileCoercion(type: TargetType): (value: Exclude<Value, undefined>) => Value {
  switch (type.kind) {
    case 'string':
      return (v) => {
        if (typeof v === 'boolean') throw new MappingValueError('is true/false, not text');
        return String(v);
      };
    case 'date':
      return (v) => {
        if (isIsoDate(v)) return v;
        throw new MappingValueError(
          typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)
            ? 'is not a real calendar date'
            : "is not a date YYYY-MM-DD (give the file's date pattern with a date transform)",
        );
      };
    case 'boolean':
      return (v) => {
        if (typeof v === 'boolean') return v;
        throw new MappingValueError("is not true or false (map the file's flags with a crosswalk)");
      };
    case 'number':
      return (v) => {
        const n =
          typeof v === 'number' ? v : typeof v === 'string' && DECIMAL.test(v) ? Number(v) : NaN;
        if (!Number.isFinite(n)) throw new MappingValueError('is not a number');
        if (type.integer && !Number.isInteger(n))
          throw new MappingValueError('is not a whole number');
        return n;
      };
    case 'code':
      return (v) => {
        const code = String(v);
        if (typeof v !== 'boolean' && isCodeOf(type.set, code)) return code;
        throw new MappingValueError(
          `is not a ${codeNouns[type.set]} (map the file's codes with a crosswalk)`,
        );
      };
    case 'action':
      return (v) => {
        if (v === 'upsert' || v === 'delete') return v;
        throw new MappingValueError(
          'is not a record action (map it to upsert or delete with a crosswalk)',
        );
      };
  }
}

/** Checks a constant (`value:` or `default:`) of the mapping against the target type. */
export function constantProblem(type: TargetType, value: unknown): string | undefined {
  if (value === null || !['string', 'number', 'boolean'].includes(typeof value)) {
    return `must be ${type.kind === 'action' ? 'upsert or delete' : describeTarget(type)}`;
  }
  try {
    compileCoercion(type)(value as string | number | boolean);
    return undefined;
  } catch (e) {
    return `${quote(value)} ${(e as MappingValueError).reason}`;
  }
}
