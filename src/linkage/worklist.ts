/**
 * The near-match worklist, merges and splits (DESIGN.md section 6, as MSIX does them): a data
 * administrator resolves a near match or starts a merge or split; it takes effect only when a
 * *different* data administrator validates it; the children are locked while it waits; an item
 * not validated by the end of its escalation period is approved automatically.
 */
import type { LinkageSettings } from '../config/schema.js';
import type { Role } from '../identity/roles.js';
import type { Store, WorklistLevel, WorklistStatus } from '../store/index.js';
import { linkageSnapshot } from '../store/repositories/linkage-children.js';
import {
  createWorklistItem,
  dueWorklistItems,
  getWorklistItem,
  listWorklistItems,
  lockChildren,
  unlockItem,
  updateWorklistItem,
} from '../store/repositories/worklist.js';
import type { WorklistItem } from '../store/repositories/worklist.js';
import {
  adminScope,
  escalated,
  escalationDate,
  mayReassign,
  mayWork,
  regionOf,
} from './assignment.js';
import type { AdminScope } from './assignment.js';
import { LinkageChangeError, applyMerge, applySplit } from './changes.js';

export class WorklistError extends Error {
  override readonly name = 'WorklistError';
  constructor(
    readonly reason: 'not-found' | 'conflict' | 'forbidden' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/** A data administrator acting on the worklist. */
export interface WorklistActor {
  actor: string;
  state: string;
  roles: readonly Role[];
  district: string | null;
}

/** The system itself (auto-approval at the end of the escalation period). */
export const AUTO_APPROVER = 'system:auto-approve';

function scopeOf(settings: LinkageSettings, who: WorklistActor): AdminScope {
  const scope = adminScope(settings, who);
  if (!scope) throw new WorklistError('forbidden', 'Only data administrators work the worklist.');
  return scope;
}

async function itemFor(
  store: Store,
  settings: LinkageSettings,
  who: WorklistActor,
  id: number,
): Promise<WorklistItem> {
  const item = await getWorklistItem(store, id);
  // An item outside the administrator's scope is answered as absent: its existence says nothing.
  if (!item || !mayWork(scopeOf(settings, who), item, settings)) {
    throw new WorklistError('not-found', `No worklist item ${id}.`);
  }
  return item;
}

export async function listWorklist(
  store: Store,
  settings: LinkageSettings,
  who: WorklistActor,
  query: { statuses?: readonly WorklistStatus[]; limit: number; offset: number },
): Promise<WorklistItem[]> {
  const scope = scopeOf(settings, who);
  const items = await listWorklistItems(store, {
    stateCode: scope.stateCode,
    ...(query.statuses ? { statuses: query.statuses } : {}),
    ...(scope.level === 'district' ? { level: 'district', district: scope.district ?? '' } : {}),
    limit: scope.level === 'region' ? query.limit * 20 : query.limit,
    offset: scope.level === 'region' ? 0 : query.offset,
  });
  const mine = items.filter((item) => mayWork(scope, item, settings));
  return scope.level === 'region' ? mine.slice(query.offset, query.offset + query.limit) : mine;
}

function assignmentOf(scope: AdminScope, settings: LinkageSettings, now: Date) {
  return {
    stateCode: scope.stateCode,
    level: scope.level,
    district: scope.district,
    region: scope.region,
    assignedAt: now,
    escalatesAt: escalationDate(settings, now),
  };
}

async function lockOrConflict(
  store: Store,
  tx: Parameters<typeof lockChildren>[1],
  childIds: readonly string[],
  itemId: number,
): Promise<void> {
  if (!(await lockChildren(store, tx, childIds, itemId))) {
    throw new WorklistError('conflict', 'A child is locked by another pending merge or split.');
  }
}

/**
 * Same child: a merge of the record's child into the candidate, pending validation (the children
 * are locked). Different children: settled at once, and never proposed again.
 */
export async function resolveNearMatch(
  store: Store,
  settings: LinkageSettings,
  who: WorklistActor,
  id: number,
  decision: 'same' | 'different',
): Promise<WorklistItem> {
  const item = await itemFor(store, settings, who, id);
  if (item.kind !== 'near-match' || item.status !== 'open') {
    throw new WorklistError('conflict', `Item ${id} is not an open near match.`);
  }
  const now = new Date();
  await store.sequelize.transaction(async (tx) => {
    if (decision === 'different') {
      await updateWorklistItem(store, tx, id, {
        status: 'different',
        startedBy: who.actor,
        startedAt: now,
      });
      return;
    }
    const children = [item.candidateChildId, item.childId].filter((c): c is string => Boolean(c));
    await lockOrConflict(store, tx, children, id);
    await updateWorklistItem(store, tx, id, {
      status: 'pending',
      masterChildId: item.candidateChildId,
      detail: { childIds: children },
      startedBy: who.actor,
      startedAt: now,
      escalatesAt: escalationDate(settings, now),
    });
  });
  return (await getWorklistItem(store, id)) as WorklistItem;
}

export async function startMerge(
  store: Store,
  settings: LinkageSettings,
  who: WorklistActor,
  request: { childIds: readonly string[]; masterChildId: string },
): Promise<WorklistItem> {
  const scope = scopeOf(settings, who);
  const childIds = [...new Set(request.childIds)];
  if (childIds.length < 2)
    throw new WorklistError('invalid', 'A merge needs at least two children.');
  if (!childIds.includes(request.masterChildId)) {
    throw new WorklistError('invalid', 'The master must be one of the children merged.');
  }
  const snapshot = await linkageSnapshot(store, undefined, childIds);
  for (const childId of childIds) {
    const child = snapshot.children[childId];
    if (!child) throw new WorklistError('not-found', `No child ${childId}.`);
    if (child.status !== 'active')
      throw new WorklistError('conflict', `Child ${childId} is ${child.status}.`);
  }
  const now = new Date();
  return store.sequelize.transaction(async (tx) => {
    const item = await createWorklistItem(store, tx, {
      kind: 'merge',
      status: 'pending',
      ...assignmentOf(scope, settings, now),
      masterChildId: request.masterChildId,
      detail: { childIds },
      startedBy: who.actor,
      startedAt: now,
    });
    await lockOrConflict(store, tx, childIds, item.id);
    return item;
  });
}

export async function startSplit(
  store: Store,
  settings: LinkageSettings,
  who: WorklistActor,
  request: { childId: string; groups: readonly (readonly number[])[] },
): Promise<WorklistItem> {
  const scope = scopeOf(settings, who);
  const snapshot = await linkageSnapshot(store, undefined, [request.childId]);
  const child = snapshot.children[request.childId];
  if (!child) throw new WorklistError('not-found', `No child ${request.childId}.`);
  if (child.status !== 'active')
    throw new WorklistError('conflict', `Child ${request.childId} is ${child.status}.`);
  const groups = request.groups.map((g) => [...new Set(g)]).filter((g) => g.length > 0);
  const split = groups.flat();
  if (groups.length === 0) throw new WorklistError('invalid', 'Name the records to split off.');
  if (new Set(split).size !== split.length) {
    throw new WorklistError('invalid', 'A record can be in one group only.');
  }
  for (const id of split) {
    if (snapshot.records[String(id)] !== request.childId) {
      throw new WorklistError('invalid', `Record ${id} is not linked to child ${request.childId}.`);
    }
  }
  if (split.length >= Object.keys(snapshot.records).length) {
    throw new WorklistError('invalid', 'The master must keep at least one record.');
  }
  const now = new Date();
  return store.sequelize.transaction(async (tx) => {
    const item = await createWorklistItem(store, tx, {
      kind: 'split',
      status: 'pending',
      ...assignmentOf(scope, settings, now),
      masterChildId: request.childId,
      childId: request.childId,
      detail: { groups },
      startedBy: who.actor,
      startedAt: now,
    });
    await lockOrConflict(store, tx, [request.childId], item.id);
    return item;
  });
}

async function carryOut(store: Store, item: WorklistItem, validator: string): Promise<void> {
  await store.sequelize.transaction(async (tx) => {
    let changeId: number;
    if (item.kind === 'split') {
      const groups = (item.detail?.['groups'] ?? []) as number[][];
      ({ changeId } = await applySplit(store, tx, {
        master: item.masterChildId as string,
        groups,
        actor: validator,
        worklistItemId: item.id,
      }));
    } else {
      const childIds = (item.detail?.['childIds'] ?? []) as string[];
      const master = item.masterChildId as string;
      changeId = await applyMerge(store, tx, {
        master,
        others: childIds.filter((c) => c !== master),
        actor: validator,
        worklistItemId: item.id,
        ...(item.kind === 'near-match' && item.studentRecordId !== null
          ? {
              explanation: {
                studentRecordId: item.studentRecordId,
                score: item.score,
                contributions: item.contributions,
              },
            }
          : {}),
      });
    }
    await updateWorklistItem(store, tx, item.id, {
      status: 'approved',
      validatedBy: validator,
      validatedAt: new Date(),
      changeId,
    });
    await unlockItem(store, tx, item.id);
  });
}

/**
 * A second data administrator approves (the change is made) or rejects (nothing changes) a
 * pending merge or split. The one who started it may not validate it: two people, always.
 */
export async function validateItem(
  store: Store,
  settings: LinkageSettings,
  who: WorklistActor,
  id: number,
  approve: boolean,
): Promise<WorklistItem> {
  const item = await itemFor(store, settings, who, id);
  if (item.status !== 'pending') throw new WorklistError('conflict', `Item ${id} is not pending.`);
  if (item.startedBy === who.actor) {
    throw new WorklistError('forbidden', 'A different data administrator must validate this.');
  }
  try {
    if (approve) await carryOut(store, item, who.actor);
    else {
      await store.sequelize.transaction(async (tx) => {
        await updateWorklistItem(store, tx, id, {
          status: 'rejected',
          validatedBy: who.actor,
          validatedAt: new Date(),
        });
        await unlockItem(store, tx, id);
      });
    }
  } catch (err) {
    if (err instanceof LinkageChangeError) throw new WorklistError(err.reason, err.message);
    throw err;
  }
  return (await getWorklistItem(store, id)) as WorklistItem;
}

/** Down or sideways only (assignment.ts mayReassign). */
export async function reassignItem(
  store: Store,
  settings: LinkageSettings,
  who: WorklistActor,
  id: number,
  target: { level: WorklistLevel; district?: string | null; region?: string | null },
): Promise<WorklistItem> {
  const scope = scopeOf(settings, who);
  const item = await itemFor(store, settings, who, id);
  if (item.status !== 'open' && item.status !== 'pending') {
    throw new WorklistError('conflict', `Item ${id} is already settled.`);
  }
  const district = target.district ?? null;
  const region =
    target.region ??
    (target.level === 'district' ? regionOf(settings, item.stateCode, district) : null);
  const next = { stateCode: item.stateCode, level: target.level, district, region };
  if (!mayReassign(scope, next, settings)) {
    throw new WorklistError('forbidden', 'Items are reassigned only down or sideways.');
  }
  const now = new Date();
  await updateWorklistItem(store, undefined, id, {
    level: next.level,
    district: next.district,
    region: next.region,
    assignedAt: now,
    ...(item.status === 'open' ? { escalatesAt: escalationDate(settings, now) } : {}),
  });
  return (await getWorklistItem(store, id)) as WorklistItem;
}

/** Open items past their date move one level up (a state-level item only gets a new date). */
export async function escalateWorklist(
  store: Store,
  settings: LinkageSettings,
  now = new Date(),
): Promise<number> {
  let moved = 0;
  for (const item of await dueWorklistItems(store, 'open', now)) {
    const next = escalated(settings, item, now) ?? {
      ...item,
      assignedAt: item.assignedAt,
      escalatesAt: escalationDate(settings, now),
    };
    await updateWorklistItem(store, undefined, item.id, {
      level: next.level,
      district: next.district,
      region: next.region,
      assignedAt: next.assignedAt,
      escalatesAt: next.escalatesAt,
    });
    moved++;
  }
  return moved;
}

/** Pending merges and splits whose escalation period has ended are approved (for a job). */
export async function autoApproveDue(store: Store, now = new Date()): Promise<number> {
  let approved = 0;
  for (const item of await dueWorklistItems(store, 'pending', now)) {
    await carryOut(store, item, AUTO_APPROVER);
    approved++;
  }
  return approved;
}
