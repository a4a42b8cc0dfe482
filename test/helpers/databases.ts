/**
 * The databases every behavioural DB suite runs on (CONVENTIONS.md "Tests": the same suite on
 * every dialect we support). SQLite always, in a temp file; PostgreSQL at TEST_POSTGRES_URL or
 * the local default, in a fresh `continuum_test_<random>` database dropped afterwards.
 *
 * PostgreSQL unreachable: the suite is skipped on a developer machine, but fails when `CI` or
 * `TEST_POSTGRES_URL` is set, so a broken CI database cannot pass as green.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sequelize } from 'sequelize';

export interface TestDatabase {
  /** For test titles: `SQLite`, `PostgreSQL`. */
  name: string;
  dialect: 'sqlite' | 'postgres';
  /**
   * Makes a new, empty database and returns its URL. Call from a `before` hook with its `this`:
   * an unavailable optional server skips the suite. Each call makes another database.
   */
  create(ctx?: Mocha.Context): Promise<string>;
  /** Removes every database this object created. */
  drop(): Promise<void>;
}

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function sqliteDatabase(): TestDatabase {
  const dirs: string[] = [];
  return {
    name: 'SQLite',
    dialect: 'sqlite',
    async create() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'continuum-test-'));
      dirs.push(dir);
      return `sqlite:${path.join(dir, 'continuum.sqlite')}`;
    },
    async drop() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresDatabase(): TestDatabase {
  const adminUrl = process.env['TEST_POSTGRES_URL'] ?? DEFAULT_POSTGRES_URL;
  const required = Boolean(process.env['CI'] || process.env['TEST_POSTGRES_URL']);
  const created: string[] = [];

  async function admin(statements: string[]): Promise<void> {
    const sequelize = new Sequelize(adminUrl, {
      dialect: 'postgres',
      logging: false,
      dialectOptions: { connectionTimeoutMillis: 3000 },
    });
    try {
      for (const sql of statements) await sequelize.query(sql);
    } finally {
      await sequelize.close();
    }
  }

  return {
    name: 'PostgreSQL',
    dialect: 'postgres',
    async create(ctx) {
      // Lower-case hex only, so the name needs no quoting rules beyond the double quotes.
      const name = `continuum_test_${randomBytes(6).toString('hex')}`;
      try {
        await admin([`CREATE DATABASE "${name}"`]);
      } catch (err) {
        const reason = `PostgreSQL unavailable at ${adminUrl}: ${(err as Error).message}`;
        if (required || !ctx) throw new Error(reason, { cause: err });
        console.warn(`      skipped: ${reason}`);
        ctx.skip();
      }
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async drop() {
      const names = created.splice(0);
      if (names.length === 0) return;
      // FORCE (PostgreSQL 13+) ends connections a failed test left open.
      await admin(names.map((name) => `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** A fresh set of test databases; call once per suite (each keeps track of what it made). */
export function dialects(): TestDatabase[] {
  return [sqliteDatabase(), postgresDatabase()];
}

/** The same, under the name the CLI suite uses. */
export const testDatabases = dialects;
