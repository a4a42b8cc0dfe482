/**
 * Record linkage (DESIGN.md section 6): blocking keys, the explanation of every link, near-match
 * and merge/split worklist items, locks on children while a change waits for validation, the
 * history of every merge, split and revert, and the estimated m/u weights.
 * Portability rules: see 0001-initial.ts (no JSON, no ENUM, no index on TEXT, no cascades here).
 */
import { DataTypes } from 'sequelize';
import type { ModelAttributeColumnOptions } from 'sequelize';
import type { Migration, MigrationContext } from './context.js';

const id = (): ModelAttributeColumnOptions => ({
  type: DataTypes.INTEGER,
  primaryKey: true,
  autoIncrement: true,
  allowNull: false,
});

const childRef = (allowNull: boolean): ModelAttributeColumnOptions => ({
  type: DataTypes.CHAR(12),
  allowNull,
  references: { model: 'children', key: 'child_id' },
});

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;

  // Linking deletes the child a new record was given when it joins a stored one: every delete
  // checks the foreign keys that point at children, so each needs an index (no scan per row).
  await qi.addIndex('children', {
    name: 'children_merged_into_idx',
    fields: ['merged_into'],
    transaction,
  });

  await qi.createTable(
    'linkage_keys',
    {
      id: id(),
      // No foreign key: keys are rewritten with their record, and deleted with it in code.
      student_record_id: { type: DataTypes.INTEGER, allowNull: false },
      // The record's state, so a self-join can keep only pairs from two different states.
      state_code: { type: DataTypes.CHAR(2), allowNull: false },
      // `b:2014-03-07`, `s:KRS:2014:03-07`, `f:GUADALUPE:0307` (src/linkage/blocking.ts).
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

  await qi.createTable(
    'record_links',
    {
      id: id(),
      // One explanation per record: why it is linked to its child now.
      student_record_id: { type: DataTypes.INTEGER, allowNull: false },
      child_id: childRef(false),
      // auto (scored above the upper threshold) | admin (a validated merge or near-match)
      method: { type: DataTypes.STRING(8), allowNull: false },
      score: { type: DataTypes.FLOAT, allowNull: true },
      // The stored record it was compared with.
      matched_record_id: { type: DataTypes.INTEGER, allowNull: true },
      // JSON array of {field, level, weight, m, u}; TEXT because SQL Server 2019 has no JSON.
      contributions: { type: DataTypes.TEXT, allowNull: true },
      linked_by: { type: DataTypes.STRING(255), allowNull: true },
      linked_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('record_links', {
    name: 'record_links_record_uq',
    unique: true,
    fields: ['student_record_id'],
    transaction,
  });
  await qi.addIndex('record_links', {
    name: 'record_links_child_idx',
    fields: ['child_id'],
    transaction,
  });

  await qi.createTable(
    'worklist_items',
    {
      id: id(),
      // near-match | merge | split
      kind: { type: DataTypes.STRING(12), allowNull: false },
      // open | pending (waits for a second administrator) | approved | rejected | different
      status: { type: DataTypes.STRING(12), allowNull: false },
      // Assignment: the state, then district, region or state level (by the latest enrollment).
      state_code: {
        type: DataTypes.CHAR(2),
        allowNull: false,
        references: { model: 'states', key: 'code' },
      },
      level: { type: DataTypes.STRING(8), allowNull: false },
      district: { type: DataTypes.STRING(7), allowNull: true },
      region: { type: DataTypes.STRING(64), allowNull: true },
      assigned_at: { type: DataTypes.DATE, allowNull: false },
      escalates_at: { type: DataTypes.DATE, allowNull: false },
      // near-match: the new record (and the child it was given) against the candidate child.
      student_record_id: { type: DataTypes.INTEGER, allowNull: true },
      child_id: childRef(true),
      candidate_child_id: { type: DataTypes.CHAR(12), allowNull: true },
      score: { type: DataTypes.FLOAT, allowNull: true },
      contributions: { type: DataTypes.TEXT, allowNull: true },
      // merge: the child whose id survives; split: the child that keeps its id.
      master_child_id: { type: DataTypes.CHAR(12), allowNull: true },
      // JSON: {childIds} of a merge, {studentRecordIds} split off.
      detail: { type: DataTypes.TEXT, allowNull: true },
      started_by: { type: DataTypes.STRING(255), allowNull: true },
      started_at: { type: DataTypes.DATE, allowNull: true },
      validated_by: { type: DataTypes.STRING(255), allowNull: true },
      validated_at: { type: DataTypes.DATE, allowNull: true },
      change_id: { type: DataTypes.INTEGER, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('worklist_items', {
    name: 'worklist_items_state_status_idx',
    fields: ['state_code', 'status', 'level'],
    transaction,
  });
  await qi.addIndex('worklist_items', {
    name: 'worklist_items_escalates_idx',
    fields: ['status', 'escalates_at'],
    transaction,
  });
  await qi.addIndex('worklist_items', {
    name: 'worklist_items_child_idx',
    fields: ['child_id'],
    transaction,
  });
  await qi.addIndex('worklist_items', {
    name: 'worklist_items_record_idx',
    fields: ['student_record_id'],
    transaction,
  });

  await qi.createTable(
    'child_locks',
    {
      child_id: { ...childRef(false), primaryKey: true },
      worklist_item_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'worklist_items', key: 'id' },
      },
      locked_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );

  await qi.createTable(
    'linkage_changes',
    {
      id: id(),
      worklist_item_id: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'worklist_items', key: 'id' },
      },
      // merge | split | relink | revert
      action: { type: DataTypes.STRING(8), allowNull: false },
      actor: { type: DataTypes.STRING(255), allowNull: false },
      occurred_at: { type: DataTypes.DATE, allowNull: false },
      // JSON {records: {recordId: childId}, children: {childId: {status, mergedInto}}}.
      before_state: { type: DataTypes.TEXT, allowNull: false },
      after_state: { type: DataTypes.TEXT, allowNull: false },
      reverted_at: { type: DataTypes.DATE, allowNull: true },
      reverted_by: { type: DataTypes.STRING(255), allowNull: true },
    },
    { transaction },
  );
  await qi.addIndex('linkage_changes', {
    name: 'linkage_changes_item_idx',
    fields: ['worklist_item_id'],
    transaction,
  });

  await qi.createTable(
    'linkage_weights',
    {
      field: { type: DataTypes.STRING(16), primaryKey: true, allowNull: false },
      level: { type: DataTypes.STRING(16), primaryKey: true, allowNull: false },
      m: { type: DataTypes.FLOAT, allowNull: false },
      u: { type: DataTypes.FLOAT, allowNull: false },
      pairs: { type: DataTypes.INTEGER, allowNull: false },
      estimated_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  for (const table of [
    'linkage_weights',
    'linkage_changes',
    'child_locks',
    'worklist_items',
    'record_links',
    'linkage_keys',
  ]) {
    await qi.dropTable(table, { transaction });
  }
  await qi.removeIndex('children', 'children_merged_into_idx', { transaction });
}

export const linkage: Migration = { name: '0020-linkage', up, down };
