/**
 * The outbox and its deliveries. Events are inserted inside the caller's transaction (the one
 * that made the change they report); delivery rows are made from them set-based, and claimed
 * for an attempt with one conditional UPDATE so two instances never send the same attempt.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { Store } from '../store.js';
import {
  changeRows,
  concatOperator,
  dialectOfStore,
  insertRows,
  limitParts,
  selectRows,
  toDate,
  toDateOrNull,
} from './sql-statements.js';

export interface OutboxEventInput {
  eventType: string;
  dedupeKey: string;
  childId?: string | null;
  fromState?: string | null;
  fromDistrict?: string | null;
  fromRegion?: string | null;
  toState?: string | null;
  toDistrict?: string | null;
  toRegion?: string | null;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

const outboxColumns = [
  'event_id',
  'event_type',
  'dedupe_key',
  'child_id',
  'from_state',
  'from_district',
  'from_region',
  'to_state',
  'to_district',
  'to_region',
  'payload',
  'occurred_at',
] as const;

/**
 * Adds the events whose dedupe key is new and returns how many were added. Call it with the
 * transaction of the change: the event exists exactly when the change does.
 */
export async function insertOutboxEvents(
  db: Store,
  transaction: Transaction | undefined,
  events: readonly OutboxEventInput[],
): Promise<number> {
  if (events.length === 0) return 0;
  const keys = [...new Set(events.map((e) => e.dedupeKey))];
  const existing = new Set<string>();
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await selectRows<{ dedupe_key: string }>(
      db,
      'SELECT dedupe_key FROM notification_outbox WHERE dedupe_key IN (:keys)',
      { keys: keys.slice(i, i + 1000) },
      transaction,
    );
    for (const r of rows) existing.add(r.dedupe_key);
  }
  const fresh = new Map<string, OutboxEventInput>();
  for (const e of events) if (!existing.has(e.dedupeKey)) fresh.set(e.dedupeKey, e);
  await insertRows(
    db,
    'notification_outbox',
    outboxColumns,
    [...fresh.values()].map((e) => ({
      event_id: `evt_${randomUUID().replace(/-/g, '')}`,
      event_type: e.eventType,
      dedupe_key: e.dedupeKey,
      child_id: e.childId ?? null,
      from_state: e.fromState ?? null,
      from_district: e.fromDistrict ?? null,
      from_region: e.fromRegion ?? null,
      to_state: e.toState ?? null,
      to_district: e.toDistrict ?? null,
      to_region: e.toRegion ?? null,
      payload: JSON.stringify(e.payload),
      occurred_at: e.occurredAt,
    })),
    transaction,
  );
  return fresh.size;
}

/**
 * Makes delivery rows for up to `limit` events not yet fanned out: one per matching active
 * subscription (state, region, district of interest on either side of the move; event type), in
 * one INSERT ... SELECT. Returns the events handled and the deliveries made.
 */
export async function fanOutOutbox(
  db: Store,
  now: Date,
  limit = 1000,
): Promise<{ events: number; deliveries: number }> {
  const { top, limit: lim } = limitParts(db, limit);
  const pending = await selectRows<{ id: number | string }>(
    db,
    `SELECT ${top} id FROM notification_outbox WHERE fanned_out_at IS NULL ORDER BY id ${lim}`,
  );
  if (pending.length === 0) return { events: 0, deliveries: 0 };
  const ids = pending.map((r) => Number(r.id));
  const cat = concatOperator(db);
  return db.sequelize.transaction(async (transaction) => {
    const inserted = await changeRows(
      db,
      `INSERT INTO notification_deliveries
         (outbox_id, subscription_id, status, attempts, next_attempt_at, created_at, updated_at)
       SELECT o.id, s.id, 'pending', 0, :now, :now, :now
         FROM notification_outbox o
         JOIN notification_subscriptions s
           ON s.status = 'active'
          AND (s.state_code IS NULL OR s.state_code = o.from_state OR s.state_code = o.to_state)
          AND (s.region IS NULL OR s.region = o.from_region OR s.region = o.to_region)
          AND (s.district_id IS NULL OR s.district_id = o.from_district
               OR s.district_id = o.to_district)
          AND (s.event_types IS NULL OR s.event_types LIKE '%,' ${cat} o.event_type ${cat} ',%')
        WHERE o.id IN (:ids)
          AND NOT EXISTS (SELECT 1 FROM notification_deliveries d
                           WHERE d.outbox_id = o.id AND d.subscription_id = s.id)`,
      { ids, now },
      transaction,
    );
    await changeRows(
      db,
      'UPDATE notification_outbox SET fanned_out_at = :now WHERE id IN (:ids)',
      { ids, now },
      transaction,
    );
    return { events: ids.length, deliveries: inserted };
  });
}

