/**
 * Blocking keys in their second form (src/linkage/blocking.ts): the birth-date key carries a
 * phonetic name code and the first-name key a birth year, so blocks no longer grow with the
 * whole store. Keys of the first form would never meet the new ones, so every stored record's
 * keys are made again here, a page of 2,000 records at a time, with the app's own key function.
 * No table changes. Down leaves the keys as they are: the relink job rebuilds keys in whatever
 * form the code running it uses.
 */
import { QueryTypes } from 'sequelize';
import { blockingKeys } from '../../linkage/blocking.js';
import { linkagePerson } from '../../linkage/person.js';
import type { LinkageFields } from '../../linkage/person.js';
import { linkageColumns } from '../repositories/linkage.js';
import type { Migration, MigrationContext } from './context.js';

const PAGE = 2000;
/** Rows per INSERT: SQL Server takes at most 1,000 rows in one VALUES list. */
const INSERT_ROWS = 500;

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, sequelize, transaction } = context;
  const mssql = sequelize.getDialect() === 'mssql';
  for (let after = 0; ;) {
    const page = mssql
      ? `ORDER BY r.id OFFSET 0 ROWS FETCH NEXT ${PAGE} ROWS ONLY`
      : `ORDER BY r.id LIMIT ${PAGE}`;
    const rows = await sequelize.query<Record<string, unknown> & { id: number; state: string }>(
      `SELECT r.id AS id, r.state_code AS state, ${linkageColumns}
       FROM student_records r WHERE r.id > ${after} ${page}`,
      { type: QueryTypes.SELECT, transaction },
    );
    if (!Array.isArray(rows) || rows.length === 0) return;
    const ids = rows.map((r) => Math.trunc(Number(r.id)));
    await sequelize.query(
      `DELETE FROM linkage_keys WHERE student_record_id IN (${ids.join(', ')})`,
      { transaction },
    );
    const keys = rows.flatMap((row) =>
      blockingKeys(linkagePerson(row as unknown as LinkageFields)).map((key) => ({
        student_record_id: Math.trunc(Number(row.id)),
        state_code: String(row.state).trim(),
        block_key: key,
      })),
    );
    for (let i = 0; i < keys.length; i += INSERT_ROWS) {
      await qi.bulkInsert('linkage_keys', keys.slice(i, i + INSERT_ROWS), { transaction });
    }
    after = Math.max(...ids);
  }
}

async function down(): Promise<void> {
  // Nothing to undo in the schema; see above.
}

export const linkageKeysRebuild: Migration = { name: '0021-linkage-keys-rebuild', up, down };
