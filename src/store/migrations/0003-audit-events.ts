/**
 * Who read or changed what, when, and with what outcome. Reads of a child's record are logged as
 * well as changes: FERPA (34 CFR 99.32) asks for a record of each disclosure.
 */
import { DataTypes } from 'sequelize';
import type { Migration, MigrationContext } from './context.js';

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  await qi.createTable(
    'audit_events',
    {
      // BIGINT: one row per read adds up. SQLite turns an INT primary key into its ROWID alias.
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
      occurred_at: { type: DataTypes.DATE, allowNull: false },
      // A user id or an OAuth client id.
      actor: { type: DataTypes.STRING(255), allowNull: false },
      actor_state: { type: DataTypes.STRING(2), allowNull: true },
      // e.g. student-record.read, child.merge.validate
      action: { type: DataTypes.STRING(100), allowNull: false },
      subject_type: { type: DataTypes.STRING(50), allowNull: true },
      subject_id: { type: DataTypes.STRING(64), allowNull: true },
      // success | denied | failure
      outcome: { type: DataTypes.STRING(20), allowNull: false },
      request_id: { type: DataTypes.STRING(100), allowNull: true },
      // 45 characters hold any IPv6 text form, including an embedded IPv4 address.
      ip: { type: DataTypes.STRING(45), allowNull: true },
      // JSON object; TEXT because SQL Server 2019 has no JSON type.
      detail: { type: DataTypes.TEXT, allowNull: true },
    },
    { transaction },
  );
  await qi.addIndex('audit_events', {
    name: 'audit_events_subject_idx',
    fields: ['subject_type', 'subject_id'],
    transaction,
  });
  await qi.addIndex('audit_events', {
    name: 'audit_events_occurred_idx',
    fields: ['occurred_at'],
    transaction,
  });
  await qi.addIndex('audit_events', {
    name: 'audit_events_actor_idx',
    fields: ['actor', 'occurred_at'],
    transaction,
  });
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  await context.queryInterface.dropTable('audit_events', { transaction: context.transaction });
}

export const auditEvents: Migration = { name: '0003-audit-events', up, down };
