/** Worklist items, child locks and the history of linkage changes (migration 0020). */
import { Op } from 'sequelize';
import type { Transaction, WhereOptions } from 'sequelize';
import type {
  WorklistItemRow,
  WorklistKind,
  WorklistLevel,
  WorklistStatus,
} from '../models/index.js';
import type { Store } from '../store.js';
import { findRawRow, findRawRows } from './raw-rows.js';

export interface WorklistItemInput {
  kind: WorklistKind;
  status: WorklistStatus;
  stateCode: string;
  level: WorklistLevel;
  district: string | null;
  region: string | null;
  assignedAt: Date;
  escalatesAt: Date;
  studentRecordId?: number | null;
  childId?: string | null;
  candidateChildId?: string | null;
  score?: number | null;
  contributions?: unknown;
  masterChildId?: string | null;
  detail?: unknown;
  startedBy?: string | null;
  startedAt?: Date | null;
}

export interface WorklistItem extends Omit<WorklistItemRow, 'contributions' | 'detail'> {
  contributions: unknown;
  detail: Record<string, unknown> | null;
}

function toItem(row: WorklistItemRow): WorklistItem {
  const trim = (v: string | null) => (v === null ? null : String(v).trim());
  return {
    ...row,
    id: Number(row.id),
    studentRecordId: row.studentRecordId === null ? null : Number(row.studentRecordId),
    childId: trim(row.childId),
    candidateChildId: trim(row.candidateChildId),
    masterChildId: trim(row.masterChildId),
    score: row.score === null ? null : Number(row.score),
    changeId: row.changeId === null ? null : Number(row.changeId),
    assignedAt: new Date(row.assignedAt),
    escalatesAt: new Date(row.escalatesAt),
    contributions: row.contributions === null ? null : (JSON.parse(row.contributions) as unknown),
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  };
}

