/**
 * Raw SQL for the jobs and notifications tables, where one statement must do what an ORM call
 * cannot do atomically (take a lease, claim rows). Replacements are always bound, never spliced.
 */
import { QueryTypes } from 'sequelize';
import type { Transaction } from 'sequelize';
import { dialectOf } from '../database.js';
import type { Store } from '../store.js';

export type Replacements = Record<string, unknown>;

export function dialectOfStore(db: Store): 'sqlite' | 'postgres' | 'mssql' {
  return dialectOf(`${db.sequelize.getDialect()}:`);
}

export async function selectRows<T extends object>(
  db: Store,
  sql: string,
  replacements: Replacements = {},
  transaction?: Transaction,
): Promise<T[]> {
  const rows: unknown = await db.sequelize.query(sql, {
    type: QueryTypes.SELECT,
    replacements,
    transaction: transaction ?? null,
  });
  return rows as T[];
}

/**
 * Multi-row INSERT in chunks that stay under SQL Server's 2,100 parameters per statement.
 * Rows are objects keyed by column name; every row has every column.
 */
export async function insertRows(
  db: Store,
  table: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  transaction?: Transaction,
): Promise<void> {
  const perChunk = Math.max(1, Math.floor(2000 / columns.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const replacements: Replacements = {};
    const tuples = chunk.map((row, i) => {
      const names = columns.map((column, j) => {
        replacements[`v${i}_${j}`] = row[column] ?? null;
        return `:v${i}_${j}`;
      });
      return `(${names.join(', ')})`;
    });
    await runStatement(
      db,
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
      replacements,
      transaction,
    );
  }
}

/** `SELECT TOP (n)` on SQL Server, `LIMIT n` elsewhere: the two halves of a limited query. */
export function limitParts(db: Store, limit: number): { top: string; limit: string } {
  const n = Math.max(1, Math.floor(limit));
  return dialectOfStore(db) === 'mssql'
    ? { top: `TOP (${n})`, limit: '' }
    : { top: '', limit: `LIMIT ${n}` };
}

/** String concatenation: `+` on SQL Server, `||` elsewhere. */
export function concatOperator(db: Store): string {
  return dialectOfStore(db) === 'mssql' ? '+' : '||';
}

/** Runs an UPDATE or DELETE and returns how many rows it changed, on every dialect. */
export async function changeRows(
  db: Store,
  sql: string,
  replacements: Replacements = {},
  transaction?: Transaction,
): Promise<number> {
  const isDelete = /^\s*DELETE/i.test(sql);
  const result: unknown = await db.sequelize.query(sql, {
    type: isDelete ? QueryTypes.BULKDELETE : QueryTypes.BULKUPDATE,
    replacements,
    transaction: transaction ?? null,
  });
  return affectedCount(result);
}

function affectedCount(result: unknown): number {
  if (typeof result === 'number') return result;
  if (Array.isArray(result)) {
    for (const part of result) {
      if (typeof part === 'number') return part;
      if (part && typeof part === 'object' && 'rowCount' in part) {
        return Number((part as { rowCount: number }).rowCount);
      }
      if (part && typeof part === 'object' && 'changes' in part) {
        return Number((part as { changes: number }).changes);
      }
    }
  }
  if (result && typeof result === 'object' && 'rowCount' in result) {
    return Number((result as { rowCount: number }).rowCount);
  }
  return 0;
}

export async function runStatement(
  db: Store,
  sql: string,
  replacements: Replacements = {},
  transaction?: Transaction,
): Promise<void> {
  await db.sequelize.query(sql, {
    type: QueryTypes.RAW,
    replacements,
    transaction: transaction ?? null,
  });
}

/** A timestamp as the driver returned it (Date on PostgreSQL, text on SQLite) as a Date. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(String(value));
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

/** A DATEONLY column as YYYY-MM-DD whatever the driver returned. */
export function toIsoDay(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/**
 * INSERT one row and return its generated id: `RETURNING id` (PostgreSQL, SQLite) or
 * `OUTPUT INSERTED.id` (SQL Server). `columns` and `values` are the two parenthesised lists.
 */
export async function insertReturningId(
  db: Store,
  table: string,
  columns: string,
  values: string,
  replacements: Replacements,
  transaction?: Transaction,
): Promise<number> {
  const sql =
    dialectOfStore(db) === 'mssql'
      ? `INSERT INTO ${table} ${columns} OUTPUT INSERTED.id VALUES ${values}`
      : `INSERT INTO ${table} ${columns} VALUES ${values} RETURNING id`;
  const result: unknown = await db.sequelize.query(sql, {
    type: QueryTypes.INSERT,
    replacements,
    transaction: transaction ?? null,
  });
  // SQLite answers [lastID, changes]; PostgreSQL and SQL Server [[{ id }], count].
  const first = Array.isArray(result) ? (result[0] as unknown) : undefined;
  if (typeof first === 'number') return first;
  if (Array.isArray(first) && first[0] && typeof first[0] === 'object') {
    return Number((first[0] as { id: unknown }).id);
  }
  throw new Error(`no id came back from the INSERT into ${table}`);
}
