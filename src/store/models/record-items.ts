/** The repeating parts of a student record: qualifying moves, enrollments, courses, assessments. */
import { DataTypes } from 'sequelize';
import type { Model, ModelAttributes, ModelStatic, Sequelize } from 'sequelize';
import { attributesOf } from './columns.js';
import type { ColumnSpec } from './columns.js';
import {
  assessmentColumns,
  courseColumns,
  enrollmentColumns,
  qualifyingMoveColumns,
} from './exchange-columns.js';

/** Where each item sits and came from (DESIGN.md section 4). */
export interface RecordItemRow extends Record<string, unknown> {
  id: number;
  studentRecordId: number;
  /** Index in the document's array, so documents read back in the order they were sent. */
  position: number;
  submissionId: number;
  sourceRow: number;
  receivedAt: Date;
}
export type RecordItemModel = ModelStatic<Model<RecordItemRow, Omit<RecordItemRow, 'id'>>>;

/** The four item kinds: document array name, model name, table and columns. */
export const recordItemKinds = [
  {
    key: 'qualifyingMoves',
    model: 'QualifyingMove',
    table: 'qualifying_moves',
    columns: qualifyingMoveColumns,
  },
  { key: 'enrollments', model: 'Enrollment', table: 'enrollments', columns: enrollmentColumns },
  { key: 'courses', model: 'Course', table: 'courses', columns: courseColumns },
  { key: 'assessments', model: 'Assessment', table: 'assessments', columns: assessmentColumns },
] as const satisfies readonly {
  key: string;
  model: string;
  table: string;
  columns: Record<string, ColumnSpec>;
}[];

export type RecordItemKey = (typeof recordItemKinds)[number]['key'];

function defineRecordItem(
  sequelize: Sequelize,
  name: string,
  table: string,
  columns: Record<string, ColumnSpec>,
): RecordItemModel {
  return sequelize.define(
    name,
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      studentRecordId: { type: DataTypes.INTEGER, allowNull: false, field: 'student_record_id' },
      position: { type: DataTypes.INTEGER, allowNull: false },
      ...attributesOf(columns),
      submissionId: { type: DataTypes.INTEGER, allowNull: false, field: 'submission_id' },
      sourceRow: { type: DataTypes.INTEGER, allowNull: false, field: 'source_row' },
      receivedAt: { type: DataTypes.DATE, allowNull: false, field: 'received_at' },
    } satisfies ModelAttributes,
    { tableName: table, timestamps: false, underscored: true },
  );
}

export function defineRecordItemModels(
  sequelize: Sequelize,
): Record<RecordItemKey, RecordItemModel> {
  const models = {} as Record<RecordItemKey, RecordItemModel>;
  for (const kind of recordItemKinds) {
    models[kind.key] = defineRecordItem(sequelize, kind.model, kind.table, kind.columns);
  }
  return models;
}