export interface ClaimedDelivery {
  deliveryId: number;
  attempts: number;
  eventId: string;
  eventType: string;
  occurredAt: Date;
  childId: string | null;
  payload: Record<string, unknown>;
  subscriptionId: number;
  channel: 'webhook' | 'email';
  audience: 'school' | 'state' | 'partner';
  url: string | null;
  email: string | null;
}

/**
 * Claims up to `limit` due deliveries for one attempt. The inner SELECT skips rows another
 * instance holds (SKIP LOCKED / READPAST); the outer WHERE re-checks the claim on the row
 * itself, so even where two inner SELECTs overlap only one UPDATE takes each row.
 */
export async function claimDueDeliveries(
  db: Store,
  opts: { now: Date; claimMs: number; limit: number },
): Promise<{ token: string; deliveries: ClaimedDelivery[] }> {
  const token = randomUUID();
  const dialect = dialectOfStore(db);
  const n = Math.max(1, Math.floor(opts.limit));
  const free = `status = 'pending' AND next_attempt_at <= :now
    AND (claimed_until IS NULL OR claimed_until <= :now)`;
  const inner =
    dialect === 'mssql'
      ? `SELECT TOP (${n}) id FROM notification_deliveries WITH (UPDLOCK, READPAST, ROWLOCK)
          WHERE ${free} ORDER BY next_attempt_at, id`
      : dialect === 'postgres'
        ? `SELECT id FROM notification_deliveries WHERE ${free}
            ORDER BY next_attempt_at, id LIMIT ${n} FOR UPDATE SKIP LOCKED`
        : `SELECT id FROM notification_deliveries WHERE ${free}
            ORDER BY next_attempt_at, id LIMIT ${n}`;
  await changeRows(
    db,
    `UPDATE notification_deliveries SET claim_token = :token, claimed_until = :until
      WHERE id IN (${inner}) AND ${free}`,
    { token, now: opts.now, until: new Date(opts.now.getTime() + opts.claimMs) },
  );
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `SELECT d.id AS delivery_id, d.attempts, o.event_id, o.event_type, o.occurred_at, o.child_id,
            o.payload, s.id AS subscription_id, s.channel, s.audience, s.url, s.email
       FROM notification_deliveries d
       JOIN notification_outbox o ON o.id = d.outbox_id
       JOIN notification_subscriptions s ON s.id = d.subscription_id
      WHERE d.claim_token = :token
      ORDER BY d.id`,
    { token },
  );
  return {
    token,
    deliveries: rows.map((r) => ({
      deliveryId: Number(r['delivery_id']),
      attempts: Number(r['attempts']),
      eventId: String(r['event_id']),
      eventType: String(r['event_type']),
      occurredAt: toDate(r['occurred_at']),
      childId: r['child_id'] === null ? null : String(r['child_id']).trim(),
      payload: JSON.parse(String(r['payload'])) as Record<string, unknown>,
      subscriptionId: Number(r['subscription_id']),
      channel: r['channel'] === 'email' ? 'email' : 'webhook',
      audience: String(r['audience']) as ClaimedDelivery['audience'],
      url: r['url'] === null ? null : String(r['url']),
      email: r['email'] === null ? null : String(r['email']),
    })),
  };
}

export interface DeliveryFailure {
  deliveryId: number;
  nextAttemptAt: Date | null;
  status: number | null;
  error: string;
}

