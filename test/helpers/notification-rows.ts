/** Subscriptions, events and dead letters made straight in the store, for route tests. */
import { randomBytes } from 'node:crypto';
import { newWebhookSecret } from '../../src/notifications/signature.js';
import type { Store } from '../../src/store/index.js';
import {
  fanOutOutbox,
  insertOutboxEvents,
} from '../../src/store/repositories/notification-outbox.js';
import { createSubscription } from '../../src/store/repositories/notification-subscriptions.js';
import { changeRows, selectRows } from '../../src/store/repositories/sql-statements.js';

export async function webhookSubscription(
  store: Store,
  opts: { ownerState: string; url?: string; stateCode?: string | null },
) {
  return createSubscription(
    store,
    {
      name: `test-${randomBytes(4).toString('hex')}`,
      ownerState: opts.ownerState,
      audience: 'partner',
      channel: 'webhook',
      url: opts.url ?? 'http://127.0.0.1:9/unreachable',
      stateCode: opts.stateCode === undefined ? null : opts.stateCode,
    },
    newWebhookSecret(),
  );
}

/** A delivery of a fresh event to a fresh subscription of `ownerState`, dead-lettered. */
export async function deadDelivery(store: Store, ownerState: string): Promise<number> {
  const subscription = await webhookSubscription(store, { ownerState });
  const key = `test:${randomBytes(8).toString('hex')}`;
  await insertOutboxEvents(store, undefined, [
    { eventType: 'test.event', dedupeKey: key, payload: { n: 1 }, occurredAt: new Date() },
  ]);
  await fanOutOutbox(store, new Date());
  const [row] = await selectRows<{ id: number }>(
    store,
    'SELECT id FROM notification_deliveries WHERE subscription_id = :id',
    { id: subscription.id },
  );
  await changeRows(
    store,
    "UPDATE notification_deliveries SET status = 'dead', attempts = 8 WHERE id = :id",
    { id: row!.id },
  );
  return Number(row!.id);
}
