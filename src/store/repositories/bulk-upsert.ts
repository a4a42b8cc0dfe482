/**
 * Multi-row upsert on every dialect: one statement per batch of rows, whatever the batch holds.
 * - PostgreSQL, SQLite: `INSERT ... ON CONFLICT (keys) DO UPDATE` (Sequelize bulkCreate with
 *   updateOnDuplicate).
 * - SQL Server: Sequelize refuses updateOnDuplicate there, so this renders `MERGE ... USING
 *   (VALUES ...)` itself. Every value is CAST to its column type: a VALUES column that is NULL in
 *   every row is typed INT, and SQL Server will not convert INT to DATE ("operand type clash").
 *   HOLDLOCK keeps two concurrent MERGEs from both inserting the same key.
 */
import { QueryTypes } from 'sequelize';
import type { Model, ModelStatic, Transaction } from 'sequelize';

/** Rows per statement: bounded so a statement stays well under every server's text limit. */
export const UPSERT_BATCH_ROWS = 500;

interface QueryGenerator {
  escape(value: unknown, field?: unknown, options?: { context?: string }): string;
  quoteIdentifier(identifier: string): string;
  quoteTable(table: string): string;
}

interface ColumnAttribute {
  field?: string;
  type: { toSql(): string };
}

export interface BulkUpsertOptions {
  /** Attribute names of the unique key that decides insert or update. */
  conflict: readonly string[];
  /** Attribute names overwritten when the key exists (others keep their stored values). */
  update: readonly string[];
  transaction?: Transaction;
}

// Sequelize's model typings are invariant in the attribute type; any row shape will do here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = ModelStatic<Model<any, any>>;

export async function bulkUpsert(
  model: AnyModel,
  rows: readonly Record<string, unknown>[],
  options: BulkUpsertOptions,
): Promise<void> {
  for (let start = 0; start < rows.length; start += UPSERT_BATCH_ROWS) {
    const batch = rows.slice(start, start + UPSERT_BATCH_ROWS);
    if (model.sequelize?.getDialect() === 'mssql') {
      await model.sequelize.query(mergeStatement(model, batch, options), {
        type: QueryTypes.RAW,
        transaction: options.transaction ?? null,
      });
    } else {
      await model.bulkCreate(batch, {
        updateOnDuplicate: [...options.update],
        conflictAttributes: [...options.conflict],
        transaction: options.transaction ?? null,
        returning: false,
        hooks: false,
      });
    }
  }
}

/** The T-SQL MERGE for one batch; exported for the SQL Server unit test. */
export function mergeStatement(
  model: AnyModel,
  rows: readonly Record<string, unknown>[],
  options: BulkUpsertOptions,
): string {
  const first = rows[0];
  if (!first) throw new Error('mergeStatement needs at least one row');
  if (!model.sequelize) throw new Error(`${model.name} is not initialised`);
  const qg = model.sequelize.getQueryInterface().queryGenerator as QueryGenerator;
  const attributes = model.getAttributes() as Record<string, ColumnAttribute>;
  const names = Object.keys(first);
  const attribute = (name: string): ColumnAttribute => {
    const found = attributes[name];
    if (!found) throw new Error(`${model.name} has no attribute ${name}`);
    return found;
  };
  const column = (name: string) => qg.quoteIdentifier(attribute(name).field ?? name);

  const tuples = rows.map((row) => {
    const cells = names.map((name) => {
      const attr = attribute(name);
      return `CAST(${qg.escape(row[name] ?? null, attr, { context: 'INSERT' })} AS ${attr.type.toSql()})`;
    });
    return `(${cells.join(', ')})`;
  });
  const columns = names.map(column);
  const on = options.conflict.map((n) => `[target].${column(n)} = [source].${column(n)}`);
  const set = options.update
    .filter((n) => names.includes(n))
    .map((n) => `[target].${column(n)} = [source].${column(n)}`);
  return [
    `MERGE INTO ${qg.quoteTable(model.getTableName() as string)} WITH (HOLDLOCK) AS [target]`,
    `USING (VALUES ${tuples.join(',\n  ')}) AS [source] (${columns.join(', ')})`,
    `ON ${on.join(' AND ')}`,
    set.length ? `WHEN MATCHED THEN UPDATE SET ${set.join(', ')}` : '',
    `WHEN NOT MATCHED THEN INSERT (${columns.join(', ')})`,
    `VALUES (${columns.map((c) => `[source].${c}`).join(', ')});`,
  ]
    .filter(Boolean)
    .join('\n');
}
