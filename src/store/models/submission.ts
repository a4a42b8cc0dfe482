/** States, the files they submit, and the rows of those files that were rejected. */
import { DataTypes } from 'sequelize';
import type { Model, ModelAttributes, ModelStatic, Optional, Sequelize } from 'sequelize';

export interface StateRow {
  code: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}
export type StateModel = ModelStatic<
  Model<StateRow, Optional<StateRow, 'createdAt' | 'updatedAt'>>
>;

export const submissionStatuses = [
  'received',
  'processing',
  'completed',
  'failed',
  'refused',
] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];

export interface SubmissionRow {
  id: number;
  stateCode: string;
  fileName: string;
  fileSha256: string;
  mappingName: string | null;
  receivedAt: Date;
  completedAt: Date | null;
  status: SubmissionStatus;
  rowCount: number | null;
  acceptedCount: number | null;
  rejectedCount: number | null;
  error: string | null;
}
export type SubmissionModel = ModelStatic<
  Model<
    SubmissionRow,
    Optional<
      SubmissionRow,
      | 'id'
      | 'mappingName'
      | 'completedAt'
      | 'rowCount'
      | 'acceptedCount'
      | 'rejectedCount'
      | 'error'
    >
  >
>;

export interface RejectRow {
  id: number;
  submissionId: number;
  row: number | null;
  field: string | null;
  target: string | null;
  value: string | null;
  reason: string;
  createdAt: Date;
}
export type RejectModel = ModelStatic<
  Model<RejectRow, Optional<RejectRow, 'id' | 'row' | 'field' | 'target' | 'value' | 'createdAt'>>
>;

export function defineSubmissionModels(sequelize: Sequelize) {
  const State: StateModel = sequelize.define(
    'State',
    {
      code: { type: DataTypes.CHAR(2), primaryKey: true },
      name: { type: DataTypes.STRING(100), allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false, field: 'created_at' },
      updatedAt: { type: DataTypes.DATE, allowNull: false, field: 'updated_at' },
    } satisfies ModelAttributes,
    { tableName: 'states', underscored: true },
  );

  const Submission: SubmissionModel = sequelize.define(
    'Submission',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      stateCode: { type: DataTypes.CHAR(2), allowNull: false, field: 'state_code' },
      fileName: { type: DataTypes.STRING(255), allowNull: false, field: 'file_name' },
      fileSha256: { type: DataTypes.CHAR(64), allowNull: false, field: 'file_sha256' },
      mappingName: { type: DataTypes.STRING(100), field: 'mapping_name' },
      receivedAt: { type: DataTypes.DATE, allowNull: false, field: 'received_at' },
      completedAt: { type: DataTypes.DATE, field: 'completed_at' },
      status: {
        type: DataTypes.STRING(16),
        allowNull: false,
        validate: { isIn: [submissionStatuses] },
      },
      rowCount: { type: DataTypes.INTEGER, field: 'row_count' },
      acceptedCount: { type: DataTypes.INTEGER, field: 'accepted_count' },
      rejectedCount: { type: DataTypes.INTEGER, field: 'rejected_count' },
      error: { type: DataTypes.TEXT },
    } satisfies ModelAttributes,
    { tableName: 'submissions', timestamps: false, underscored: true },
  );

  const Reject: RejectModel = sequelize.define(
    'Reject',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      submissionId: { type: DataTypes.INTEGER, allowNull: false, field: 'submission_id' },
      row: { type: DataTypes.INTEGER },
      field: { type: DataTypes.STRING(255) },
      target: { type: DataTypes.STRING(255) },
      value: { type: DataTypes.STRING(200) },
      reason: { type: DataTypes.STRING(1000), allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false, field: 'created_at' },
    } satisfies ModelAttributes,
    { tableName: 'rejects', underscored: true, updatedAt: false },
  );

  return { State, Submission, Reject };
}
