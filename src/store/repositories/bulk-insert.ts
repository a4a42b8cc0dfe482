/**
 * Multi-row INSERT (and upsert) straight through the driver connection of a transaction, for the
 * ingest hot path (CONVENTIONS.md "Hot paths are set-based"). Sequelize's bulkCreate builds a
 * model instance per row, validates it and formats every date with moment: at 200,000 children
 * (about 1.5 million rows) that was most of the ingest time. Here a batch is one statement:
 *
 * - PostgreSQL: `INSERT ... SELECT * FROM unnest($1::type[], $2::type[], ...)`, one array
 *   parameter per column, so the statement text and its parameter count do not depend on the
 *   number of rows;
 * - SQLite: `INSERT ... VALUES (?, ...), (?, ...)`, within SQLite's limit of bound variables.
 *
 * Values are written as Sequelize writes them (SQLite: booleans 1/0, timestamps
 * `YYYY-MM-DD HH:mm:ss.SSS +00:00`), so what is read back does not depend on which path wrote it.
 * `rawConnectionOf` answers undefined on SQL Server and without a transaction: callers then keep
 * the Sequelize path (bulk-upsert.ts renders SQL Server's MERGE; sql-server-bulk.ts loads items).
 */
import type { Model, ModelStatic, Transaction } from 'sequelize';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = ModelStatic<Model<any, any>>;

