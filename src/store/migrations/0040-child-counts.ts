/**
 * Child counts (DESIGN.md section 8; src/reports/child-count): one stored count per state and
 * performance period, the children behind it, and the lists states upload to reconcile.
 *
 * - `child_counts`: the current count of a state for a period. `computed` rows are replaced by
 *   every refresh (the nightly job); `frozen` and `certified` rows never change again, so a later
 *   upload cannot move a number the state has submitted.
 * - `child_count_members`: one row per counted child and category. A snapshot: no foreign key to
 *   children or student_records, because a frozen count must survive a later merge or delete.
 *   Flags are INTEGER 0/1 so that SUM() aggregates them alike on every dialect.
 * - `child_count_lists` / `child_count_list_ids`: a state's own list of the state student IDs it
 *   counts, per category, as uploaded for reconciliation.
 *
 * Also the indexes the count query needs beyond those of 0001/0002: enrollments by graduation
 * date (the graduation cut reads only the few enrollments that carry one) and student records by
 * state and child (the per-state pass and the linked-record lookups of reconciliation).
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
const flag = (): ModelAttributeColumnOptions => ({ type: DataTypes.INTEGER, allowNull: false });

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;

  await qi.createTable(
    'child_counts',
    {
      id: id(),
      state_code: {
        type: DataTypes.CHAR(2),
        allowNull: false,
        references: { model: 'states', key: 'code' },
      },
      // `2024-25`: September 1, 2024 through August 31, 2025.
      period: { type: DataTypes.CHAR(7), allowNull: false },
      // computed | frozen | certified (checked in code: no ENUM).
      status: { type: DataTypes.STRING(10), allowNull: false },
      // The last day of the period that was counted: the period's end, or the "as of" date.
      counted_through: { type: DataTypes.DATEONLY, allowNull: false },
      category1: { type: DataTypes.INTEGER, allowNull: false },
      category2: { type: DataTypes.INTEGER, allowNull: false },
      // JSON breakdowns per category; TEXT because SQL Server 2019 has no JSON type.
      breakdowns: { type: DataTypes.TEXT, allowNull: false },
      computed_at: { type: DataTypes.DATE, allowNull: false },
      frozen_at: { type: DataTypes.DATE, allowNull: true },
      frozen_by: { type: DataTypes.STRING(255), allowNull: true },
      certified_at: { type: DataTypes.DATE, allowNull: true },
      certified_by: { type: DataTypes.STRING(255), allowNull: true },
    },
    { transaction },
  );
  // One current count per state and period: refreshes and freezes race on this, not on a lookup.
  await qi.addIndex('child_counts', {
    name: 'child_counts_state_period_uq',
    unique: true,
    fields: ['state_code', 'period'],
    transaction,
  });

  await qi.createTable(
    'child_count_members',
    {
      id: id(),
      child_count_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'child_counts', key: 'id' },
        onDelete: 'CASCADE',
      },
      category: { type: DataTypes.INTEGER, allowNull: false },
      child_id: { type: DataTypes.CHAR(12), allowNull: false },
      // The record of the enrollment the child's grade is taken from (see count-sql.ts).
      student_record_id: { type: DataTypes.INTEGER, allowNull: false },
      state_student_id: { type: DataTypes.STRING(15), allowNull: false },
      grade: { type: DataTypes.STRING(2), allowNull: false },
      priority_for_services: flag(),
      english_learner: flag(),
      iep: flag(),
      qad_in_period: flag(),
      first_day: { type: DataTypes.DATEONLY, allowNull: false },
      last_day: { type: DataTypes.DATEONLY, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('child_count_members', {
    name: 'child_count_members_count_child_uq',
    unique: true,
    fields: ['child_count_id', 'category', 'child_id'],
    transaction,
  });
  await qi.addIndex('child_count_members', {
    name: 'child_count_members_count_student_idx',
    fields: ['child_count_id', 'state_student_id'],
    transaction,
  });

  await qi.createTable(
    'child_count_lists',
    {
      id: id(),
      state_code: {
        type: DataTypes.CHAR(2),
        allowNull: false,
        references: { model: 'states', key: 'code' },
      },
      period: { type: DataTypes.CHAR(7), allowNull: false },
      uploaded_at: { type: DataTypes.DATE, allowNull: false },
      uploaded_by: { type: DataTypes.STRING(255), allowNull: false },
      id_count: { type: DataTypes.INTEGER, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('child_count_lists', {
    name: 'child_count_lists_state_period_idx',
    fields: ['state_code', 'period', 'uploaded_at'],
    transaction,
  });

  await qi.createTable(
    'child_count_list_ids',
    {
      id: id(),
      list_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'child_count_lists', key: 'id' },
        onDelete: 'CASCADE',
      },
      category: { type: DataTypes.INTEGER, allowNull: false },
      state_student_id: { type: DataTypes.STRING(15), allowNull: false },
      // Where the ID was in the upload (CSV line or JSON array index), for the report.
      source_row: { type: DataTypes.INTEGER, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('child_count_list_ids', {
    name: 'child_count_list_ids_list_idx',
    fields: ['list_id', 'category', 'state_student_id'],
    transaction,
  });

  await qi.addIndex('enrollments', {
    name: 'enrollments_graduation_idx',
    fields: ['graduation_date', 'student_record_id'],
    transaction,
  });
  await qi.addIndex('student_records', {
    name: 'student_records_state_child_idx',
    fields: ['state_code', 'child_id'],
    transaction,
  });
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  await qi.removeIndex('student_records', 'student_records_state_child_idx', { transaction });
  await qi.removeIndex('enrollments', 'enrollments_graduation_idx', { transaction });
  for (const table of [
    'child_count_list_ids',
    'child_count_lists',
    'child_count_members',
    'child_counts',
  ]) {
    await qi.dropTable(table, { transaction });
  }
}

export const childCounts: Migration = { name: '0040-child-counts', up, down };
