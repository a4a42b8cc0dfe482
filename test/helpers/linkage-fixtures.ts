/**
 * Children, worklist items and linkage changes made straight in the store, for route tests that
 * need something to act on (roles-matrix.test.ts, children-api.test.ts). Each call makes its own.
 */
import { randomBytes } from 'node:crypto';
import { exampleExchangeDocument } from '../../src/exchange/example-document.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import { applyMerge } from '../../src/linkage/changes.js';
import type { Store } from '../../src/store/index.js';
import { createChild, createSubmission, saveStudentDocuments } from '../../src/store/index.js';
import { createWorklistItem, lockChildren } from '../../src/store/repositories/worklist.js';

export const FIXTURE_DISTRICT = '0612345';

/** One child holding one record per state given; returns its id and the record ids. */
export async function fixtureChild(
  store: Store,
  states: readonly string[] = ['CA'],
  change: (doc: ExchangeDocument, state: string) => void = () => undefined,
): Promise<{ childId: string; recordIds: number[] }> {
  const childId = await createChild(store);
  const recordIds: number[] = [];
  for (const state of states) {
    const submission = await createSubmission(store, {
      stateCode: state,
      fileName: `${state}.fixture`,
      fileSha256: randomBytes(32).toString('hex'),
    });
    const document = structuredClone(exampleExchangeDocument);
    document.student.stateStudentId = randomBytes(5).toString('hex');
    change(document, state);
    const ids = await store.sequelize.transaction((tx) =>
      saveStudentDocuments(store, tx, submission, [{ row: 1, document, childId, stored: false }]),
    );
    recordIds.push(ids.get(document.student.stateStudentId)!);
  }
  return { childId, recordIds };
}

function assignment() {
  const now = new Date();
  return {
    stateCode: 'CA',
    level: 'district' as const,
    district: FIXTURE_DISTRICT,
    region: null,
    assignedAt: now,
    escalatesAt: new Date(now.getTime() + 10 * 86_400_000),
  };
}

export async function openNearMatch(store: Store): Promise<number> {
  const a = await fixtureChild(store, ['CA']);
  const b = await fixtureChild(store, ['TX']);
  const item = await createWorklistItem(store, undefined, {
    kind: 'near-match',
    status: 'open',
    ...assignment(),
    studentRecordId: b.recordIds[0]!,
    childId: b.childId,
    candidateChildId: a.childId,
    score: 15,
    contributions: { contributions: [] },
  });
  return item.id;
}

/** A merge someone else started, waiting for validation, its children locked. */
export async function pendingMerge(store: Store, startedBy = 'someone-else'): Promise<number> {
  const a = await fixtureChild(store, ['CA']);
  const b = await fixtureChild(store, ['WA']);
  return store.sequelize.transaction(async (tx) => {
    const item = await createWorklistItem(store, tx, {
      kind: 'merge',
      status: 'pending',
      ...assignment(),
      masterChildId: a.childId,
      detail: { childIds: [a.childId, b.childId] },
      startedBy,
      startedAt: new Date(),
    });
    await lockChildren(store, tx, [a.childId, b.childId], item.id);
    return item.id;
  });
}

/** A merge already carried out; returns its change id. */
export async function appliedMerge(store: Store): Promise<number> {
  const a = await fixtureChild(store, ['CA']);
  const b = await fixtureChild(store, ['FL']);
  return store.sequelize.transaction((tx) =>
    applyMerge(store, tx, {
      master: a.childId,
      others: [b.childId],
      actor: 'someone',
      worklistItemId: null,
    }),
  );
}