interface PgClient {
  query(config: { text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

interface SqliteConnection {
  all(
    sql: string,
    params: unknown[],
    callback: (err: Error | null, rows: Record<string, unknown>[]) => void,
  ): void;
}

export type RawConnection =
  { dialect: 'postgres'; client: PgClient } | { dialect: 'sqlite'; db: SqliteConnection };

/** The transaction's own driver connection, where rows can be written without the ORM. */
export function rawConnectionOf(
  model: AnyModel,
  tx: Transaction | null | undefined,
): RawConnection | undefined {
  const connection = (tx as unknown as { connection?: unknown } | null | undefined)?.connection;
  if (!connection || !model.sequelize) return undefined;
  const dialect = model.sequelize.getDialect();
  if (dialect === 'postgres') return { dialect, client: connection as PgClient };
  if (dialect === 'sqlite') return { dialect, db: connection as SqliteConnection };
  return undefined;
}

type ValueKind = 'timestamp' | 'boolean' | 'other';

interface Column {
  attribute: string;
  field: string;
  /** PostgreSQL type of the unnest array element. */
  pgType: string;
  kind: ValueKind;
}

interface ColumnAttribute {
  field?: string;
  type: { key?: string; toSql(): string };
}

const columnCache = new WeakMap<AnyModel, Map<string, Column>>();

function columnsOf(model: AnyModel): Map<string, Column> {
  let columns = columnCache.get(model);
  if (!columns) {
    columns = new Map();
    const attributes = model.getAttributes() as Record<string, ColumnAttribute>;
    for (const [attribute, spec] of Object.entries(attributes)) {
      const key = spec.type.key ?? '';
      const kind: ValueKind =
        key === 'DATE' ? 'timestamp' : key === 'BOOLEAN' ? 'boolean' : 'other';
      const pgType =
        key === 'DATE'
          ? 'timestamptz'
          : key === 'DATEONLY'
            ? 'date'
            : key === 'BOOLEAN'
              ? 'boolean'
              : spec.type.toSql().toLowerCase();
      columns.set(attribute, { attribute, field: spec.field ?? attribute, pgType, kind });
    }
    columnCache.set(model, columns);
  }
  return columns;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function pgValue(kind: ValueKind, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (kind === 'timestamp' && value instanceof Date) return value.toISOString();
  return value;
}

/** `"..."` with `\\` and `"` escaped: an element of a PostgreSQL array literal. */
function pgQuoted(text: string): string {
  if (text.indexOf('"') < 0 && text.indexOf('\\') < 0) return `"${text}"`;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * One column of rows[start, end) as a PostgreSQL array literal (`{"a",NULL,"b"}`), written here
 * rather than by the driver: it is the inner loop of every bulk insert.
 */
function pgArray(
  kind: ValueKind,
  rows: readonly Record<string, unknown>[],
  attribute: string,
  start: number,
  end: number,
): string {
  let out = '{';
  for (let i = start; i < end; i++) {
    if (i > start) out += ',';
    const value = pgValue(kind, (rows[i] as Record<string, unknown>)[attribute]);
    if (value === null) out += 'NULL';
    else if (typeof value === 'number' || typeof value === 'bigint') out += String(value);
    else if (typeof value === 'boolean') out += value ? 't' : 'f';
    else if (value instanceof Date) out += pgQuoted(value.toISOString());
    else out += pgQuoted(typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `${out}}`;
}

function sqliteValue(kind: ValueKind, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (kind === 'boolean') return value ? 1 : 0;
  if (kind === 'timestamp' && value instanceof Date) {
    // Sequelize's SQLite format, so that text comparisons and ordering stay consistent.
    const iso = value.toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 23)} +00:00`;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export interface InsertRowsOptions {
  /** On a conflict on these attributes, update `update` (an upsert)... */
  conflict?: readonly string[];
  /** ...these attributes with the new values; absent or empty: the row is left as it is. */
  update?: readonly string[];
  /** Attributes returned for every row inserted or updated. */
  returning?: readonly string[];
}

/** SQLite's default limit of bound variables per statement is 32766. */
const SQLITE_MAX_VARIABLES = 32_000;
/** Rows per statement on PostgreSQL: bounds the size of one statement's parameters. */
const PG_ROWS_PER_STATEMENT = 5000;

/**
 * Inserts `rows` (all with the same attributes) into `model`'s table through `connection`;
 * returns the `returning` attributes of the rows written, keyed by attribute name.
 */
export async function insertRows(
  connection: RawConnection,
  model: AnyModel,
  rows: readonly Record<string, unknown>[],
  options: InsertRowsOptions = {},
): Promise<Record<string, unknown>[]> {
  return prepareInsert(connection, model, rows, options).run();
}

export interface PreparedInsert {
  /** Writes the rows, reading the `late` attributes from them now. */
  run(): Promise<Record<string, unknown>[]>;
}

/**
 * insertRows in two steps: the statement and every column but `late` are rendered now, the
 * `late` ones (ids known only once an earlier statement has answered) when it runs. The rows are
 * made ready while the database is still busy with the statement before, and the database
 * does not wait for them afterwards.
 */
export function prepareInsert(
  connection: RawConnection,
  model: AnyModel,
  rows: readonly Record<string, unknown>[],
  options: InsertRowsOptions & { late?: readonly string[] } = {},
): PreparedInsert {
  const first = rows[0];
  if (!first) return { run: async () => [] };
  const all = columnsOf(model);
  const column = (attribute: string): Column => {
    const found = all.get(attribute);
    if (!found) throw new Error(`${model.name} has no attribute ${attribute}`);
    return found;
  };
  const columns = Object.keys(first).map(column);
  const table = quote(model.getTableName() as string);
  const names = columns.map((c) => quote(c.field)).join(', ');
  let tail = '';
  if (options.conflict?.length) {
    const target = options.conflict.map((a) => quote(column(a).field)).join(', ');
    const set = (options.update ?? [])
      .filter((a) => a in first)
      .map((a) => `${quote(column(a).field)} = excluded.${quote(column(a).field)}`);
    tail = set.length
      ? ` ON CONFLICT (${target}) DO UPDATE SET ${set.join(', ')}`
      : ` ON CONFLICT (${target}) DO NOTHING`;
  }
  const returned = (options.returning ?? []).map(column);
  if (returned.length) {
    tail += ` RETURNING ${returned.map((c) => `${quote(c.field)} AS ${quote(c.attribute)}`).join(', ')}`;
  }

  if (connection.dialect === 'postgres') {
    const { client } = connection;
    const arrays = columns.map((c) => `$${columns.indexOf(c) + 1}::${c.pgType}[]`).join(', ');
    const text = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})${tail}`;
    const late = new Set(options.late ?? []);
    const parts: { start: number; end: number; values: unknown[] }[] = [];
    for (let start = 0; start < rows.length; start += PG_ROWS_PER_STATEMENT) {
      const end = Math.min(rows.length, start + PG_ROWS_PER_STATEMENT);
      const values = columns.map((c) =>
        late.has(c.attribute) ? undefined : pgArray(c.kind, rows, c.attribute, start, end),
      );
      parts.push({ start, end, values });
    }
    return {
      async run() {
        const out: Record<string, unknown>[] = [];
        for (const { start, end, values } of parts) {
          columns.forEach((c, i) => {
            if (late.has(c.attribute)) values[i] = pgArray(c.kind, rows, c.attribute, start, end);
          });
          const result = await client.query({ text, values });
          if (returned.length) out.push(...result.rows);
        }
        return out;
      },
    };
  }
  const { db } = connection;
  return { run: () => insertSqlite(db, table, names, columns, rows, tail, returned.length > 0) };
}

async function insertSqlite(
  db: SqliteConnection,
  table: string,
  names: string,
  columns: readonly Column[],
  rows: readonly Record<string, unknown>[],
  tail: string,
  returning: boolean,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const perStatement = Math.max(
    1,
    Math.min(1000, Math.floor(SQLITE_MAX_VARIABLES / columns.length)),
  );
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  let sql = '';
  let sqlRows = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    const end = Math.min(rows.length, start + perStatement);
    if (end - start !== sqlRows) {
      sqlRows = end - start;
      sql = `INSERT INTO ${table} (${names}) VALUES ${Array(sqlRows).fill(tuple).join(', ')}${tail}`;
    }
    const params: unknown[] = [];
    for (let i = start; i < end; i++) {
      const row = rows[i] as Record<string, unknown>;
      for (const c of columns) params.push(sqliteValue(c.kind, row[c.attribute]));
    }
    const result = await new Promise<Record<string, unknown>[]>((resolve, reject) =>
      db.all(sql, params, (err, found) => (err ? reject(err) : resolve(found))),
    );
    if (returning) out.push(...result);
  }
  return out;
}

/** Runs one statement with positional parameters (`$1`... on PostgreSQL, `?` on SQLite). */
export async function runRaw(
  connection: RawConnection,
  sql: { postgres: string; sqlite: string },
  values: unknown[],
): Promise<Record<string, unknown>[]> {
  if (connection.dialect === 'postgres') {
    return (await connection.client.query({ text: sql.postgres, values })).rows;
  }
  return new Promise((resolve, reject) =>
    connection.db.all(sql.sqlite, values, (err, rows) => (err ? reject(err) : resolve(rows))),
  );
}

/**
 * PostgreSQL: refreshes the planner's statistics of `tables` from inside the transaction, which
 * sees its own rows. A large ingest into a small store otherwise plans every look-up with the
 * statistics of the store as it was (a near-empty table is scanned, not searched by index), and
 * each batch's look-ups cost more than the last. SKIP_LOCKED: a table another transaction is
 * analyzing is skipped rather than waited for; the lock taken is held to the end of the
 * transaction, and conflicts only with VACUUM, ANALYZE and DDL, not with reads or writes. A user
 * not allowed to analyze a table gets a warning, not an error. Other dialects: nothing.
 */
export async function analyzeTables(
  connection: RawConnection,
  tables: readonly string[],
): Promise<void> {
  if (connection.dialect !== 'postgres' || tables.length === 0) return;
  await connection.client.query({
    text: `ANALYZE (SKIP_LOCKED) ${tables.map(quote).join(', ')}`,
    values: [],
  });
}
