/** Previous values of student records that a newer submission replaced or deleted. */
import { DataTypes } from 'sequelize';
import type { Model, ModelAttributes, ModelStatic, Optional, Sequelize } from 'sequelize';

export const historyActions = ['update', 'delete'] as const;
export type HistoryAction = (typeof historyActions)[number];

export interface StudentRecordHistoryRow {
  id: number;
  studentRecordId: number;
  stateCode: string;
  stateStudentId: string;
  action: HistoryAction;
  replacedBySubmissionId: number;
  previousSubmissionId: number;
  /** The whole previous exchange document, as JSON text. */
  previousDocument: string;
  replacedAt: Date;
}
export type StudentRecordHistoryModel = ModelStatic<
  Model<StudentRecordHistoryRow, Optional<StudentRecordHistoryRow, 'id'>>
>;

export function defineStudentRecordHistoryModel(sequelize: Sequelize): StudentRecordHistoryModel {
  return sequelize.define(
    'StudentRecordHistory',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      studentRecordId: { type: DataTypes.INTEGER, allowNull: false, field: 'student_record_id' },
      stateCode: { type: DataTypes.CHAR(2), allowNull: false, field: 'state_code' },
      stateStudentId: { type: DataTypes.STRING(15), allowNull: false, field: 'state_student_id' },
      action: {
        type: DataTypes.STRING(8),
        allowNull: false,
        validate: { isIn: [historyActions] },
      },
      replacedBySubmissionId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        field: 'replaced_by_submission_id',
      },
      previousSubmissionId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        field: 'previous_submission_id',
      },
      previousDocument: { type: DataTypes.TEXT, allowNull: false, field: 'previous_document' },
      replacedAt: { type: DataTypes.DATE, allowNull: false, field: 'replaced_at' },
    } satisfies ModelAttributes,
    { tableName: 'student_record_history', timestamps: false, underscored: true },
  );
}
