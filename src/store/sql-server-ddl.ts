/**
 * The T-SQL our migrations would run on SQL Server, produced without a server: the migrations
 * run against a Sequelize `mssql` instance whose `query` records the SQL and answers with empty
 * results. SQL Server is the production target (DESIGN.md section 3) but cannot run in CI, so a
 * snapshot of this DDL plus `checkSqlServerDdl` stand in; a DBA can also review the script.
 */
import { Sequelize } from 'sequelize';
import { SequelizeStorage } from 'umzug';
import { MIGRATION_TABLE } from './migrate.js';
import { migrations } from './migrations/index.js';

type Responder = (sql: string, options?: { type?: string }) => unknown;

/**
 * A Sequelize `mssql` instance that never connects: every query is recorded, none is sent, and
 * each is answered by `respond` (default: no rows).
 */
export function recordingSqlServer(respond?: Responder): {
  sequelize: Sequelize;
  statements: string[];
} {
  const sequelize = new Sequelize({
    dialect: 'mssql',
    host: '127.0.0.1',
    database: 'continuum',
    username: 'recorder',
    password: 'unused',
    logging: false,
    pool: { max: 1, min: 0 },
  });
  const statements: string[] = [];
  const recorder = async (sql: string | { query: string }, options?: { type?: string }) => {
    const text = typeof sql === 'string' ? sql : sql.query;
    statements.push(text);
    const answer = respond?.(text, options);
    if (answer !== undefined) return answer;
    // RAW queries resolve to [results, metadata]; typed ones (SHOWTABLES...) to the results.
    return !options?.type || options.type === 'RAW' ? [[], 0] : [];
  };
  (sequelize as unknown as { query: typeof recorder }).query = recorder;
  return { sequelize, statements };
}

/** The DDL of every migration plus umzug's own `schema_migrations` table, as run. */
export async function recordSqlServerDdl(): Promise<string[]> {
  const { sequelize, statements } = recordingSqlServer();
  const context = { queryInterface: sequelize.getQueryInterface(), sequelize };
  const storage = new SequelizeStorage({
    sequelize,
    modelName: 'SchemaMigration',
    tableName: MIGRATION_TABLE,
  });
  await storage.getModel().sync();
  for (const migration of migrations) await migration.up({ name: migration.name, context });
  // Keep what changes the schema; drop the catalogue reads Sequelize makes around sync().
  return statements.filter((sql) => /^\s*(IF OBJECT_ID|CREATE|ALTER|DROP|DECLARE)\b/i.test(sql));
}

/** Splits at commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

const CREATE_TABLE = /^(.*?CREATE TABLE \[[^\]]+\]) \((.*)\);?$/s;

/** One statement per paragraph, CREATE TABLE with one column per line, each ending in `;`. */
export function formatDdl(statements: readonly string[]): string {
  const formatted = statements.map((raw) => {
    const sql = raw.replace(/\s+/g, ' ').replace(/ ,/g, ',').trim().replace(/;$/, '');
    const table = CREATE_TABLE.exec(sql);
    if (!table) return `${sql};`;
    const body = splitTopLevel(table[2] ?? '').map((part) => `  ${part}`);
    return `${table[1]} (\n${body.join(',\n')}\n);`;
  });
  return `${formatted.join('\n\n')}\n`;
}

export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

export type SqlServerColumns = Map<string, Map<string, string>>;

const COLUMN_OPTION = /\s+(NOT NULL|NULL|IDENTITY|UNIQUE|DEFAULT|PRIMARY KEY|REFERENCES)\b.*$/;

/** Table → column → declared type (`NVARCHAR(255)`, `DECIMAL(7,2)`...), from CREATE TABLEs. */
export function parseCreateTables(sql: string): SqlServerColumns {
  const tables: SqlServerColumns = new Map();
  for (const statement of splitStatements(sql)) {
    const match = /CREATE TABLE \[([^\]]+)\] \((.*)\)$/.exec(statement);
    if (!match) continue;
    const columns = new Map<string, string>();
    for (const part of splitTopLevel(match[2] ?? '')) {
      const column = /^\[([^\]]+)\]\s+(.*)$/.exec(part);
      if (column) columns.set(column[1] ?? '', (column[2] ?? '').replace(COLUMN_OPTION, '').trim());
    }
    tables.set(match[1] ?? '', columns);
  }
  return tables;
}

/**
 * Types and syntax SQL Server 2019 lacks or that mean something else there. Matched as words
 * after identifiers ([...]) and string literals are removed, so a column named [text] is fine.
 */
