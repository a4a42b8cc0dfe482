/** Audit trail: who did what to which subject, when, and how it ended. */
import { DataTypes } from 'sequelize';
import type { Model, ModelAttributes, ModelStatic, Optional, Sequelize } from 'sequelize';

export interface AuditEventRow {
  /** BIGINT: PostgreSQL returns it as a string, SQLite and SQL Server as a number. */
  id: string | number;
  occurredAt: Date;
  actor: string;
  actorState: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  outcome: string;
  requestId: string | null;
  ip: string | null;
  /** JSON text. */
  detail: string | null;
}
export type AuditEventModel = ModelStatic<
  Model<
    AuditEventRow,
    Optional<
      AuditEventRow,
      'id' | 'actorState' | 'subjectType' | 'subjectId' | 'requestId' | 'ip' | 'detail'
    >
  >
>;

export function defineAuditEventModel(sequelize: Sequelize): AuditEventModel {
  return sequelize.define(
    'AuditEvent',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      occurredAt: { type: DataTypes.DATE, allowNull: false, field: 'occurred_at' },
      actor: { type: DataTypes.STRING(255), allowNull: false },
      actorState: { type: DataTypes.STRING(2), field: 'actor_state' },
      action: { type: DataTypes.STRING(100), allowNull: false },
      subjectType: { type: DataTypes.STRING(50), field: 'subject_type' },
      subjectId: { type: DataTypes.STRING(64), field: 'subject_id' },
      outcome: { type: DataTypes.STRING(20), allowNull: false },
      requestId: { type: DataTypes.STRING(100), field: 'request_id' },
      ip: { type: DataTypes.STRING(45) },
      detail: { type: DataTypes.TEXT },
    } satisfies ModelAttributes,
    { tableName: 'audit_events', timestamps: false, underscored: true },
  );
}
