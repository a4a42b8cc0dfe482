/**
 * Notifications (DESIGN.md section 7): subscriptions of partner agencies and states (webhook or
 * e-mail, with rotatable signing secrets), the outbox written in the same transaction as the
 * change an event reports, and one delivery row per event and subscriber (retries, dead letter).
 */
import { DataTypes } from 'sequelize';
import type { ModelAttributeColumnOptions } from 'sequelize';
import type { Migration, MigrationContext } from './context.js';

const optional = (type: ModelAttributeColumnOptions['type']): ModelAttributeColumnOptions => ({
  type,
  allowNull: true,
});
const required = (type: ModelAttributeColumnOptions['type']): ModelAttributeColumnOptions => ({
  type,
  allowNull: false,
});

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  await qi.createTable(
    'notification_subscriptions',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      name: required(DataTypes.STRING(200)),
      // The state whose administrator registered it and manages it.
      owner_state: {
        type: DataTypes.CHAR(2),
        allowNull: false,
        references: { model: 'states', key: 'code' },
      },
      // school | state | partner: decides which fields the payload carries.
      audience: required(DataTypes.STRING(10)),
      // webhook | email
      channel: required(DataTypes.STRING(10)),
      url: optional(DataTypes.STRING(2000)),
      email: optional(DataTypes.STRING(320)),
      // Interest: null means any. An event matches when its from- or to-side matches.
      state_code: optional(DataTypes.CHAR(2)),
      region: optional(DataTypes.STRING(40)),
      district_id: optional(DataTypes.STRING(7)),
      // Comma-separated event types; null means every type.
      event_types: optional(DataTypes.STRING(500)),
      // active | disabled
      status: required(DataTypes.STRING(10)),
      created_at: required(DataTypes.DATE),
      updated_at: required(DataTypes.DATE),
    },
    { transaction },
  );
  await qi.createTable(
    'notification_secrets',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      subscription_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'notification_subscriptions', key: 'id' },
        onDelete: 'CASCADE',
      },
      // whsec_<base64>; kept readable because every delivery is signed with it.
      secret: required(DataTypes.STRING(200)),
      created_at: required(DataTypes.DATE),
      // Set on rotation: the old secret also signs until then, so receivers can switch over.
      retires_at: optional(DataTypes.DATE),
    },
    { transaction },
  );
  await qi.addIndex('notification_secrets', {
    name: 'notification_secrets_subscription_idx',
    fields: ['subscription_id'],
    transaction,
  });
  await qi.createTable(
    'notification_outbox',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
      // The webhook-id receivers deduplicate by (Standard Webhooks).
      event_id: required(DataTypes.STRING(64)),
      event_type: required(DataTypes.STRING(60)),
      // What makes the event unique, so a re-run of the job that raised it adds nothing.
      dedupe_key: required(DataTypes.STRING(200)),
      child_id: optional(DataTypes.CHAR(12)),
      from_state: optional(DataTypes.CHAR(2)),
      from_district: optional(DataTypes.STRING(7)),
      from_region: optional(DataTypes.STRING(40)),
      to_state: optional(DataTypes.CHAR(2)),
      to_district: optional(DataTypes.STRING(7)),
      to_region: optional(DataTypes.STRING(40)),
      // JSON object; TEXT because SQL Server 2019 has no JSON type.
      payload: required(DataTypes.TEXT),
      occurred_at: required(DataTypes.DATE),
      // Null until delivery rows exist for every matching subscription.
      fanned_out_at: optional(DataTypes.DATE),
    },
    { transaction },
  );
  await qi.addIndex('notification_outbox', {
    name: 'notification_outbox_event_uq',
    unique: true,
    fields: ['event_id'],
    transaction,
  });
  await qi.addIndex('notification_outbox', {
    name: 'notification_outbox_dedupe_uq',
    unique: true,
    fields: ['dedupe_key'],
    transaction,
  });
  await qi.addIndex('notification_outbox', {
    name: 'notification_outbox_fanned_idx',
    fields: ['fanned_out_at', 'id'],
    transaction,
  });
  await qi.createTable(
    'notification_deliveries',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
      outbox_id: {
        type: DataTypes.BIGINT,
        allowNull: false,
        references: { model: 'notification_outbox', key: 'id' },
        onDelete: 'CASCADE',
      },
      // No cascade: a subscription with deliveries is disabled, not deleted.
      subscription_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'notification_subscriptions', key: 'id' },
      },
      // pending | delivered | dead
      status: required(DataTypes.STRING(10)),
      attempts: required(DataTypes.INTEGER),
      next_attempt_at: required(DataTypes.DATE),
      // Set by the instance that claimed the row for one attempt, until claimed_until.
      claim_token: optional(DataTypes.STRING(64)),
      claimed_until: optional(DataTypes.DATE),
      last_status: optional(DataTypes.INTEGER),
      last_error: optional(DataTypes.STRING(1000)),
      delivered_at: optional(DataTypes.DATE),
      created_at: required(DataTypes.DATE),
      updated_at: required(DataTypes.DATE),
    },
    { transaction },
  );
  await qi.addIndex('notification_deliveries', {
    name: 'notification_deliveries_event_sub_uq',
    unique: true,
    fields: ['outbox_id', 'subscription_id'],
    transaction,
  });
  await qi.addIndex('notification_deliveries', {
    name: 'notification_deliveries_due_idx',
    fields: ['status', 'next_attempt_at'],
    transaction,
  });
  await qi.addIndex('notification_deliveries', {
    name: 'notification_deliveries_sub_idx',
    fields: ['subscription_id', 'status'],
    transaction,
  });
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  for (const table of [
    'notification_deliveries',
    'notification_outbox',
    'notification_secrets',
    'notification_subscriptions',
  ]) {
    await qi.dropTable(table, { transaction });
  }
}

export const notifications: Migration = { name: '0031-notifications', up, down };