function rowOf(input: WorklistItemInput, now: Date) {
  return {
    kind: input.kind,
    status: input.status,
    stateCode: input.stateCode,
    level: input.level,
    district: input.district,
    region: input.region,
    assignedAt: input.assignedAt,
    escalatesAt: input.escalatesAt,
    studentRecordId: input.studentRecordId ?? null,
    childId: input.childId ?? null,
    candidateChildId: input.candidateChildId ?? null,
    score: input.score ?? null,
    contributions: input.contributions === undefined ? null : JSON.stringify(input.contributions),
    masterChildId: input.masterChildId ?? null,
    detail: input.detail === undefined ? null : JSON.stringify(input.detail),
    startedBy: input.startedBy ?? null,
    startedAt: input.startedAt ?? null,
    validatedBy: null,
    validatedAt: null,
    changeId: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Inserts items in one multi-row INSERT per 500. */
export async function createWorklistItems(
  db: Store,
  tx: Transaction | undefined,
  items: readonly WorklistItemInput[],
): Promise<void> {
  const now = new Date();
  for (let i = 0; i < items.length; i += 500) {
    await db.models.WorklistItem.bulkCreate(
      items.slice(i, i + 500).map((item) => rowOf(item, now)),
      { transaction: tx ?? null, returning: false },
    );
  }
}

export async function createWorklistItem(
  db: Store,
  tx: Transaction | undefined,
  input: WorklistItemInput,
): Promise<WorklistItem> {
  const row = await db.models.WorklistItem.create(rowOf(input, new Date()), {
    transaction: tx ?? null,
  });
  return toItem(row.get({ plain: true }));
}

export async function getWorklistItem(
  db: Store,
  id: number,
  tx?: Transaction,
): Promise<WorklistItem | null> {
  const row = await findRawRow(db.models.WorklistItem, { where: { id }, transaction: tx ?? null });
  return row ? toItem(row) : null;
}

export interface WorklistQuery {
  stateCode: string;
  statuses?: readonly WorklistStatus[];
  level?: WorklistLevel;
  district?: string;
  region?: string;
  limit: number;
  offset: number;
}

export async function listWorklistItems(db: Store, query: WorklistQuery): Promise<WorklistItem[]> {
  const where: WhereOptions<WorklistItemRow>[] = [{ stateCode: query.stateCode }];
  if (query.statuses) where.push({ status: { [Op.in]: [...query.statuses] } });
  if (query.level) where.push({ level: query.level });
  if (query.district) where.push({ district: query.district });
  if (query.region) where.push({ region: query.region });
  const rows = await findRawRows(db.models.WorklistItem, {
    where: { [Op.and]: where },
    order: [
      ['createdAt', 'ASC'],
      ['id', 'ASC'],
    ],
    limit: query.limit,
    offset: query.offset,
  });
  return rows.map(toItem);
}

/** Items of a status whose escalation date has passed. */
export async function dueWorklistItems(
  db: Store,
  status: WorklistStatus,
  now: Date,
  limit = 1000,
): Promise<WorklistItem[]> {
  const rows = await findRawRows(db.models.WorklistItem, {
    where: { status, escalatesAt: { [Op.lte]: now } },
    order: [['id', 'ASC']],
    limit,
  });
  return rows.map(toItem);
}

export async function updateWorklistItem(
  db: Store,
  tx: Transaction | undefined,
  id: number,
  changes: Partial<Omit<WorklistItemInput, 'contributions' | 'detail'>> & {
    detail?: unknown;
    validatedBy?: string | null;
    validatedAt?: Date | null;
    changeId?: number | null;
  },
): Promise<void> {
  const values: Record<string, unknown> = { ...changes, updatedAt: new Date() };
  if ('detail' in changes) values['detail'] = JSON.stringify(changes.detail);
  await db.models.WorklistItem.update(values, { where: { id }, transaction: tx ?? null });
}

/** Items still waiting (open or pending) about any of these records or children. */
export async function openItemsAbout(
  db: Store,
  tx: Transaction | undefined,
  childIds: readonly string[],
): Promise<WorklistItem[]> {
  if (childIds.length === 0) return [];
  const rows = await findRawRows(db.models.WorklistItem, {
    where: {
      status: { [Op.in]: ['open', 'pending'] },
      [Op.or]: [
        { childId: { [Op.in]: [...childIds] } },
        { candidateChildId: { [Op.in]: [...childIds] } },
        { masterChildId: { [Op.in]: [...childIds] } },
      ],
    },
    transaction: tx ?? null,
  });
  return rows.map(toItem);
}

/** Pairs an administrator said are different children: never proposed or linked again. */
export async function differentPairs(db: Store): Promise<Set<string>> {
  const rows = await findRawRows(db.models.WorklistItem, {
    attributes: ['studentRecordId', 'candidateChildId'],
    where: { status: 'different' },
  });
  return new Set(rows.map((r) => `${r.studentRecordId}:${String(r.candidateChildId).trim()}`));
}

/** Locks the children for a pending change; false (nothing locked) when one is locked already. */
export async function lockChildren(
  db: Store,
  tx: Transaction,
  childIds: readonly string[],
  worklistItemId: number,
): Promise<boolean> {
  const taken = await findRawRows(db.models.ChildLock, {
    where: { childId: { [Op.in]: [...childIds] } },
    transaction: tx,
  });
  if (taken.length > 0) return false;
  const now = new Date();
  await db.models.ChildLock.bulkCreate(
    childIds.map((childId) => ({ childId, worklistItemId, lockedAt: now })),
    { transaction: tx },
  );
  return true;
}

export async function unlockItem(
  db: Store,
  tx: Transaction,
  worklistItemId: number,
): Promise<void> {
  await db.models.ChildLock.destroy({ where: { worklistItemId }, transaction: tx });
}

export async function lockedChildren(db: Store, childIds: readonly string[]): Promise<Set<string>> {
  const rows = await findRawRows(db.models.ChildLock, {
    where: { childId: { [Op.in]: [...childIds] } },
  });
  return new Set(rows.map((r) => String(r.childId).trim()));
}

export interface LinkageState {
  /** Student record id → child id. */
  records: Record<string, string>;
  /** Child id → status and merged_into. */
  children: Record<string, { status: string; mergedInto: string | null }>;
}

export async function recordLinkageChange(
  db: Store,
  tx: Transaction,
  change: {
    worklistItemId: number | null;
    action: 'merge' | 'split' | 'revert';
    actor: string;
    before: LinkageState;
    after: LinkageState;
  },
): Promise<number> {
  const row = await db.models.LinkageChange.create(
    {
      worklistItemId: change.worklistItemId,
      action: change.action,
      actor: change.actor,
      occurredAt: new Date(),
      beforeState: JSON.stringify(change.before),
      afterState: JSON.stringify(change.after),
    },
    { transaction: tx },
  );
  return Number(row.get('id'));
}

export interface LinkageChangeView {
  id: number;
  worklistItemId: number | null;
  action: string;
  actor: string;
  occurredAt: Date;
  before: LinkageState;
  after: LinkageState;
  revertedAt: Date | null;
  revertedBy: string | null;
}

export async function getLinkageChange(
  db: Store,
  id: number,
  tx?: Transaction,
): Promise<LinkageChangeView | null> {
  const row = await findRawRow(db.models.LinkageChange, { where: { id }, transaction: tx ?? null });
  if (!row) return null;
  return {
    id: Number(row.id),
    worklistItemId: row.worklistItemId === null ? null : Number(row.worklistItemId),
    action: row.action,
    actor: row.actor,
    occurredAt: new Date(row.occurredAt),
    before: JSON.parse(row.beforeState) as LinkageState,
    after: JSON.parse(row.afterState) as LinkageState,
    revertedAt: row.revertedAt ? new Date(row.revertedAt) : null,
    revertedBy: row.revertedBy,
  };
}

export async function markChangeReverted(
  db: Store,
  tx: Transaction,
  id: number,
  actor: string,
): Promise<void> {
  await db.models.LinkageChange.update(
    { revertedAt: new Date(), revertedBy: actor },
    { where: { id }, transaction: tx },
  );
}

/** Changes touching a child (its id in the before or after state), newest first. */
export async function changesOfChild(db: Store, childId: string): Promise<LinkageChangeView[]> {
  const rows = await findRawRows(db.models.LinkageChange, {
    where: {
      [Op.or]: [
        { beforeState: { [Op.like]: `%"${childId}"%` } },
        { afterState: { [Op.like]: `%"${childId}"%` } },
      ],
    },
    order: [['id', 'DESC']],
    limit: 100,
  });
  return rows.map((row) => ({
    id: Number(row.id),
    worklistItemId: row.worklistItemId === null ? null : Number(row.worklistItemId),
    action: row.action,
    actor: row.actor,
    occurredAt: new Date(row.occurredAt),
    before: JSON.parse(row.beforeState) as LinkageState,
    after: JSON.parse(row.afterState) as LinkageState,
    revertedAt: row.revertedAt ? new Date(row.revertedAt) : null,
    revertedBy: row.revertedBy,
  }));
}
