/**
 * Continuum's own OpenID provider: what oidc-provider stores (sessions, grants, codes, tokens) in
 * one table keyed by model and id, so tokens survive restarts and work across instances; and its
 * signing keys, newest first, kept after rotation so tokens signed before still verify.
 */
import { DataTypes } from 'sequelize';
import type { Migration, MigrationContext } from './context.js';

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  await qi.createTable(
    'oidc_provider_rows',
    {
      // `${model}:${id}`; ids are at most a few dozen characters.
      row_key: { type: DataTypes.STRING(400), primaryKey: true, allowNull: false },
      model: { type: DataTypes.STRING(40), allowNull: false },
      // JSON text; SQL Server 2019 has no JSON type.
      payload: { type: DataTypes.TEXT, allowNull: false },
      grant_id: { type: DataTypes.STRING(255), allowNull: true },
      user_code: { type: DataTypes.STRING(255), allowNull: true },
      uid: { type: DataTypes.STRING(255), allowNull: true },
      expires_at: { type: DataTypes.DATE, allowNull: true },
      consumed_at: { type: DataTypes.DATE, allowNull: true },
    },
    { transaction },
  );
  for (const field of ['grant_id', 'user_code', 'uid', 'expires_at']) {
    await qi.addIndex('oidc_provider_rows', {
      name: `oidc_provider_rows_${field}_idx`,
      fields: field === 'expires_at' ? [field] : ['model', field],
      transaction,
    });
  }
  await qi.createTable(
    'oidc_signing_keys',
    {
      kid: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      // Private JWK, JSON text.
      jwk: { type: DataTypes.TEXT, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  await qi.dropTable('oidc_signing_keys', { transaction });
  await qi.dropTable('oidc_provider_rows', { transaction });
}

export const oidcProvider: Migration = { name: '0011-oidc-provider', up, down };
