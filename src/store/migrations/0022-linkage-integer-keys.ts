/**
 * Blocking keys as integers (src/linkage/blocking.ts): `block_key` becomes a BIGINT, about half
 * the index size of the text keys, and a record's key rows are identified by the record and the
 * key (no serial id: one index fewer to write per key row). Keys of the text form cannot be
 * converted, so the table is made again and every stored record's keys computed with the app's
 * own key function, a page of 5,000 records at a time; the key index is built after the rows.
 * Down makes the table of 0020 again, empty: the relink job of that version rebuilds its keys.
 */
import { DataTypes, QueryTypes } from 'sequelize';
import { blockingKeys } from '../../linkage/blocking.js';
import { linkagePerson } from '../../linkage/person.js';
import type { LinkageFields } from '../../linkage/person.js';
import { linkageColumns } from '../repositories/linkage.js';
import type { Migration, MigrationContext } from './context.js';

const PAGE = 5000;

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, sequelize, transaction } = context;
  const mssql = sequelize.getDialect() === 'mssql';
  // SQL Server takes at most 1,000 rows in one VALUES list.
  const insertRows = sequelize.getDialect() === 'postgres' ? 5000 : 500;
  await qi.dropTable('linkage_keys', { transaction });
  await qi.createTable(
    'linkage_keys',
    {
      student_record_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
      // An integer below 2^53: kind, a hash of the name part, year and days (blocking.ts).
      block_key: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
      // The record's state, so a look-up keeps only records of other states.
      state_code: { type: DataTypes.CHAR(2), allowNull: false },
    },
    { transaction },
  );
  for (let after = 0; ;) {
    const page = mssql
      ? `ORDER BY r.id OFFSET 0 ROWS FETCH NEXT ${PAGE} ROWS ONLY`
      : `ORDER BY r.id LIMIT ${PAGE}`;
    const rows = await sequelize.query<Record<string, unknown> & { id: number; state: string }>(
      `SELECT r.id AS id, r.state_code AS state, ${linkageColumns}
       FROM student_records r WHERE r.id > ${after} ${page}`,
      { type: QueryTypes.SELECT, transaction },
    );
    if (!Array.isArray(rows) || rows.length === 0) break;
    const keys = rows.flatMap((row) =>
      blockingKeys(linkagePerson(row as unknown as LinkageFields)).map((key) => ({
        student_record_id: Math.trunc(Number(row.id)),
        block_key: key,
        state_code: String(row.state).trim(),
      })),
    );
    for (let i = 0; i < keys.length; i += insertRows) {
      await qi.bulkInsert('linkage_keys', keys.slice(i, i + insertRows), { transaction });
    }
    after = Math.max(...rows.map((r) => Math.trunc(Number(r.id))));
  }
  // Look-ups by key, of other states, answered from the index alone.
  await qi.addIndex('linkage_keys', {
    name: 'linkage_keys_key_idx',
    fields: ['block_key', 'state_code', 'student_record_id'],
    transaction,
  });
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  await qi.dropTable('linkage_keys', { transaction });
  await qi.createTable(
    'linkage_keys',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      student_record_id: { type: DataTypes.INTEGER, allowNull: false },
      state_code: { type: DataTypes.CHAR(2), allowNull: false },
      block_key: { type: DataTypes.STRING(64), allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('linkage_keys', {
    name: 'linkage_keys_key_idx',
    fields: ['block_key', 'state_code', 'student_record_id'],
    transaction,
  });
  await qi.addIndex('linkage_keys', {
    name: 'linkage_keys_record_idx',
    fields: ['student_record_id'],
    transaction,
  });
}

export const linkageIntegerKeys: Migration = { name: '0022-linkage-integer-keys', up, down };
