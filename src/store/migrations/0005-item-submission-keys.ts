/**
 * Drops the foreign keys from the item tables (qualifying_moves, enrollments, courses,
 * assessments) to `submissions`. Each was checked once per item row written, about a quarter of
 * the cost of writing an item on PostgreSQL, and protected nothing the item's key to its record
 * does not already protect:
 *
 * - an item is only ever written together with its student record, by the same submission and
 *   with the same `submission_id` (student-documents.ts replaces a record's items as a set
 *   whenever it rewrites the record), so an item's submission is its record's submission;
 * - the record's own foreign key to `submissions` (kept) makes that submission exist, and the
 *   item's key to its record (kept, ON DELETE CASCADE) makes the record exist, so an item cannot
 *   name a submission that is not there.
 *
 * Kept: every item's key to `student_records`, and the records' keys to `submissions`, `states`
 * and `children`, which are each a record's only guard of that fact.
 *
 * SQLite cannot drop a constraint: each table is made again without it (its own CREATE TABLE
 * text less the one REFERENCES clause, rows copied, its indexes made again), as SQLite's manual
 * describes for schema changes ALTER TABLE cannot do. Nothing references the item tables.
 */
import { QueryTypes } from 'sequelize';
import type { Migration, MigrationContext } from './context.js';

const ITEM_TABLES = ['qualifying_moves', 'enrollments', 'courses', 'assessments'] as const;

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { sequelize, transaction } = context;
  const dialect = sequelize.getDialect();
  if (dialect === 'postgres') {
    // By the names the server gave them: the key of submission_id that references submissions.
    const rows = await sequelize.query<{ table: string; name: string }>(
      `SELECT c.conrelid::regclass::text AS "table", c.conname AS "name"
       FROM pg_constraint c
       WHERE c.contype = 'f' AND c.confrelid = 'submissions'::regclass
         AND c.conrelid::regclass::text IN (${ITEM_TABLES.map((t) => `'${t}'`).join(', ')})`,
      { type: QueryTypes.SELECT, transaction },
    );
    for (const { table, name } of rows) {
      await sequelize.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`, { transaction });
    }
  } else if (dialect === 'sqlite') {
    for (const table of ITEM_TABLES) await rebuildSqliteTable(sequelize, table);
  } else if (dialect === 'mssql') {
    // SQL Server named these keys itself (FK__enrollmen__submi__...): found and dropped in one batch.
    await sequelize.query(
      `DECLARE @drop NVARCHAR(MAX) = N''; ` +
        `SELECT @drop = @drop + N'ALTER TABLE ' + QUOTENAME(OBJECT_NAME(fk.parent_object_id)) + ` +
        `N' DROP CONSTRAINT ' + QUOTENAME(fk.name) + N'; ' ` +
        `FROM sys.foreign_keys AS fk ` +
        `WHERE fk.referenced_object_id = OBJECT_ID(N'submissions') ` +
        `AND OBJECT_NAME(fk.parent_object_id) IN (${ITEM_TABLES.map((t) => `N'${t}'`).join(', ')}); ` +
        `EXEC sp_executesql @drop;`,
      { transaction },
    );
  }
}

const SQLITE_KEY = '`submission_id` INTEGER NOT NULL REFERENCES `submissions` (`id`)';

async function rebuildSqliteTable(sequelize: MigrationContext['sequelize'], table: string) {
  const [created] = await sequelize.query<{ sql: string }>(
    `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '${table}'`,
    { type: QueryTypes.SELECT },
  );
  const head = `CREATE TABLE \`${table}\` (`;
  if (!created?.sql.startsWith(head) || created.sql.split(SQLITE_KEY).length !== 2) {
    throw new Error(`${table}: unexpected table definition, submission_id key not found`);
  }
  const indexes = await sequelize.query<{ sql: string }>(
    `SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '${table}' AND sql IS NOT NULL`,
    { type: QueryTypes.SELECT },
  );
  const copy = `${table}_0005`;
  const definition = created.sql
    .replace(SQLITE_KEY, '`submission_id` INTEGER NOT NULL')
    .replace(head, `CREATE TABLE \`${copy}\` (`);
  await sequelize.query(definition);
  await sequelize.query(`INSERT INTO \`${copy}\` SELECT * FROM \`${table}\``);
  await sequelize.query(`DROP TABLE \`${table}\``);
  await sequelize.query(`ALTER TABLE \`${copy}\` RENAME TO \`${table}\``);
  for (const index of indexes) await sequelize.query(index.sql);
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { sequelize, transaction } = context;
  const dialect = sequelize.getDialect();
  // SQLite: the key is not put back (the table would be made again once more); it guarded
  // nothing the record key does not.
  if (dialect !== 'postgres' && dialect !== 'mssql') return;
  for (const table of ITEM_TABLES) {
    const q = (name: string) => (dialect === 'mssql' ? `[${name}]` : `"${name}"`);
    await sequelize.query(
      `ALTER TABLE ${q(table)} ADD FOREIGN KEY (${q('submission_id')}) REFERENCES ${q('submissions')} (${q('id')})`,
      { transaction },
    );
  }
}

export const itemSubmissionKeys: Migration = { name: '0005-item-submission-keys', up, down };
