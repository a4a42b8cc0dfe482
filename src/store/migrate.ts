/**
 * Schema migrations (umzug 3, names kept in `schema_migrations`), run under a lock so that two
 * gateway instances starting together cannot both migrate (CONVENTIONS.md "Data access").
 *
 * The lock, per dialect:
 * - PostgreSQL: session-level `pg_advisory_lock` taken on one connection held out of the pool for
 *   the whole run. If the process dies the connection closes and the server drops the lock.
 * - SQL Server: `sp_getapplock` owned by a transaction held open for the run; commit releases it,
 *   and a dead connection rolls back, which releases it too.
 * - SQLite: `BEGIN IMMEDIATE` on Sequelize's default connection, which is the one every
 *   non-transaction query (the query interface, umzug's storage) uses. SQLite has one writer at a
 *   time, so a second process waits at BEGIN IMMEDIATE until the first commits, and the OS drops
 *   the file lock if the process dies, so no lock row can go stale. DDL is transactional in SQLite,
 *   so the whole run commits or rolls back as one. The price: nothing else may write on that
 *   connection meanwhile, which holds at start-up, the only time migrations run.
 * Within one process, calls on the same Sequelize instance are also queued (a promise chain), as
 * the database locks above are re-entrant (PostgreSQL) or per-connection (SQLite).
 *
 * After the lock is taken, umzug reads the executed list afresh, so the instance that waited finds
 * nothing pending and executes nothing.
 */
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { RunnableMigration } from 'umzug';
import { SQLITE_BUSY_TIMEOUT_MS } from './database.js';
import { migrations } from './migrations/index.js';
import type { MigrationContext } from './migrations/index.js';

export const MIGRATION_TABLE = 'schema_migrations';
/** Any constant shared by every instance; this one spells "CNTM" (Continuum migrations). */
export const PG_MIGRATION_LOCK_KEY = 0x434e544d;
const MSSQL_LOCK_RESOURCE = 'continuum:schema-migrations';
const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000;
const SQLITE_LOCK_SLICE_MS = 250;
const SQLITE_RETRY_MS = 20;

export class MigrationLockError extends Error {
  override readonly name = 'MigrationLockError';
}

export interface MigrateOptions {
  /** How long to wait for another instance's migration to finish. Default 10 minutes. */
  lockTimeoutMs?: number;
  /** umzug's progress messages (migrating / migrated); silent by default. */
  logger?: Record<'info' | 'warn' | 'error' | 'debug', (message: Record<string, unknown>) => void>;
}

const queues = new WeakMap<Sequelize, Promise<unknown>>();

/** Runs fn after every earlier call for the same instance has settled. */
function queued<T>(sequelize: Sequelize, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(sequelize) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  queues.set(
    sequelize,
    next.catch(() => undefined),
  );
  return next;
}

function buildUmzug(
  sequelize: Sequelize,
  logger: MigrateOptions['logger'],
): Umzug<MigrationContext> {
  const transactional = sequelize.getDialect() !== 'sqlite';
  const runnable: RunnableMigration<MigrationContext>[] = migrations.map((migration) => ({
    name: migration.name,
    // PostgreSQL and SQL Server: each migration in its own transaction, so a failure leaves none
    // of its DDL behind. SQLite: already inside the BEGIN IMMEDIATE of the lock.
    up: (params) =>
      transactional
        ? sequelize.transaction((transaction) =>
            migration.up({ ...params, context: { ...params.context, transaction } }),
          )
        : migration.up(params),
    down: (params) =>
      transactional
        ? sequelize.transaction((transaction) =>
            migration.down({ ...params, context: { ...params.context, transaction } }),
          )
        : migration.down(params),
  }));
  return new Umzug<MigrationContext>({
    migrations: runnable,
    context: { queryInterface: sequelize.getQueryInterface(), sequelize },
    storage: new SequelizeStorage({
      sequelize,
      modelName: 'SchemaMigration',
      tableName: MIGRATION_TABLE,
    }),
    logger,
  });
}

interface PgClient {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

async function withPostgresLock<T>(sequelize: Sequelize, timeoutMs: number, fn: () => Promise<T>) {
  const manager = sequelize.connectionManager;
  const client = (await manager.getConnection({ type: 'write' })) as PgClient;
  let released = false;
  try {
    // lock_timeout bounds the wait for an advisory lock too.
    await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [PG_MIGRATION_LOCK_KEY]);
    } catch (err) {
      throw new MigrationLockError(
        `another instance held the migration lock for more than ${timeoutMs} ms`,
        { cause: err },
      );
    }
    await client.query('RESET lock_timeout');
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PG_MIGRATION_LOCK_KEY]);
      manager.releaseConnection(client);
      released = true;
    }
  } finally {
    // A connection in an unknown state (lock maybe still held, lock_timeout still set) must not
    // go back to the pool; closing it also makes the server drop any lock it holds.
    if (!released) await manager.destroyConnection(client);
  }
}

