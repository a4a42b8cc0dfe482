/**
 * SQL Server's table bulk load (TDS BULK INSERT, what the `mssql` package's `request.bulk()`
 * runs) for the item rows of an ingest: one bulk load per table and batch, on the transaction's
 * own tedious connection, so it commits or rolls back with the submission. Constraints are
 * checked (`checkConstraints`: a bulk load skips foreign keys otherwise, and leaves them
 * untrusted) and NULLs are kept (`keepNulls`: no column defaults instead). Columns are typed from
 * the model, as the migrations made them (test/snapshots/mssql-ddl.sql).
 */
import type { Model, ModelStatic, Transaction } from 'sequelize';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = ModelStatic<Model<any, any>>;

export interface BulkLoadColumnOptions {
  nullable: boolean;
  length?: number;
  precision?: number;
  scale?: number;
}

export interface TediousBulkLoad {
  addColumn(name: string, type: unknown, options: BulkLoadColumnOptions): void;
}

/** The part of tedious's Connection a bulk load needs. */
export interface TediousConnection {
  newBulkLoad(
    table: string,
    options: { keepNulls: boolean; checkConstraints: boolean },
    callback: (err: Error | null | undefined, rowCount?: number) => void,
  ): TediousBulkLoad;
  execBulkLoad(bulkLoad: TediousBulkLoad, rows: unknown[][]): void;
}

/** The tedious data types used here, by name (tedious's `TYPES`). */
export type TediousTypes = Record<
  'Int' | 'BigInt' | 'NVarChar' | 'Char' | 'Bit' | 'Date' | 'DateTimeOffset' | 'Decimal',
  unknown
>;

/** The transaction's tedious connection on SQL Server; undefined anywhere else. */
export function tediousConnectionOf(
  model: AnyModel,
  tx: Transaction | null | undefined,
): TediousConnection | undefined {
  if (model.sequelize?.getDialect() !== 'mssql') return undefined;
  const connection = (tx as unknown as { connection?: Partial<TediousConnection> } | undefined)
    ?.connection;
  return typeof connection?.newBulkLoad === 'function' &&
    typeof connection.execBulkLoad === 'function'
    ? (connection as TediousConnection)
    : undefined;
}

interface ColumnAttribute {
  field?: string;
  allowNull?: boolean;
  type: { key?: string; options?: { length?: number; precision?: number; scale?: number } };
}

interface LoadColumn {
  attribute: string;
  field: string;
  type: unknown;
  options: BulkLoadColumnOptions;
  toValue: (value: unknown) => unknown;
}

const asIs = (value: unknown) => value ?? null;
/** DATEONLY values are `YYYY-MM-DD` strings: UTC midnight, which tedious writes as that date. */
const asDate = (value: unknown) =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value
      : new Date(`${String(value)}T00:00:00Z`);

/** The bulk load's columns for `attributes` of `model`. */
export function bulkLoadColumns(
  model: AnyModel,
  attributes: readonly string[],
  types: TediousTypes,
): LoadColumn[] {
  const all = model.getAttributes() as Record<string, ColumnAttribute>;
  return attributes.map((attribute) => {
    const spec = all[attribute];
    if (!spec) throw new Error(`${model.name} has no attribute ${attribute}`);
    const nullable = spec.allowNull !== false;
    const opts = spec.type.options ?? {};
    const column = (
      type: unknown,
      options: Partial<BulkLoadColumnOptions> = {},
      toValue = asIs,
    ) => ({
      attribute,
      field: spec.field ?? attribute,
      type,
      options: { nullable, ...options },
      toValue,
    });
    switch (spec.type.key) {
      case 'INTEGER':
        return column(types.Int);
      case 'BIGINT':
        return column(types.BigInt);
      case 'STRING':
        return column(types.NVarChar, { length: opts.length ?? 255 });
      case 'CHAR':
        return column(types.Char, { length: opts.length ?? 1 });
      case 'TEXT':
        return column(types.NVarChar, { length: Infinity });
      case 'BOOLEAN':
        return column(types.Bit);
      case 'DATE':
        return column(types.DateTimeOffset);
      case 'DATEONLY':
        return column(types.Date, {}, asDate);
      case 'DECIMAL':
        return column(types.Decimal, { precision: opts.precision ?? 10, scale: opts.scale ?? 2 });
      default:
        throw new Error(`no bulk load type for ${model.name}.${attribute} (${spec.type.key})`);
    }
  });
}

/** Rows per bulk load: bounds what is held for one call, whatever the batch. */
const ROWS_PER_LOAD = 5000;

/** Loads `rows` (all with the same attributes) into `model`'s table through `connection`. */
export async function bulkLoadRows(
  connection: TediousConnection,
  model: AnyModel,
  rows: readonly Record<string, unknown>[],
  types?: TediousTypes,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const tediousTypes = types ?? ((await import('tedious')).TYPES as unknown as TediousTypes);
  const columns = bulkLoadColumns(model, Object.keys(first), tediousTypes);
  for (let start = 0; start < rows.length; start += ROWS_PER_LOAD) {
    const part = rows.slice(start, start + ROWS_PER_LOAD);
    await new Promise<void>((resolve, reject) => {
      const load = connection.newBulkLoad(
        model.getTableName() as string,
        { keepNulls: true, checkConstraints: true },
        (err) => (err ? reject(err) : resolve()),
      );
      for (const c of columns) load.addColumn(c.field, c.type, c.options);
      connection.execBulkLoad(
        load,
        part.map((row) => columns.map((c) => c.toValue(row[c.attribute]))),
      );
    });
  }
}
