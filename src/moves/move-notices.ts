/**
 * Move notices from users (MSIX "notify"): a primary user tells the receiving state a child is
 * leaving. The notice is a lead for that state's recruiters (not an enrollment), and its outbox
 * event is written in the same transaction as the notice.
 */
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import {
  childExists,
  insertMoveNotice,
  lastKnownPlace,
  listMoveNotices,
  listSentMoveNotices,
  type MoveNotice,
  type MoveNoticeInput,
} from '../store/repositories/moves.js';
import { insertOutboxEvents } from '../store/repositories/notification-outbox.js';
import { moveEventTypes } from './detect-moves.js';
import { regionOf } from './regions.js';

export class UnknownChild extends Error {}
export class UnknownState extends Error {}

export async function sendMoveNotice(
  store: Store,
  config: Config,
  notice: MoveNoticeInput,
  now = new Date(),
): Promise<MoveNotice> {
  if (!(await childExists(store, notice.childId))) throw new UnknownChild(notice.childId);
  if (!config.states.some((s) => s.code === notice.toState)) throw new UnknownState(notice.toState);
  const from = await lastKnownPlace(store, notice.childId);
  return store.sequelize.transaction(async (tx) => {
    const saved = await insertMoveNotice(store, tx, notice, now);
    const fromDistrict = from?.state === notice.fromState ? from.district : null;
    await insertOutboxEvents(store, tx, [
      {
        eventType: moveEventTypes.noticeCreated,
        dedupeKey: `notice:${saved.id}`,
        childId: saved.childId,
        fromState: saved.fromState,
        fromDistrict,
        fromRegion: regionOf(config, saved.fromState, fromDistrict),
        toState: saved.toState,
        occurredAt: now,
        payload: {
          childId: saved.childId,
          noticeId: saved.id,
          from: { state: saved.fromState, district: fromDistrict },
          to: { state: saved.toState, city: saved.toCity },
          departureDate: saved.departureDate,
          forwardingAddress: saved.forwardingAddress,
          comment: saved.comment,
        },
      },
    ]);
    return saved;
  });
}

/** The recruiters' worklist: notices to their state, open ones first by default. */
export function recruiterLeads(
  store: Store,
  state: string,
  status?: 'open' | 'enrolled',
): Promise<MoveNotice[]> {
  return listMoveNotices(store, { toState: state, ...(status ? { status } : {}) });
}

/** The notices a state's staff sent, with whether the receiving state has enrolled the child. */
export function sentMoveNotices(store: Store, state: string): Promise<MoveNotice[]> {
  return listSentMoveNotices(store, { fromState: state });
}
