/**
 * SQL Server cannot run here, so the T-SQL of every migration is recorded without a server,
 * compared with a reviewed snapshot, and checked for what SQL Server 2019 lacks.
 * `UPDATE_SNAPSHOTS=1 npx mocha test/unit/mssql-ddl.test.ts` rewrites the snapshot.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Model, ModelStatic } from 'sequelize';
import { initModels } from '../../src/store/models/index.js';
import {
  checkSqlServerDdl,
  formatDdl,
  parseCreateTables,
  recordSqlServerDdl,
  recordingSqlServer,
} from '../../src/store/sql-server-ddl.js';
import { expectedTables } from '../helpers/expected-tables.js';

const snapshotPath = fileURLToPath(new URL('../snapshots/mssql-ddl.sql', import.meta.url));

describe('SQL Server DDL', () => {
  let ddl: string;

  before(async () => {
    ddl = formatDdl(await recordSqlServerDdl());
  });

  it('matches the reviewed snapshot', () => {
    if (process.env['UPDATE_SNAPSHOTS'] === '1') writeFileSync(snapshotPath, ddl);
    assert.ok(
      existsSync(snapshotPath),
      `no snapshot at ${snapshotPath}: run with UPDATE_SNAPSHOTS=1`,
    );
    const expected = readFileSync(snapshotPath, 'utf8');
    assert.equal(
      ddl,
      expected,
      `the migrations' T-SQL changed. Review \`git diff\` after running ` +
        `UPDATE_SNAPSHOTS=1 npx mocha test/unit/mssql-ddl.test.ts`,
    );
  });

  it('creates every table, including umzug’s schema_migrations', () => {
    const tables = [...parseCreateTables(ddl).keys()].sort();
    assert.deepEqual(tables, [...expectedTables]);
  });

  it('uses only what SQL Server 2019 has', () => {
    assert.deepEqual(checkSqlServerDdl(ddl), []);
  });

  it('gives every model attribute the T-SQL type the model expects', () => {
    // The models say BOOLEAN / DATEONLY / DATE / STRING; on SQL Server that must have become
    // BIT / DATE / DATETIMEOFFSET / NVARCHAR(n) in the table the migrations made.
    const { sequelize } = recordingSqlServer();
    const models = initModels(sequelize);
    const tables = parseCreateTables(ddl);
    const { recordItems: _items, ...byName } = models;
    let checked = 0;
    for (const model of Object.values(byName) as ModelStatic<Model>[]) {
      const columns = tables.get(model.getTableName() as string);
      assert.ok(columns, `no CREATE TABLE for ${model.name}`);
      for (const [name, attribute] of Object.entries(model.getAttributes())) {
        const column = attribute.field ?? name;
        const expected = (attribute.type as { toSql(): string }).toSql();
        assert.equal(columns.get(column), expected, `${model.name}.${name} (${column})`);
        checked++;
      }
    }
    assert.ok(checked > 100, `only ${checked} attributes checked`);
  });

  it('writes booleans as BIT, dates as DATE, timestamps as DATETIMEOFFSET, keys as IDENTITY', () => {
    const enrollments = parseCreateTables(ddl).get('enrollments');
    assert.equal(enrollments?.get('iep'), 'BIT');
    assert.equal(enrollments?.get('enrollment_date'), 'DATE');
    assert.equal(enrollments?.get('received_at'), 'DATETIMEOFFSET');
    assert.equal(enrollments?.get('comment'), 'NVARCHAR(MAX)');
    assert.match(ddl, /\[audit_events\] \(\n {2}\[id\] BIGINT NOT NULL IDENTITY\(1,1\)/);
    assert.match(
      ddl,
      /^CREATE UNIQUE INDEX \[submissions_state_sha256_uq\] ON \[submissions\] \(\[state_code\], \[file_sha256\]\);$/m,
    );
  });
});

describe('SQL Server DDL checker', () => {
  const table = (column: string) =>
    `IF OBJECT_ID('[t]', 'U') IS NULL CREATE TABLE [t] ([id] INTEGER NOT NULL IDENTITY(1,1), ${column}, PRIMARY KEY ([id]));`;

  it('accepts a valid table, and column names that look like types', () => {
    assert.deepEqual(checkSqlServerDdl(table('[text] NVARCHAR(MAX) NULL, [json] BIT NULL')), []);
  });

  const bad: [string, string, RegExp][] = [
    ['JSON', table('[detail] JSON NULL'), /JSON/],
    ['JSONB', table('[detail] JSONB NULL'), /JSON/],
    ['ENUM', table("[status] ENUM('a','b') NULL"), /ENUM/],
    ['SERIAL', 'CREATE TABLE [t] ([id] SERIAL, PRIMARY KEY ([id]));', /SERIAL/],
    ['BOOLEAN', table('[iep] BOOLEAN NULL'), /BOOLEAN/],
    ['TIMESTAMP WITH TIME ZONE', table('[x_at] TIMESTAMP WITH TIME ZONE NULL'), /TIME ZONE/],
    ['TEXT', table('[comment] TEXT NULL'), /NVARCHAR\(MAX\)/],
    ['VARCHAR', table('[name] VARCHAR(255) NULL'), /NVARCHAR/],
    ['DATETIME', table('[seen_at] DATETIME NULL'), /DATETIME2/],
    ['a *_at column as DATE', table('[seen_at] DATE NULL'), /point in time/],
    ['a *_date column as DATETIMEOFFSET', table('[birth_date] DATETIMEOFFSET NULL'), /DATE/],
    [
      'a key without IDENTITY',
      'CREATE TABLE [t] ([id] INTEGER NOT NULL, PRIMARY KEY ([id]));',
      /IDENTITY/,
    ],
    ['IF NOT EXISTS', 'CREATE INDEX IF NOT EXISTS [i] ON [t] ([a]);', /IF NOT EXISTS/],
    ['a PostgreSQL index', 'CREATE INDEX "i" ON "t" USING btree ("a");', /CREATE \[UNIQUE\] INDEX/],
    ['an unknown type', table('[shape] GEOGRAPHY NULL'), /unexpected type/],
  ];
  for (const [what, sql, reason] of bad) {
    it(`reports ${what}`, () => {
      const problems = checkSqlServerDdl(sql);
      assert.ok(
        problems.some((p) => reason.test(p)),
        `expected a problem matching ${reason}, got ${JSON.stringify(problems)}`,
      );
    });
  }

  it('reports a JSON column slipped into the real DDL', async () => {
    const ddl = formatDdl(await recordSqlServerDdl());
    const tampered = ddl.replace('[detail] NVARCHAR(MAX) NULL', '[detail] JSON NULL');
    assert.notEqual(tampered, ddl);
    assert.ok(checkSqlServerDdl(tampered).some((p) => /JSON/.test(p)));
  });
});
