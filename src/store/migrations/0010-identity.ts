/**
 * Identity: accounts tied to (state, IdP subject), the record of every access grant (kept 3 years
 * after an account ends, 34 CFR 200.85), browser sessions shared by every instance, and the SAML
 * request and assertion ids that make InResponseTo and replay checks work across instances.
 */
import { DataTypes } from 'sequelize';
import type { Migration, MigrationContext } from './context.js';

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  await qi.createTable(
    'accounts',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      state_code: {
        type: DataTypes.CHAR(2),
        allowNull: false,
        references: { model: 'states', key: 'code' },
      },
      // SAML NameID or OIDC `sub`, as the state's IdP asserts it.
      idp_subject: { type: DataTypes.STRING(255), allowNull: false },
      // pending | active | disabled
      status: { type: DataTypes.STRING(20), allowNull: false },
      email: { type: DataTypes.STRING(320), allowNull: true },
      first_name: { type: DataTypes.STRING(100), allowNull: true },
      last_name: { type: DataTypes.STRING(100), allowNull: true },
      district: { type: DataTypes.STRING(20), allowNull: true },
      // JSON arrays of role names; TEXT because SQL Server 2019 has no JSON type.
      idp_roles: { type: DataTypes.TEXT, allowNull: false },
      granted_roles: { type: DataTypes.TEXT, allowNull: false },
      last_sign_in_at: { type: DataTypes.DATE, allowNull: true },
      disabled_at: { type: DataTypes.DATE, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('accounts', {
    name: 'accounts_state_subject_uq',
    unique: true,
    fields: ['state_code', 'idp_subject'],
    transaction,
  });

  await qi.createTable(
    'access_grants',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
      account_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'accounts', key: 'id' },
      },
      role: { type: DataTypes.STRING(40), allowNull: false },
      // idp | administrator
      source: { type: DataTypes.STRING(20), allowNull: false },
      granted_by: { type: DataTypes.STRING(255), allowNull: false },
      granted_at: { type: DataTypes.DATE, allowNull: false },
      revoked_by: { type: DataTypes.STRING(255), allowNull: true },
      revoked_at: { type: DataTypes.DATE, allowNull: true },
      // Set when the account ends: 3 years on (34 CFR 200.85 record retention).
      retain_until: { type: DataTypes.DATE, allowNull: true },
    },
    { transaction },
  );
  await qi.addIndex('access_grants', {
    name: 'access_grants_account_idx',
    fields: ['account_id', 'granted_at'],
    transaction,
  });

  await qi.createTable(
    'web_sessions',
    {
      sid: { type: DataTypes.STRING(128), primaryKey: true, allowNull: false },
      account_id: { type: DataTypes.INTEGER, allowNull: true },
      data: { type: DataTypes.TEXT, allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('web_sessions', {
    name: 'web_sessions_account_idx',
    fields: ['account_id'],
    transaction,
  });
  await qi.addIndex('web_sessions', {
    name: 'web_sessions_expires_idx',
    fields: ['expires_at'],
    transaction,
  });

  // AuthnRequest ids we sent and not yet answered: InResponseTo must name one (always).
  await qi.createTable(
    'saml_request_ids',
    {
      request_id: { type: DataTypes.STRING(128), primaryKey: true, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
  // Assertions already consumed, by SHA-256 of issuer and assertion ID, until they expire.
  await qi.createTable(
    'saml_assertion_ids',
    {
      assertion_sha256: { type: DataTypes.CHAR(64), primaryKey: true, allowNull: false },
      state_code: { type: DataTypes.CHAR(2), allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  for (const table of [
    'saml_assertion_ids',
    'saml_request_ids',
    'web_sessions',
    'access_grants',
    'accounts',
  ]) {
    await qi.dropTable(table, { transaction });
  }
}

export const identity: Migration = { name: '0010-identity', up, down };
