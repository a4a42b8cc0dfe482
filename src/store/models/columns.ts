/**
 * Column specs shared by the models and by the code that turns rows back into exchange
 * documents. Each spec says what a value is (date, boolean, decimal...), which is all that is
 * needed to read it back identically on every dialect: PostgreSQL returns DECIMAL as a string,
 * SQLite returns BOOLEAN as 0/1 from raw queries, tedious returns DATE as a JavaScript Date.
 */
import { DataTypes } from 'sequelize';
import type { DataType, ModelAttributeColumnOptions } from 'sequelize';

export type ColumnKind =
  'string' | 'text' | 'date' | 'timestamp' | 'boolean' | 'integer' | 'decimal';

export interface ColumnSpec {
  kind: ColumnKind;
  required?: boolean;
  /** STRING length. */
  length?: number;
  /** DECIMAL precision and scale. */
  precision?: readonly [number, number];
}

/** `lastName1` → `last_name1`, `fileSha256` → `file_sha256`, `parent1FirstName` → `parent1_first_name`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `('parent1', 'firstName')` → `parent1FirstName`; no prefix → the name itself. */
export function prefixed(prefix: string, name: string): string {
  return prefix ? `${prefix}${name.charAt(0).toUpperCase()}${name.slice(1)}` : name;
}

export function dataTypeOf(spec: ColumnSpec): DataType {
  switch (spec.kind) {
    case 'string':
      return DataTypes.STRING(spec.length ?? 255);
    case 'text':
      return DataTypes.TEXT;
    case 'date':
      return DataTypes.DATEONLY;
    case 'timestamp':
      return DataTypes.DATE;
    case 'boolean':
      return DataTypes.BOOLEAN;
    case 'integer':
      return DataTypes.INTEGER;
    case 'decimal': {
      const [precision, scale] = spec.precision ?? [10, 2];
      return DataTypes.DECIMAL(precision, scale);
    }
  }
}

/** Model attributes for the given specs, each mapped to its snake_case column. */
export function attributesOf(
  specs: Record<string, ColumnSpec>,
  prefix = '',
): Record<string, ModelAttributeColumnOptions> {
  const attributes: Record<string, ModelAttributeColumnOptions> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const attribute = prefixed(prefix, name);
    attributes[attribute] = {
      type: dataTypeOf(spec),
      allowNull: !spec.required,
      field: snakeCase(attribute),
    };
  }
  return attributes;
}

/** `YYYY-MM-DD` from whatever the driver returned for a DATEONLY column. */
export function toIsoDate(value: unknown): string {
  // tedious returns DATE as a Date at UTC midnight (useUTC, its default).
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

export function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
  return value === '1' || value === 'true' || value === 't';
}

export function toTimestamp(value: unknown): Date {
  if (value instanceof Date) return value;
  // SQLite stores Sequelize DATE values as text: `2024-09-01 12:00:00.000 +00:00`.
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`unreadable timestamp from database: ${value}`);
  return date;
}

/** Reads one column value into its exchange-document form. */
export function fromColumn(spec: ColumnSpec, value: unknown): unknown {
  switch (spec.kind) {
    case 'date':
      return toIsoDate(value);
    case 'timestamp':
      return toTimestamp(value);
    case 'boolean':
      return toBoolean(value);
    case 'integer':
    case 'decimal':
      return Number(value);
    default:
      return String(value);
  }
}

/**
 * The object described by specs, read from a raw row, with null columns left out: the exchange
 * types mark optional fields with `?`, so an absent value is a missing key, never `null`.
 */
export function readColumns(
  specs: Record<string, ColumnSpec>,
  row: Record<string, unknown>,
  prefix = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const attribute = prefixed(prefix, name);
    const value = row[attribute];
    if (value !== null && value !== undefined) out[name] = fromColumn(spec, value);
  }
  return out;
}

const attributeNames = new WeakMap<object, Map<string, readonly (readonly [string, string])[]>>();

/** [field, attribute] pairs of specs under prefix, computed once per specs and prefix. */
function namesOf(
  specs: Record<string, ColumnSpec>,
  prefix: string,
): readonly (readonly [string, string])[] {
  let byPrefix = attributeNames.get(specs);
  if (!byPrefix) attributeNames.set(specs, (byPrefix = new Map()));
  let names = byPrefix.get(prefix);
  if (!names) {
    names = Object.keys(specs).map((name) => [name, prefixed(prefix, name)] as const);
    byPrefix.set(prefix, names);
  }
  return names;
}

/** The row values for specs taken from an exchange object, `undefined` stored as NULL. */
export function writeColumns(
  specs: Record<string, ColumnSpec>,
  source: object | undefined,
  prefix = '',
): Record<string, unknown> {
  return writeColumnsInto({}, specs, source, prefix);
}

/** writeColumns, added to `row` (no intermediate object: this runs for every stored item). */
export function writeColumnsInto(
  row: Record<string, unknown>,
  specs: Record<string, ColumnSpec>,
  source: object | undefined,
  prefix = '',
): Record<string, unknown> {
  const values = (source ?? {}) as Record<string, unknown>;
  for (const [name, attribute] of namesOf(specs, prefix)) row[attribute] = values[name] ?? null;
  return row;
}
