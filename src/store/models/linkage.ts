/** Record linkage tables (migration 0020): keys, link explanations, worklist, locks, history. */
import { DataTypes } from 'sequelize';
import type { Model, ModelAttributes, ModelStatic, Optional, Sequelize } from 'sequelize';

export interface LinkageKeyRow {
  studentRecordId: number;
  stateCode: string;
  /** An integer below 2^53 (src/linkage/blocking.ts); PostgreSQL's driver reads it as a string. */
  blockKey: number | string;
}

export interface RecordLinkRow {
  id: number;
  studentRecordId: number;
  childId: string;
  method: string;
  score: number | null;
  matchedRecordId: number | null;
  contributions: string | null;
  linkedBy: string | null;
  linkedAt: Date;
}

export const worklistKinds = ['near-match', 'merge', 'split'] as const;
export type WorklistKind = (typeof worklistKinds)[number];
export const worklistStatuses = ['open', 'pending', 'approved', 'rejected', 'different'] as const;
export type WorklistStatus = (typeof worklistStatuses)[number];
export const worklistLevels = ['district', 'region', 'state'] as const;
export type WorklistLevel = (typeof worklistLevels)[number];

export interface WorklistItemRow {
  id: number;
  kind: WorklistKind;
  status: WorklistStatus;
  stateCode: string;
  level: WorklistLevel;
  district: string | null;
  region: string | null;
  assignedAt: Date;
  escalatesAt: Date;
  studentRecordId: number | null;
  childId: string | null;
  candidateChildId: string | null;
  score: number | null;
  contributions: string | null;
  masterChildId: string | null;
  detail: string | null;
  startedBy: string | null;
  startedAt: Date | null;
  validatedBy: string | null;
  validatedAt: Date | null;
  changeId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ChildLockRow {
  childId: string;
  worklistItemId: number;
  lockedAt: Date;
}

export interface LinkageChangeRow {
  id: number;
  worklistItemId: number | null;
  action: string;
  actor: string;
  occurredAt: Date;
  beforeState: string;
  afterState: string;
  revertedAt: Date | null;
  revertedBy: string | null;
}

export interface LinkageWeightRow {
  field: string;
  level: string;
  m: number;
  u: number;
  pairs: number;
  estimatedAt: Date;
}

type M<R extends object, O extends keyof R = never> = ModelStatic<Model<R, Optional<R, O>>>;

export function defineLinkageModels(sequelize: Sequelize) {
  const LinkageKey: M<LinkageKeyRow> = sequelize.define(
    'LinkageKey',
    {
      studentRecordId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        primaryKey: true,
        field: 'student_record_id',
      },
      stateCode: { type: DataTypes.CHAR(2), allowNull: false, field: 'state_code' },
      blockKey: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true, field: 'block_key' },
    } satisfies ModelAttributes,
    { tableName: 'linkage_keys', timestamps: false, underscored: true },
  );
  const RecordLink: M<RecordLinkRow, 'id'> = sequelize.define(
    'RecordLink',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      studentRecordId: { type: DataTypes.INTEGER, allowNull: false, field: 'student_record_id' },
      childId: { type: DataTypes.CHAR(12), allowNull: false, field: 'child_id' },
      method: { type: DataTypes.STRING(8), allowNull: false },
      score: { type: DataTypes.FLOAT },
      matchedRecordId: { type: DataTypes.INTEGER, field: 'matched_record_id' },
      contributions: { type: DataTypes.TEXT },
      linkedBy: { type: DataTypes.STRING(255), field: 'linked_by' },
      linkedAt: { type: DataTypes.DATE, allowNull: false, field: 'linked_at' },
    } satisfies ModelAttributes,
    { tableName: 'record_links', timestamps: false, underscored: true },
  );
  const WorklistItem: M<WorklistItemRow, 'id' | 'createdAt' | 'updatedAt'> = sequelize.define(
    'WorklistItem',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      kind: { type: DataTypes.STRING(12), allowNull: false },
      status: { type: DataTypes.STRING(12), allowNull: false },
      stateCode: { type: DataTypes.CHAR(2), allowNull: false, field: 'state_code' },
      level: { type: DataTypes.STRING(8), allowNull: false },
      district: { type: DataTypes.STRING(7) },
      region: { type: DataTypes.STRING(64) },
      assignedAt: { type: DataTypes.DATE, allowNull: false, field: 'assigned_at' },
      escalatesAt: { type: DataTypes.DATE, allowNull: false, field: 'escalates_at' },
      studentRecordId: { type: DataTypes.INTEGER, field: 'student_record_id' },
      childId: { type: DataTypes.CHAR(12), field: 'child_id' },
      candidateChildId: { type: DataTypes.CHAR(12), field: 'candidate_child_id' },
      score: { type: DataTypes.FLOAT },
      contributions: { type: DataTypes.TEXT },
      masterChildId: { type: DataTypes.CHAR(12), field: 'master_child_id' },
      detail: { type: DataTypes.TEXT },
      startedBy: { type: DataTypes.STRING(255), field: 'started_by' },
      startedAt: { type: DataTypes.DATE, field: 'started_at' },
      validatedBy: { type: DataTypes.STRING(255), field: 'validated_by' },
      validatedAt: { type: DataTypes.DATE, field: 'validated_at' },
      changeId: { type: DataTypes.INTEGER, field: 'change_id' },
      createdAt: { type: DataTypes.DATE, allowNull: false, field: 'created_at' },
      updatedAt: { type: DataTypes.DATE, allowNull: false, field: 'updated_at' },
    } satisfies ModelAttributes,
    { tableName: 'worklist_items', underscored: true },
  );
  const ChildLock: M<ChildLockRow> = sequelize.define(
    'ChildLock',
    {
      childId: { type: DataTypes.CHAR(12), primaryKey: true, allowNull: false, field: 'child_id' },
      worklistItemId: { type: DataTypes.INTEGER, allowNull: false, field: 'worklist_item_id' },
      lockedAt: { type: DataTypes.DATE, allowNull: false, field: 'locked_at' },
    } satisfies ModelAttributes,
    { tableName: 'child_locks', timestamps: false, underscored: true },
  );
  const LinkageChange: M<LinkageChangeRow, 'id' | 'revertedAt' | 'revertedBy'> = sequelize.define(
    'LinkageChange',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      worklistItemId: { type: DataTypes.INTEGER, field: 'worklist_item_id' },
      action: { type: DataTypes.STRING(8), allowNull: false },
      actor: { type: DataTypes.STRING(255), allowNull: false },
      occurredAt: { type: DataTypes.DATE, allowNull: false, field: 'occurred_at' },
      beforeState: { type: DataTypes.TEXT, allowNull: false, field: 'before_state' },
      afterState: { type: DataTypes.TEXT, allowNull: false, field: 'after_state' },
      revertedAt: { type: DataTypes.DATE, field: 'reverted_at' },
      revertedBy: { type: DataTypes.STRING(255), field: 'reverted_by' },
    } satisfies ModelAttributes,
    { tableName: 'linkage_changes', timestamps: false, underscored: true },
  );
  const LinkageWeight: M<LinkageWeightRow> = sequelize.define(
    'LinkageWeight',
    {
      field: { type: DataTypes.STRING(16), primaryKey: true, allowNull: false },
      level: { type: DataTypes.STRING(16), primaryKey: true, allowNull: false },
      m: { type: DataTypes.FLOAT, allowNull: false },
      u: { type: DataTypes.FLOAT, allowNull: false },
      pairs: { type: DataTypes.INTEGER, allowNull: false },
      estimatedAt: { type: DataTypes.DATE, allowNull: false, field: 'estimated_at' },
    } satisfies ModelAttributes,
    { tableName: 'linkage_weights', timestamps: false, underscored: true },
  );
  return { LinkageKey, RecordLink, WorklistItem, ChildLock, LinkageChange, LinkageWeight };
}
