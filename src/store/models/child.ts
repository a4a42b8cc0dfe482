/** Consolidated children and the per-state student records linked to them. */
import { DataTypes } from 'sequelize';
import type { Model, ModelAttributes, ModelStatic, Optional, Sequelize } from 'sequelize';
import { attributesOf } from './columns.js';
import { parentColumns, studentColumns } from './exchange-columns.js';

export const childStatuses = ['active', 'merged', 'split'] as const;
export type ChildStatus = (typeof childStatuses)[number];

export interface ChildRow {
  id: number;
  childId: string;
  status: ChildStatus;
  mergedInto: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export type ChildModel = ModelStatic<
  Model<ChildRow, Optional<ChildRow, 'id' | 'status' | 'mergedInto' | 'createdAt' | 'updatedAt'>>
>;

/** A student_records row as Sequelize reads it; the exchange columns keep their driver types. */
export interface StudentRecordRow extends Record<string, unknown> {
  id: number;
  stateCode: string;
  stateStudentId: string;
  childId: string | null;
  alternateIds: string | null;
  submissionId: number;
  sourceRow: number;
  receivedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}
export type StudentRecordModel = ModelStatic<
  Model<StudentRecordRow, Optional<StudentRecordRow, 'id' | 'childId' | 'createdAt' | 'updatedAt'>>
>;

export function defineChildModels(sequelize: Sequelize) {
  const Child: ChildModel = sequelize.define(
    'Child',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      childId: { type: DataTypes.CHAR(12), allowNull: false, unique: true, field: 'child_id' },
      status: {
        type: DataTypes.STRING(8),
        allowNull: false,
        defaultValue: 'active',
        validate: { isIn: [childStatuses] },
      },
      mergedInto: { type: DataTypes.CHAR(12), field: 'merged_into' },
      createdAt: { type: DataTypes.DATE, allowNull: false, field: 'created_at' },
      updatedAt: { type: DataTypes.DATE, allowNull: false, field: 'updated_at' },
    } satisfies ModelAttributes,
    { tableName: 'children', underscored: true },
  );

  const StudentRecord: StudentRecordModel = sequelize.define(
    'StudentRecord',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      stateCode: { type: DataTypes.CHAR(2), allowNull: false, field: 'state_code' },
      stateStudentId: { type: DataTypes.STRING(15), allowNull: false, field: 'state_student_id' },
      childId: { type: DataTypes.CHAR(12), field: 'child_id' },
      ...attributesOf(studentColumns),
      ...attributesOf(parentColumns, 'parent1'),
      ...attributesOf(parentColumns, 'parent2'),
      alternateIds: { type: DataTypes.TEXT, field: 'alternate_ids' },
      submissionId: { type: DataTypes.INTEGER, allowNull: false, field: 'submission_id' },
      sourceRow: { type: DataTypes.INTEGER, allowNull: false, field: 'source_row' },
      receivedAt: { type: DataTypes.DATE, allowNull: false, field: 'received_at' },
      createdAt: { type: DataTypes.DATE, allowNull: false, field: 'created_at' },
      updatedAt: { type: DataTypes.DATE, allowNull: false, field: 'updated_at' },
    } satisfies ModelAttributes,
    {
      tableName: 'student_records',
      underscored: true,
      indexes: [{ unique: true, fields: ['state_code', 'state_student_id'] }],
    },
  );

  StudentRecord.belongsTo(Child, {
    as: 'child',
    foreignKey: 'childId',
    targetKey: 'childId',
    constraints: false,
  });
  Child.hasMany(StudentRecord, {
    as: 'records',
    foreignKey: 'childId',
    sourceKey: 'childId',
    constraints: false,
  });

  return { Child, StudentRecord };
}
