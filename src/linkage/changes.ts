/**
 * Applying merges and splits to the store, and reverting them (DESIGN.md section 6: "every
 * change is reversible history"). Each change records the linkage of every child it touches
 * before and after, so a revert puts every record back where it was.
 */
import type { Transaction } from 'sequelize';
import type { Store } from '../store/index.js';
import { createChildren } from '../store/index.js';
import {
  linkageSnapshot,
  moveRecordsToChild,
  redirectMergedChildren,
  setChildStatus,
} from '../store/repositories/linkage-children.js';
import { deleteRecordLinks, writeRecordLinks } from '../store/repositories/record-links.js';
import {
  getLinkageChange,
  lockedChildren,
  markChangeReverted,
  recordLinkageChange,
} from '../store/repositories/worklist.js';

export class LinkageChangeError extends Error {
  override readonly name = 'LinkageChangeError';
  constructor(
    readonly reason: 'not-found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Merges `others` into `master`: their records move to the master (whose 12-digit id survives),
 * they become `merged` with `merged_into` = master. Returns the change id.
 */
export async function applyMerge(
  store: Store,
  tx: Transaction,
  change: {
    master: string;
    others: readonly string[];
    actor: string;
    worklistItemId: number | null;
    /** The near-match's explanation, kept for the record it was about. */
    explanation?: {
      studentRecordId: number;
      score: number | null;
      contributions: unknown;
      method?: 'auto' | 'admin';
    };
  },
): Promise<number> {
  const all = [change.master, ...change.others];
  const before = await linkageSnapshot(store, tx, all);
  const moved = Object.entries(before.records)
    .filter(([, child]) => child !== change.master)
    .map(([id]) => Number(id));
  await moveRecordsToChild(store, tx, moved, change.master);
  await setChildStatus(store, tx, change.others, 'merged', change.master);
  await redirectMergedChildren(store, tx, change.others, change.master);
  if (change.explanation) {
    await writeRecordLinks(store, tx, [
      {
        studentRecordId: change.explanation.studentRecordId,
        childId: change.master,
        method: change.explanation.method ?? 'admin',
        score: change.explanation.score,
        matchedRecordId: null,
        contributions: change.explanation.contributions,
        linkedBy: change.actor,
      },
    ]);
  }
  const after = await linkageSnapshot(store, tx, all);
  return recordLinkageChange(store, tx, {
    worklistItemId: change.worklistItemId,
    action: 'merge',
    actor: change.actor,
    before,
    after,
  });
}

/** Splits groups of records off `master` (which keeps its id); each group gets a new child. */
export async function applySplit(
  store: Store,
  tx: Transaction,
  change: {
    master: string;
    groups: readonly (readonly number[])[];
    actor: string;
    worklistItemId: number | null;
  },
): Promise<{ changeId: number; newChildIds: string[] }> {
  const before = await linkageSnapshot(store, tx, [change.master]);
  const newChildIds = await createChildren(store, change.groups.length, tx);
  for (let i = 0; i < change.groups.length; i++) {
    const group = change.groups[i] as readonly number[];
    await moveRecordsToChild(store, tx, group, newChildIds[i] as string);
    // The explanation of how they were linked to the master no longer holds.
    await deleteRecordLinks(store, tx, group);
  }
  const after = await linkageSnapshot(store, tx, [change.master, ...newChildIds]);
  const changeId = await recordLinkageChange(store, tx, {
    worklistItemId: change.worklistItemId,
    action: 'split',
    actor: change.actor,
    before,
    after,
  });
  return { changeId, newChildIds };
}

/** Puts every record and child a change touched back as it was before; returns the new change. */
export async function revertLinkageChange(
  store: Store,
  changeId: number,
  actor: string,
): Promise<number> {
  return store.sequelize.transaction(async (tx) => {
    const change = await getLinkageChange(store, changeId, tx);
    if (!change) throw new LinkageChangeError('not-found', `No linkage change ${changeId}.`);
    if (change.revertedAt) {
      throw new LinkageChangeError('conflict', `Change ${changeId} was already reverted.`);
    }
    const touched = [
      ...new Set([...Object.keys(change.before.children), ...Object.keys(change.after.children)]),
    ];
    if ((await lockedChildren(store, touched)).size > 0) {
      throw new LinkageChangeError(
        'conflict',
        'A child of this change is locked by a pending item.',
      );
    }
    const current = await linkageSnapshot(store, tx, touched);
    const byChild = new Map<string, number[]>();
    for (const [recordId, childId] of Object.entries(change.before.records)) {
      const list = byChild.get(childId) ?? [];
      list.push(Number(recordId));
      byChild.set(childId, list);
    }
    for (const [childId, ids] of byChild) await moveRecordsToChild(store, tx, ids, childId);
    for (const [childId, state] of Object.entries(change.before.children)) {
      await setChildStatus(
        store,
        tx,
        [childId],
        state.status as 'active' | 'merged' | 'split',
        state.mergedInto,
      );
    }
    // Children the change made (a split's new ids) now hold nothing: they point at where their
    // records went back to, so their ids still lead somewhere.
    const made = Object.keys(change.after.children).filter((id) => !change.before.children[id]);
    for (const id of made) {
      const firstRecord = Object.entries(change.after.records).find(([, c]) => c === id)?.[0];
      const home = firstRecord ? change.before.records[firstRecord] : undefined;
      await setChildStatus(store, tx, [id], 'merged', home ?? null);
    }
    const after = await linkageSnapshot(store, tx, touched);
    const id = await recordLinkageChange(store, tx, {
      worklistItemId: change.worklistItemId,
      action: 'revert',
      actor,
      before: current,
      after,
    });
    await markChangeReverted(store, tx, changeId, actor);
    return id;
  });
}
