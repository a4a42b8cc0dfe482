/**
 * The previous values of a student record, kept each time a newer submission replaces or deletes
 * it (DESIGN.md section 6: "every change is reversible history"). One row per replaced record:
 * the whole previous exchange document as JSON text (TEXT, because SQL Server 2019 has no JSON
 * type), which submission wrote it and which one replaced it.
 *
 * `student_record_id` has no foreign key: a deleted record's history outlives the record, so the
 * state and its student ID are kept beside it to find that history again.
 */
import { DataTypes } from 'sequelize';
import type { Migration, MigrationContext } from './context.js';

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  await qi.createTable(
    'student_record_history',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      student_record_id: { type: DataTypes.INTEGER, allowNull: false },
      state_code: {
        type: DataTypes.CHAR(2),
        allowNull: false,
        references: { model: 'states', key: 'code' },
      },
      state_student_id: { type: DataTypes.STRING(15), allowNull: false },
      // update | delete (checked in code: no ENUM).
      action: { type: DataTypes.STRING(8), allowNull: false },
      // No cascades: SQL Server refuses two cascade paths from submissions to one table.
      replaced_by_submission_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'submissions', key: 'id' },
      },
      previous_submission_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'submissions', key: 'id' },
      },
      previous_document: { type: DataTypes.TEXT, allowNull: false },
      replaced_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('student_record_history', {
    name: 'student_record_history_record_idx',
    fields: ['student_record_id', 'replaced_at'],
    transaction,
  });
  await qi.addIndex('student_record_history', {
    name: 'student_record_history_student_idx',
    fields: ['state_code', 'state_student_id'],
    transaction,
  });
  await qi.addIndex('student_record_history', {
    name: 'student_record_history_submission_idx',
    fields: ['replaced_by_submission_id'],
    transaction,
  });
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  await context.queryInterface.dropTable('student_record_history', {
    transaction: context.transaction,
  });
}

export const studentRecordHistory: Migration = { name: '0004-student-record-history', up, down };