/** Records one round's outcome; only rows still claimed by `token` are changed. */
export async function recordDeliveryOutcomes(
  db: Store,
  token: string,
  now: Date,
  delivered: readonly number[],
  failed: readonly DeliveryFailure[],
): Promise<void> {
  for (let i = 0; i < delivered.length; i += 1000) {
    await changeRows(
      db,
      `UPDATE notification_deliveries
          SET status = 'delivered', attempts = attempts + 1, delivered_at = :now,
              last_status = 200, last_error = NULL, claim_token = NULL, claimed_until = NULL,
              updated_at = :now
        WHERE id IN (:ids) AND claim_token = :token`,
      { ids: delivered.slice(i, i + 1000), now, token },
    );
  }
  for (const f of failed) {
    await changeRows(
      db,
      `UPDATE notification_deliveries
          SET status = :status, attempts = attempts + 1, next_attempt_at = :next,
              last_status = :httpStatus, last_error = :error, claim_token = NULL,
              claimed_until = NULL, updated_at = :now
        WHERE id = :id AND claim_token = :token`,
      {
        id: f.deliveryId,
        status: f.nextAttemptAt ? 'pending' : 'dead',
        next: f.nextAttemptAt ?? now,
        httpStatus: f.status,
        error: f.error.slice(0, 1000),
        now,
        token,
      },
    );
  }
}

export interface DeliveryView {
  id: number;
  eventId: string;
  eventType: string;
  subscriptionId: number;
  subscriptionName: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  occurredAt: Date;
}

/** Dead letters (or any status) of the subscriptions a state owns, newest first. */
export async function listDeliveries(
  db: Store,
  opts: { ownerState: string; status?: string; limit?: number },
): Promise<DeliveryView[]> {
  const { top, limit } = limitParts(db, Math.min(opts.limit ?? 100, 1000));
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `SELECT ${top} d.id, o.event_id, o.event_type, o.occurred_at, d.subscription_id,
            s.name AS subscription_name, d.status, d.attempts, d.last_status, d.last_error,
            d.next_attempt_at, d.delivered_at
       FROM notification_deliveries d
       JOIN notification_outbox o ON o.id = d.outbox_id
       JOIN notification_subscriptions s ON s.id = d.subscription_id
      WHERE s.owner_state = :ownerState ${opts.status ? 'AND d.status = :status' : ''}
      ORDER BY d.id DESC ${limit}`,
    { ownerState: opts.ownerState, status: opts.status },
  );
  return rows.map((r) => ({
    id: Number(r['id']),
    eventId: String(r['event_id']),
    eventType: String(r['event_type']),
    subscriptionId: Number(r['subscription_id']),
    subscriptionName: String(r['subscription_name']),
    status: String(r['status']) as DeliveryView['status'],
    attempts: Number(r['attempts']),
    lastStatus: r['last_status'] === null ? null : Number(r['last_status']),
    lastError: r['last_error'] === null ? null : String(r['last_error']),
    nextAttemptAt: toDate(r['next_attempt_at']),
    deliveredAt: toDateOrNull(r['delivered_at']),
    occurredAt: toDate(r['occurred_at']),
  }));
}

/** Puts a dead letter back in line for a fresh series of attempts; false if none matched. */
export async function resendDelivery(
  db: Store,
  opts: { id: number; ownerState: string; now: Date },
): Promise<boolean> {
  const changed = await changeRows(
    db,
    `UPDATE notification_deliveries
        SET status = 'pending', attempts = 0, next_attempt_at = :now, claim_token = NULL,
            claimed_until = NULL, updated_at = :now
      WHERE id = :id AND status = 'dead'
        AND subscription_id IN (SELECT id FROM notification_subscriptions
                                 WHERE owner_state = :ownerState)`,
    opts,
  );
  return changed === 1;
}

/** Retention: delivered rows older than `before`, then events with nothing left to deliver. */
export async function deleteDeliveredBefore(
  db: Store,
  before: Date,
): Promise<{ deliveries: number; events: number }> {
  const deliveries = await changeRows(
    db,
    `DELETE FROM notification_deliveries WHERE status = 'delivered' AND delivered_at < :before`,
    { before },
  );
  const events = await changeRows(
    db,
    `DELETE FROM notification_outbox
      WHERE fanned_out_at IS NOT NULL AND fanned_out_at < :before
        AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.outbox_id = notification_outbox.id)`,
    { before },
  );
  return { deliveries, events };
}

/** Counts by status, for tests, the bench and metrics. */
export async function deliveryCounts(db: Store): Promise<Record<string, number>> {
  const rows = await selectRows<{ status: string; n: number | string }>(
    db,
    'SELECT status, COUNT(*) AS n FROM notification_deliveries GROUP BY status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