const DENIED: readonly { pattern: RegExp; reason: string }[] = [
  {
    pattern: /\bJSONB?\b/,
    reason: 'JSON/JSONB: SQL Server 2019 has no JSON type (use NVARCHAR(MAX))',
  },
  { pattern: /\bENUM\b/, reason: 'ENUM: no enum types in SQL Server (use NVARCHAR + code checks)' },
  { pattern: /\b(SMALL|BIG)?SERIAL\b/, reason: 'SERIAL: use INT/BIGINT IDENTITY(1,1)' },
  { pattern: /\bAUTO_?INCREMENT\b/, reason: 'AUTOINCREMENT: use IDENTITY(1,1)' },
  { pattern: /\bBOOL(EAN)?\b/, reason: 'BOOLEAN: SQL Server has BIT' },
  { pattern: /\bTINYINT\s*\(1\)/, reason: 'TINYINT(1) as boolean: use BIT' },
  { pattern: /WITH(OUT)? TIME ZONE/, reason: 'TIMESTAMP WITH TIME ZONE: use DATETIMEOFFSET' },
  {
    pattern: /\bTIMESTAMPTZ?\b/,
    reason: 'TIMESTAMP is a row version in SQL Server: use DATETIME2 or DATETIMEOFFSET',
  },
  {
    pattern: /\bDATETIME\b/,
    reason: 'DATETIME: legacy, 3 ms rounding; use DATETIME2 or DATETIMEOFFSET',
  },
  { pattern: /\bN?TEXT\b/, reason: 'TEXT/NTEXT: deprecated; use NVARCHAR(MAX)' },
  { pattern: /\bIMAGE\b|\bBLOB\b|\bBYTEA\b/, reason: 'binary type: use VARBINARY(MAX)' },
  { pattern: /\bVARCHAR\b|CHARACTER VARYING/, reason: 'VARCHAR: not Unicode; use NVARCHAR' },
  { pattern: /\bUUID\b/, reason: 'UUID: use UNIQUEIDENTIFIER' },
  { pattern: /\bDOUBLE\b/, reason: 'DOUBLE: use FLOAT, or DECIMAL for exact values' },
  { pattern: /\bARRAY\b|\[\]/, reason: 'arrays: SQL Server has none' },
  {
    pattern: /\bIF NOT EXISTS\b/,
    reason: 'IF NOT EXISTS in CREATE: not T-SQL (use IF OBJECT_ID(...) IS NULL)',
  },
  { pattern: /`|"/, reason: 'identifiers must be quoted with [brackets]' },
];

const ALLOWED_TYPE =
  /^(NVARCHAR\((\d+|MAX)\)|N?CHAR\(\d+\)|INT|INTEGER|BIGINT|SMALLINT|DECIMAL\(\d+,\s*\d+\)|DATE|DATETIME2(\(\d\))?|DATETIMEOFFSET(\(\d\))?|BIT|FLOAT|VARBINARY\((\d+|MAX)\)|UNIQUEIDENTIFIER)$/;
const INDEX =
  /^CREATE (UNIQUE )?INDEX \[[^\]]+\] ON \[[^\]]+\] \(\[[^\]]+\]( (ASC|DESC))?(, \[[^\]]+\]( (ASC|DESC))?)*\)$/;

/** `_date` columns that are not dates: MSIX "Grade-to-Date" is the grade earned so far. */
const NOT_DATES = new Set(['grade_to_date']);

/** Problems that would make the DDL fail or mean the wrong thing on SQL Server 2019; [] if none. */
export function checkSqlServerDdl(sql: string): string[] {
  const problems: string[] = [];
  const statements = splitStatements(sql);
  statements.forEach((statement, i) => {
    const where = `statement ${i + 1} (${statement.slice(0, 60)}...)`;
    const words = statement
      .replace(/\[[^\]]+\]/g, 'x')
      .replace(/N?'(?:[^']|'')*'/g, "''")
      .toUpperCase();
    for (const { pattern, reason } of DENIED) {
      if (pattern.test(words)) problems.push(`${where}: ${reason}`);
    }
    if (/\bINDEX\b/i.test(statement) && !INDEX.test(statement)) {
      problems.push(
        `${where}: index must read CREATE [UNIQUE] INDEX [name] ON [table] ([col], ...)`,
      );
    }
  });
  for (const [table, columns] of parseCreateTables(sql)) {
    const create = statements.find((s) => s.includes(`CREATE TABLE [${table}]`)) ?? '';
    for (const [column, type] of columns) {
      const at = `${table}.${column}`;
      if (!ALLOWED_TYPE.test(type.toUpperCase())) problems.push(`${at}: unexpected type ${type}`);
      if (/_at$/.test(column) && !/^DATETIME(2|OFFSET)\b/i.test(type)) {
        problems.push(`${at}: a point in time must be DATETIMEOFFSET or DATETIME2, not ${type}`);
      }
      if (/_date$/.test(column) && !NOT_DATES.has(column) && type.toUpperCase() !== 'DATE') {
        problems.push(`${at}: a calendar date must be DATE, not ${type}`);
      }
    }
    const pk = /PRIMARY KEY \(\[([^\]]+)\]\)/.exec(create)?.[1];
    const pkType = pk ? columns.get(pk) : undefined;
    if (pk && pkType && /^(INT|INTEGER|BIGINT)$/i.test(pkType)) {
      if (!new RegExp(`\\[${pk}\\] ${pkType} NOT NULL IDENTITY\\(1,\\s*1\\)`, 'i').test(create)) {
        problems.push(`${table}.${pk}: an integer surrogate key must be IDENTITY(1,1)`);
      }
    }
  }
  return problems;
}
