/**
 * One Sequelize instance per database URL (DESIGN.md section 10: the database is chosen by
 * `DATABASE_URL`, one of `sqlite:`, `postgres:` or `mssql:`).
 *
 * The URL is parsed here rather than handed to Sequelize because Sequelize's own parser puts
 * every query parameter into `dialectOptions` verbatim, which is wrong for tedious (it wants
 * `options.encrypt` as a boolean) and cannot express a relative SQLite path.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Sequelize } from 'sequelize';
import type { Options } from 'sequelize';

export type Dialect = 'sqlite' | 'postgres' | 'mssql';

export interface CreateSequelizeOptions {
  logging?: (sql: string) => void;
}

/** Thrown when a database URL cannot be used; the message says which part is wrong. */
export class DatabaseUrlError extends Error {
  override readonly name = 'DatabaseUrlError';
}

/** How long a SQLite connection waits for another writer before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export function dialectOf(url: string): Dialect {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  if (scheme === 'sqlite') return 'sqlite';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  if (scheme === 'mssql' || scheme === 'sqlserver') return 'mssql';
  throw new DatabaseUrlError(
    `database URL must start with sqlite:, postgres: or mssql: (got "${scheme || url}")`,
  );
}

/**
 * `sqlite::memory:`, `sqlite:./data/continuum.sqlite`, `sqlite:///abs/path.sqlite`.
 * Returns `:memory:` or an absolute file path.
 */
export function sqliteStorageOf(url: string): string {
  let rest = url.slice('sqlite:'.length);
  if (rest === '' || rest === ':memory:' || rest === '//:memory:') return ':memory:';
  if (rest.startsWith('//')) rest = rest.slice(2);
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  return resolve(decodeURIComponent(rest));
}

function boolParam(params: URLSearchParams, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  throw new DatabaseUrlError(
    `database URL parameter ${name} must be true or false (got "${value}")`,
  );
}

function serverOptions(url: string, dialect: 'postgres' | 'mssql'): Options {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUrlError(`database URL is not a valid URL: ${redact(url)}`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!parsed.hostname) throw new DatabaseUrlError(`database URL has no host: ${redact(url)}`);
  if (!database) throw new DatabaseUrlError(`database URL has no database name: ${redact(url)}`);
  const options: Options = {
    dialect,
    host: parsed.hostname,
    database,
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
  if (parsed.port) options.port = Number(parsed.port);
  const params = parsed.searchParams;
  if (dialect === 'postgres') {
    const ssl = boolParam(params, 'ssl');
    if (ssl !== undefined) options.dialectOptions = { ssl };
  } else {
    // tedious defaults to encrypt=true; SQL Server in a container usually has a self-signed cert.
    const tediousOptions: Record<string, unknown> = {};
    const encrypt = boolParam(params, 'encrypt');
    const trust = boolParam(params, 'trustServerCertificate');
    if (encrypt !== undefined) tediousOptions['encrypt'] = encrypt;
    if (trust !== undefined) tediousOptions['trustServerCertificate'] = trust;
    const instance = params.get('instanceName');
    if (instance) tediousOptions['instanceName'] = instance;
    options.dialectOptions = { options: tediousOptions };
  }
  return options;
}

/** The URL with its password replaced, for error messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

interface SqliteDatabaseHandle {
  configure(option: 'busyTimeout', ms: number): void;
  run(sql: string, callback: (err: Error | null) => void): void;
}

/**
 * Sequelize's SQLite connection manager opens one connection per transaction and never runs the
 * pool's afterConnect hooks, so per-connection settings are applied by wrapping getConnection.
 * - busy timeout: without it a transaction's connection fails at once (SQLITE_BUSY) instead of
 *   waiting for another writer;
 * - WAL: readers keep working while an ingest writes. It is a property of the file, so setting it
 *   again is a no-op; in-memory databases have no journal file.
 * WAL is awaited before the connection is handed out, so it never races the first query; if it
 * cannot be set (another process holds a lock on a new file) the database still works, in
 * rollback-journal mode, so that error is not fatal. Sequelize itself sets `PRAGMA FOREIGN_KEYS=ON` on every connection (its `foreignKeys` default).
 */
function configureSqliteConnections(sequelize: Sequelize, storage: string): void {
  const manager = sequelize.connectionManager;
  const getConnection = manager.getConnection.bind(manager);
  const configured = new WeakSet<object>();
  manager.getConnection = async (opts) => {
    const connection = await getConnection(opts);
    if (!configured.has(connection)) {
      const handle = connection as SqliteDatabaseHandle;
      handle.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
      if (storage !== ':memory:') {
        await new Promise<void>((resolve) =>
          handle.run('PRAGMA journal_mode = WAL', () => resolve()),
        );
      }
      configured.add(connection);
    }
    return connection;
  };
}

export function createSequelize(url: string, opts: CreateSequelizeOptions = {}): Sequelize {
  const dialect = dialectOf(url);
  const logging = opts.logging ?? false;
  // Timestamps are stored and read in UTC whatever the server's zone (default, made explicit).
  const common: Options = { logging, timezone: '+00:00' };
  if (dialect === 'sqlite') {
    const storage = sqliteStorageOf(url);
    if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
    const sequelize = new Sequelize({ ...common, dialect, storage });
    configureSqliteConnections(sequelize, storage);
    return sequelize;
  }
  return new Sequelize({ ...common, ...serverOptions(url, dialect) });
}
