/**
 * Move detection (DESIGN.md section 7): a new qualifying move or enrollment in another state,
 * or another district of the same state, than the child's previous one raises a move event.
 * Reads submissions after a watermark; every move has a key (child, from, to, date), so a re-run
 * over the same submissions, or a state re-sending the same records, raises nothing new. The
 * move and its outbox event are written in one transaction.
 */
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import { readWatermark, writeWatermark } from '../store/repositories/job-runs.js';
import {
  findEnrolledNotices,
  findMoveCandidates,
  insertNewMoves,
  markNoticesEnrolled,
  readableSubmissionCeiling,
  type MoveCandidate,
  type MoveInput,
} from '../store/repositories/moves.js';
import {
  insertOutboxEvents,
  type OutboxEventInput,
} from '../store/repositories/notification-outbox.js';
import { regionOf } from './regions.js';

export const MOVE_WATERMARK = 'move-detection.submission-id';
export const moveEventTypes = {
  detected: 'move.detected',
  noticeCreated: 'move-notice.created',
  noticeEnrolled: 'move-notice.enrolled',
} as const;

function moveKey(c: MoveCandidate): string {
  return `move:${c.childId}:${c.fromState ?? '-'}/${c.fromDistrict ?? '-'}>${c.toState}/${c.toDistrict ?? '-'}:${c.movedOn}`;
}

function moveEvent(config: Config, m: MoveInput, c: MoveCandidate, now: Date): OutboxEventInput {
  return {
    eventType: moveEventTypes.detected,
    dedupeKey: m.dedupeKey,
    childId: m.childId,
    fromState: m.fromState,
    fromDistrict: m.fromDistrict,
    fromRegion: regionOf(config, m.fromState, m.fromDistrict),
    toState: m.toState,
    toDistrict: m.toDistrict,
    toRegion: regionOf(config, m.toState, m.toDistrict),
    occurredAt: now,
    payload: {
      childId: m.childId,
      from: { state: m.fromState, district: m.fromDistrict },
      to: { state: m.toState, district: m.toDistrict, school: c.schoolName },
      movedOn: m.movedOn,
      evidence: c.evidence,
      student: {
        firstName: c.firstName,
        lastName1: c.lastName1,
        lastName2: c.lastName2,
        birthDate: c.birthDate,
      },
      // School-only (notifications/payload.ts): never sent to partners or state offices.
      ...(c.medicalAlert || c.immunizationRecord !== null
        ? { health: { medicalAlert: c.medicalAlert, immunizationRecord: c.immunizationRecord } }
        : {}),
    },
  };
}

export interface MoveDetectionCounts extends Record<string, number> {
  submissionsRead: number;
  candidates: number;
  movesDetected: number;
  noticesEnrolled: number;
  watermark: number;
}

export async function detectMoves(
  store: Store,
  config: Config,
  now: Date,
): Promise<MoveDetectionCounts> {
  const after = Number((await readWatermark(store, MOVE_WATERMARK)) ?? 0);
  const upTo = await readableSubmissionCeiling(store);
  let candidates: MoveCandidate[] = [];
  let inserted: MoveInput[] = [];
  if (upTo > after) {
    candidates = await findMoveCandidates(store, after, upTo);
    const byKey = new Map(candidates.map((c) => [moveKey(c), c]));
    inserted = await store.sequelize.transaction(async (tx) => {
      const fresh = await insertNewMoves(
        store,
        tx,
        [...byKey].map(([key, c]) => ({
          dedupeKey: key,
          childId: c.childId,
          kind: 'detected' as const,
          fromState: c.fromState,
          fromDistrict: c.fromDistrict,
          toState: c.toState,
          toDistrict: c.toDistrict,
          movedOn: c.movedOn,
          detectedAt: now,
          // Across states, the sending state is told: it must send its data (34 CFR 200.85).
          notifiedState: c.fromState && c.fromState !== c.toState ? c.fromState : null,
          sourceSubmissionId: c.submissionId,
        })),
      );
      await insertOutboxEvents(
        store,
        tx,
        fresh.flatMap((m) => {
          const c = byKey.get(m.dedupeKey);
          return c ? [moveEvent(config, m, c, now)] : [];
        }),
      );
      return fresh;
    });
    await writeWatermark(store, MOVE_WATERMARK, String(upTo), now);
  }
  const noticesEnrolled = await closeEnrolledNotices(store, config, now);
  return {
    submissionsRead: Math.max(0, upTo - after),
    candidates: candidates.length,
    movesDetected: inserted.length,
    noticesEnrolled,
    watermark: Math.max(after, upTo),
  };
}

/**
 * A notice whose receiving state now shows the child enrolled: the sending state is told, and
 * its 4-working-day clock starts (34 CFR 200.85(b)(3)(iii)).
 */
async function closeEnrolledNotices(store: Store, config: Config, now: Date): Promise<number> {
  const notices = await findEnrolledNotices(store);
  if (notices.length === 0) return 0;
  return store.sequelize.transaction(async (tx) => {
    const changed = await markNoticesEnrolled(
      store,
      tx,
      notices.map((n) => n.id),
      now,
    );
    await insertNewMoves(
      store,
      tx,
      notices.map((n) => ({
        dedupeKey: `notice-enrolled:${n.id}`,
        childId: n.childId,
        kind: 'notice-enrolled' as const,
        fromState: n.fromState,
        fromDistrict: null,
        toState: n.toState,
        toDistrict: null,
        movedOn: n.departureDate,
        detectedAt: now,
        notifiedState: n.fromState,
        sourceSubmissionId: null,
      })),
    );
    await insertOutboxEvents(
      store,
      tx,
      notices.map((n) => ({
        eventType: moveEventTypes.noticeEnrolled,
        dedupeKey: `notice-enrolled:${n.id}`,
        childId: n.childId,
        fromState: n.fromState,
        toState: n.toState,
        occurredAt: now,
        payload: {
          childId: n.childId,
          noticeId: n.id,
          from: { state: n.fromState },
          to: { state: n.toState, city: n.toCity },
          departureDate: n.departureDate,
          enrolledSeenAt: now.toISOString(),
        },
      })),
    );
    return changed;
  });
}
