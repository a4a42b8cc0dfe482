/**
 * Children and worklist items for the portal's record pages, made in the store like
 * linkage-fixtures.ts but born in 1990, so no child count of the shared test store counts them.
 */
import type { Store } from '../../src/store/index.js';
import { createWorklistItem, lockChildren } from '../../src/store/repositories/worklist.js';
import { FIXTURE_DISTRICT, fixtureChild } from './linkage-fixtures.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';

export async function uncountedChild(
  store: Store,
  states: readonly string[] = ['CA'],
  change: (doc: ExchangeDocument, state: string) => void = () => undefined,
): Promise<{ childId: string; recordIds: number[] }> {
  return fixtureChild(store, states, (doc, state) => {
    doc.student.birthDate = '1990-01-01';
    change(doc, state);
  });
}

function assignment(state = 'CA') {
  const now = new Date();
  return {
    stateCode: state,
    level: 'district' as const,
    district: FIXTURE_DISTRICT,
    region: null,
    assignedAt: now,
    escalatesAt: new Date(now.getTime() + 10 * 86_400_000),
  };
}

/**
 * An open near match of one state's record (TX) with a child of the item's state (CA), in the
 * fixture district of the item's state.
 */
export async function nearMatchItem(
  store: Store,
  change: (doc: ExchangeDocument, state: string) => void = () => undefined,
  states: { item: string; other: string } = { item: 'CA', other: 'TX' },
): Promise<{ id: number; childId: string; candidateChildId: string }> {
  const a = await uncountedChild(store, [states.item], change);
  const b = await uncountedChild(store, [states.other], change);
  const item = await createWorklistItem(store, undefined, {
    kind: 'near-match',
    status: 'open',
    ...assignment(states.item),
    studentRecordId: b.recordIds[0]!,
    childId: b.childId,
    candidateChildId: a.childId,
    score: 15,
    contributions: {
      contributions: [
        { field: 'firstName', level: 'nickname', weight: 6.1 },
        { field: 'birthDate', level: 'transposed', weight: 2.5 },
      ],
      namesSwapped: false,
      twinRule: false,
    },
  });
  return { id: item.id, childId: b.childId, candidateChildId: a.childId };
}

/** A merge `startedBy` started, waiting for validation, its children locked. */
export async function pendingMergeItem(store: Store, startedBy = 'someone-else'): Promise<number> {
  const a = await uncountedChild(store, ['CA']);
  const b = await uncountedChild(store, ['WA']);
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
