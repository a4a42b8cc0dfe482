/**
 * Moves (DESIGN.md section 7): moves detected from the states' data, and move notices sent by
 * users (MSIX "notify"), which become leads for the receiving state's recruiters.
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
const child = (): ModelAttributeColumnOptions => ({
  type: DataTypes.CHAR(12),
  allowNull: false,
  references: { model: 'children', key: 'child_id' },
});

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  await qi.createTable(
    'moves',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      // child, from, to and date: the same move found again adds nothing.
      dedupe_key: required(DataTypes.STRING(200)),
      child_id: child(),
      // detected | notice-enrolled
      kind: required(DataTypes.STRING(20)),
      from_state: optional(DataTypes.CHAR(2)),
      from_district: optional(DataTypes.STRING(7)),
      to_state: required(DataTypes.CHAR(2)),
      to_district: optional(DataTypes.STRING(7)),
      moved_on: required(DataTypes.DATEONLY),
      detected_at: required(DataTypes.DATE),
      // The state told of the move, whose 4-working-day clock starts (34 CFR 200.85).
      notified_state: optional(DataTypes.CHAR(2)),
      source_submission_id: optional(DataTypes.INTEGER),
    },
    { transaction },
  );
  await qi.addIndex('moves', {
    name: 'moves_dedupe_uq',
    unique: true,
    fields: ['dedupe_key'],
    transaction,
  });
  await qi.addIndex('moves', {
    name: 'moves_notified_idx',
    fields: ['notified_state', 'detected_at'],
    transaction,
  });
  await qi.addIndex('moves', { name: 'moves_child_idx', fields: ['child_id'], transaction });
  await qi.createTable(
    'move_notices',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      child_id: child(),
      from_state: {
        type: DataTypes.CHAR(2),
        allowNull: false,
        references: { model: 'states', key: 'code' },
      },
      to_state: {
        type: DataTypes.CHAR(2),
        allowNull: false,
        references: { model: 'states', key: 'code' },
      },
      to_city: optional(DataTypes.STRING(255)),
      departure_date: required(DataTypes.DATEONLY),
      forwarding_address: optional(DataTypes.STRING(1000)),
      comment: optional(DataTypes.STRING(2000)),
      created_by: required(DataTypes.STRING(255)),
      created_at: required(DataTypes.DATE),
      // open | enrolled
      status: required(DataTypes.STRING(10)),
      enrolled_at: optional(DataTypes.DATE),
    },
    { transaction },
  );
  await qi.addIndex('move_notices', {
    name: 'move_notices_to_state_idx',
    fields: ['to_state', 'status', 'created_at'],
    transaction,
  });
  await qi.addIndex('move_notices', {
    name: 'move_notices_child_idx',
    fields: ['child_id'],
    transaction,
  });
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  for (const table of ['move_notices', 'moves']) await qi.dropTable(table, { transaction });
}

export const moves: Migration = { name: '0032-moves', up, down };
