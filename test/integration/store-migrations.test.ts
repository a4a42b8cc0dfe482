// Migrations and their lock, on every dialect (test/helpers/databases.ts).
import assert from 'node:assert/strict';
import { Sequelize } from 'sequelize';
import type { Model, ModelStatic } from 'sequelize';
import sqlite3 from 'sqlite3';
import {
  closeStore,
  initStore,
  migrate,
  migrations,
  pendingMigrations,
  revertLastMigration,
} from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { PG_MIGRATION_LOCK_KEY } from '../../src/store/migrate.js';
import { sqliteStorageOf } from '../../src/store/database.js';
import { dialects } from '../helpers/databases.js';
import { expectedTables } from '../helpers/expected-tables.js';

const allNames = migrations.map((m) => m.name);
const appTables: readonly string[] = expectedTables;

async function tableNames(store: Store): Promise<string[]> {
  const tables = (await store.sequelize.getQueryInterface().showAllTables()) as unknown[];
  return tables
    .map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName))
    .filter((name) => !name.startsWith('sqlite_'))
    .sort();
}

/** Tables, columns (type, nullability, default) and indexes: what a migration could change. */
async function schemaFingerprint(store: Store): Promise<string> {
  const qi = store.sequelize.getQueryInterface();
  const out: Record<string, unknown> = {};
  for (const table of await tableNames(store)) {
    const indexes = (await qi.showIndex(table)) as { name: string }[];
    out[table] = {
      columns: await qi.describeTable(table),
      indexes: indexes.map((i) => JSON.stringify(i)).sort(),
    };
  }
  return JSON.stringify(out);
}

async function migrationRows(store: Store): Promise<string[]> {
  const [rows] = await store.sequelize.query('SELECT name FROM schema_migrations ORDER BY name');
  return (rows as { name: string }[]).map((r) => r.name);
}

/** Takes the migration lock the way another instance would, from outside the store. */
async function holdMigrationLock(url: string): Promise<() => Promise<void>> {
  if (url.startsWith('postgres')) {
    // One pooled connection, so lock and unlock run in the same session.
    const other = new Sequelize(url, { logging: false, pool: { max: 1, min: 1 } });
    await other.query(`SELECT pg_advisory_lock(${PG_MIGRATION_LOCK_KEY})`);
    return async () => {
      await other.query(`SELECT pg_advisory_unlock(${PG_MIGRATION_LOCK_KEY})`);
      await other.close();
    };
  }
  const db = new sqlite3.Database(sqliteStorageOf(url));
  const exec = (sql: string) =>
    new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
  await exec('BEGIN IMMEDIATE');
  return async () => {
    await exec('COMMIT');
    await new Promise<void>((resolve) => db.close(() => resolve()));
  };
}

for (const db of dialects()) {
  describe(`store migrations on ${db.name}`, () => {
    const opened: Store[] = [];
    const open = async (url: string) => {
      const store = await initStore({ url });
      opened.push(store);
      return store;
    };
    after(async () => {
      for (const store of opened) await closeStore(store);
      await db.drop();
    });

    describe('on an empty database', () => {
      let store: Store;
      before(async function () {
        store = await open(await db.create(this));
      });

      it('reports every migration pending without creating anything', async () => {
        assert.deepEqual(await pendingMigrations(store.sequelize), allNames);
        assert.deepEqual(await tableNames(store), []);
      });

      it('creates every table and records every migration', async () => {
        assert.deepEqual(await migrate(store.sequelize), allNames);
        assert.deepEqual(await tableNames(store), appTables);
        assert.deepEqual(await migrationRows(store), allNames);
        assert.deepEqual(await pendingMigrations(store.sequelize), []);
      });

      it('executes nothing and changes nothing the second time', async () => {
        const before = await schemaFingerprint(store);
        assert.deepEqual(await migrate(store.sequelize), []);
        assert.equal(await schemaFingerprint(store), before);
        assert.deepEqual(await migrationRows(store), allNames);
      });

      it('gives every model attribute a column, with the same nullability', async () => {
        const qi = store.sequelize.getQueryInterface();
        const { recordItems: _items, ...models } = store.models;
        for (const model of Object.values(models) as ModelStatic<Model>[]) {
          const columns = await qi.describeTable(model.getTableName());
          const attributes = Object.values(model.getAttributes());
          assert.deepEqual(
            attributes.map((a) => a.field).sort(),
            Object.keys(columns).sort(),
            `${model.name}: model fields vs table columns`,
          );
          for (const a of attributes) {
            const column = columns[a.field ?? ''];
            // Primary keys are NOT NULL in the table whatever the model says.
            if (a.primaryKey) continue;
            assert.equal(column?.allowNull, a.allowNull !== false, `${model.name}.${a.field} null`);
          }
        }
      });
    });

    describe('reverting', () => {
      it('undoes each migration in turn, and migrating again restores the schema', async function () {
        const store = await open(await db.create(this));
        await migrate(store.sequelize);
        const migrated = await schemaFingerprint(store);
        const reverted: string[] = [];
        for (const _ of allNames) reverted.push(...(await revertLastMigration(store.sequelize)));
        assert.deepEqual(reverted, [...allNames].reverse());
        assert.deepEqual(await tableNames(store), ['schema_migrations']);
        assert.deepEqual(await pendingMigrations(store.sequelize), allNames);
        assert.deepEqual(await migrate(store.sequelize), allNames);
        assert.equal(await schemaFingerprint(store), migrated);
      });
    });

    describe('two instances starting together', () => {
      it('both succeed, and each migration runs exactly once', async function () {
        const url = await db.create(this);
        const [a, b] = [await open(url), await open(url)];
        const [ranA, ranB] = await Promise.all([migrate(a.sequelize), migrate(b.sequelize)]);
        assert.deepEqual([...ranA, ...ranB].sort(), [...allNames].sort());
        assert.ok(ranA.length === 0 || ranB.length === 0, 'one instance found nothing to do');
        assert.deepEqual(await migrationRows(a), allNames);
      });

      it('queues concurrent calls on one instance too', async function () {
        const store = await open(await db.create(this));
        const runs = await Promise.all([migrate(store.sequelize), migrate(store.sequelize)]);
        assert.deepEqual(runs, [allNames, []]);
      });

      it('waits while another instance holds the lock, then finds its work done', async function () {
        const url = await db.create(this);
        const store = await open(url);
        const release = await holdMigrationLock(url);
        let finished = false;
        const running = migrate(store.sequelize).then((names) => {
          finished = true;
          return names;
        });
        await new Promise((resolve) => setTimeout(resolve, 700));
        assert.equal(finished, false, 'migrate() must wait for the lock');
        assert.deepEqual(await tableNames(store), [], 'nothing created while waiting');
        await release();
        assert.deepEqual(await running, allNames);
      });

      it('gives up after lockTimeoutMs with a MigrationLockError', async function () {
        const url = await db.create(this);
        const store = await open(url);
        const release = await holdMigrationLock(url);
        try {
          await assert.rejects(migrate(store.sequelize, { lockTimeoutMs: 300 }), {
            name: 'MigrationLockError',
          });
        } finally {
          await release();
        }
        // The store is still usable: the lock connection was not left poisoned.
        assert.deepEqual(await migrate(store.sequelize), allNames);
      });
    });
  });
}