async function withSqlServerLock<T>(sequelize: Sequelize, timeoutMs: number, fn: () => Promise<T>) {
  return sequelize.transaction(async (transaction) => {
    const rows = await sequelize.query<{ result: number }>(
      `DECLARE @result int;
EXEC @result = sp_getapplock @Resource = :resource, @LockMode = 'Exclusive',
  @LockOwner = 'Transaction', @LockTimeout = :timeout;
SELECT @result AS result;`,
      {
        type: QueryTypes.SELECT,
        transaction,
        replacements: { resource: MSSQL_LOCK_RESOURCE, timeout: Math.floor(timeoutMs) },
      },
    );
    // 0 granted, 1 granted after waiting; negative: timeout, cancelled, deadlock, bad call.
    const result = rows[0]?.result;
    if (result === undefined || result < 0) {
      throw new MigrationLockError(`sp_getapplock returned ${String(result)}`);
    }
    return fn();
  });
}

function isSqliteBusy(err: unknown): boolean {
  return err instanceof Error && /SQLITE_BUSY|database is locked/i.test(err.message);
}

/**
 * BEGIN IMMEDIATE, retried in short slices until the deadline. Each attempt waits at most one
 * slice in SQLite's busy handler: a blocked attempt holds the connection, and other queries of
 * this process queued behind it get their turn between attempts.
 */
async function beginImmediate(sequelize: Sequelize, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const slice = Math.max(0, Math.min(SQLITE_LOCK_SLICE_MS, deadline - Date.now()));
      await sequelize.query(`PRAGMA busy_timeout = ${slice}`);
      try {
        // No Sequelize retry on SQLITE_BUSY (5 by default): this loop owns the waiting.
        await sequelize.query('BEGIN IMMEDIATE', { retry: { max: 1 } });
        return;
      } catch (err) {
        if (!isSqliteBusy(err)) throw err;
        if (Date.now() >= deadline) {
          throw new MigrationLockError(`SQLite database stayed locked for ${timeoutMs} ms`, {
            cause: err,
          });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, SQLITE_RETRY_MS));
    }
  } finally {
    await sequelize.query(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  }
}

async function withSqliteLock<T>(sequelize: Sequelize, timeoutMs: number, fn: () => Promise<T>) {
  await beginImmediate(sequelize, timeoutMs);
  try {
    const result = await fn();
    await sequelize.query('COMMIT');
    return result;
  } catch (err) {
    await sequelize.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

function withMigrationLock<T>(
  sequelize: Sequelize,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  return queued(sequelize, () => {
    const dialect = sequelize.getDialect();
    if (dialect === 'postgres') return withPostgresLock(sequelize, timeoutMs, fn);
    if (dialect === 'mssql') return withSqlServerLock(sequelize, timeoutMs, fn);
    if (dialect === 'sqlite') return withSqliteLock(sequelize, timeoutMs, fn);
    throw new Error(`migrations are not supported on ${dialect}`);
  });
}

/** Applies every pending migration under the lock; returns the names it executed, in order. */
export async function migrate(sequelize: Sequelize, opts: MigrateOptions = {}): Promise<string[]> {
  const timeout = opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  return withMigrationLock(sequelize, timeout, async () => {
    const executed = await buildUmzug(sequelize, opts.logger).up();
    return executed.map((m) => m.name);
  });
}

/**
 * Names not yet applied. Takes no lock (a readiness probe must not wait for another instance's
 * migration), and does not create `schema_migrations` on a database that has none yet.
 */
export async function pendingMigrations(sequelize: Sequelize): Promise<string[]> {
  if (!(await sequelize.getQueryInterface().tableExists(MIGRATION_TABLE))) {
    return migrations.map((m) => m.name);
  }
  const pending = await buildUmzug(sequelize, undefined).pending();
  return pending.map((m) => m.name);
}

/** Reverts the most recent migration (tests and development only), under the same lock. */
export async function revertLastMigration(
  sequelize: Sequelize,
  opts: MigrateOptions = {},
): Promise<string[]> {
  const timeout = opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  return withMigrationLock(sequelize, timeout, async () => {
    const reverted = await buildUmzug(sequelize, opts.logger).down();
    return reverted.map((m) => m.name);
  });
}
