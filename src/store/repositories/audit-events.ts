/** The audit trail: one row per read or change of a child's data, and per sign-in decision. */
import { Op } from 'sequelize';
import type { Transaction, WhereOptions } from 'sequelize';
import type { AuditEventRow } from '../models/index.js';
import type { Store } from '../store.js';

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEventInput {
  /** Defaults to now. */
  occurredAt?: Date;
  /** User id or OAuth client id. */
  actor: string;
  actorState?: string | null;
  /** What was done, `noun.verb`: `student-record.read`, `child.merge.validate`. */
  action: string;
  subjectType?: string | null;
  subjectId?: string | number | null;
  outcome: AuditOutcome;
  requestId?: string | null;
  ip?: string | null;
  /** Extra facts, stored as JSON text. Never a child's data: the id is enough. */
  detail?: Record<string, unknown> | null;
}

export interface AuditEvent {
  /** BIGINT as a string: it may outgrow Number.MAX_SAFE_INTEGER, and PostgreSQL returns text. */
  id: string;
  occurredAt: Date;
  actor: string;
  actorState: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditSearch {
  subjectType?: string;
  subjectId?: string | number;
  actor?: string;
  /** Events by actors of this state only (a state administrator's view). */
  actorState?: string;
  action?: string;
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
  limit: number;
}

function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    ...row,
    id: String(row.id),
    outcome: row.outcome as AuditOutcome,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  };
}

export async function recordAuditEvent(
  db: Store,
  event: AuditEventInput,
  tx?: Transaction,
): Promise<AuditEvent> {
  const row = await db.models.AuditEvent.create(
    {
      occurredAt: event.occurredAt ?? new Date(),
      actor: event.actor,
      actorState: event.actorState ?? null,
      action: event.action,
      subjectType: event.subjectType ?? null,
      subjectId:
        event.subjectId === undefined || event.subjectId === null ? null : String(event.subjectId),
      outcome: event.outcome,
      requestId: event.requestId ?? null,
      ip: event.ip ?? null,
      detail: event.detail ? JSON.stringify(event.detail) : null,
    },
    { transaction: tx ?? null },
  );
  return toAuditEvent(row.get({ plain: true }));
}

/** Newest first. */
export async function searchAuditEvents(db: Store, query: AuditSearch): Promise<AuditEvent[]> {
  const where: WhereOptions<AuditEventRow>[] = [];
  if (query.subjectType !== undefined) where.push({ subjectType: query.subjectType });
  if (query.subjectId !== undefined) where.push({ subjectId: String(query.subjectId) });
  if (query.actor !== undefined) where.push({ actor: query.actor });
  if (query.actorState !== undefined) where.push({ actorState: query.actorState });
  if (query.action !== undefined) where.push({ action: query.action });
  if (query.since !== undefined) where.push({ occurredAt: { [Op.gte]: query.since } });
  if (query.until !== undefined) where.push({ occurredAt: { [Op.lt]: query.until } });
  const rows = await db.models.AuditEvent.findAll({
    where: { [Op.and]: where },
    order: [
      ['occurredAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: query.limit,
  });
  return rows.map((row) => toAuditEvent(row.get({ plain: true })));
}
