/**
 * One delivery pass: fan new outbox events out to their subscribers, then claim due deliveries
 * in batches and send them (webhooks signed per Standard Webhooks, e-mail over SMTP), recording
 * each outcome; a failure is retried on the backoff schedule, then dead-lettered.
 */
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/index.js';
import {
  claimDueDeliveries,
  fanOutOutbox,
  recordDeliveryOutcomes,
  type ClaimedDelivery,
  type DeliveryFailure,
} from '../store/repositories/notification-outbox.js';
import { activeSecrets } from '../store/repositories/notification-subscriptions.js';
import { createEmailSender, emailText, type EmailSender } from './email.js';
import { payloadFor, webhookBody } from './payload.js';
import { nextAttemptAt } from './retry-schedule.js';
import { webhookHeaders } from './signature.js';
import { createWebhookAgent, type WebhookAgent } from './webhook-sender.js';

export interface DeliveryPassCounts extends Record<string, number> {
  eventsFannedOut: number;
  deliveriesMade: number;
  delivered: number;
  failed: number;
  deadLettered: number;
}

class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export function portalUrlOf(config: Config): string {
  return config.notifications.portalUrl ?? `${config.server.publicUrl.replace(/\/$/, '')}/portal`;
}

async function sendWebhook(
  agent: WebhookAgent,
  d: ClaimedDelivery,
  secrets: readonly string[],
  body: string,
  timeoutMs: number,
): Promise<void> {
  if (!d.url) throw new DeliveryError('the subscription has no URL');
  if (secrets.length === 0) throw new DeliveryError('the subscription has no active secret');
  const timestamp = Math.floor(Date.now() / 1000);
  let status: number;
  try {
    status = await agent.post(
      d.url,
      {
        'content-type': 'application/json',
        ...webhookHeaders(secrets, d.eventId, timestamp, body),
      },
      body,
      timeoutMs,
    );
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new DeliveryError(`${(err as Error).message}${code ? ` (${code})` : ''}`);
  }
  if (status < 200 || status >= 300) {
    throw new DeliveryError(`the endpoint answered ${status}`, status);
  }
}

const LINGER_POLL_MS = 250;

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) await work(item);
    }
  });
  await Promise.all(workers);
}

export async function runDeliveryPass(
  store: Store,
  config: Config,
  logger: Logger,
  signal: AbortSignal,
  opts: { maxMs?: number; lingerSeconds?: number } = {},
): Promise<DeliveryPassCounts> {
  const settings = config.notifications;
  const counts: DeliveryPassCounts = {
    eventsFannedOut: 0,
    deliveriesMade: 0,
    delivered: 0,
    failed: 0,
    deadLettered: 0,
  };
  const started = Date.now();
  const maxMs = opts.maxMs ?? config.jobs.leaseTtlSeconds * 1000 * 5;
  const portalUrl = portalUrlOf(config);
  const timeoutMs = settings.requestTimeoutSeconds * 1000;
  let email: EmailSender | undefined;
  const agent = createWebhookAgent(settings.concurrency);
  try {
    const lingerUntil = started + (opts.lingerSeconds ?? settings.lingerSeconds) * 1000;
    while (!signal.aborted && Date.now() - started < maxMs) {
      for (;;) {
        const fan = await fanOutOutbox(store, new Date(), 5000);
        counts.eventsFannedOut += fan.events;
        counts.deliveriesMade += fan.deliveries;
        if (fan.events === 0) break;
      }
      const now = new Date();
      // Long enough for every request of the batch to time out once; a crashed instance's
      // claims free themselves after it.
      const claimMs = Math.ceil(settings.batchSize / settings.concurrency) * timeoutMs + 5_000;
      const claimedUntil = now.getTime() + claimMs;
      const { token, deliveries } = await claimDueDeliveries(store, {
        now,
        claimMs,
        limit: settings.batchSize,
      });
      if (deliveries.length === 0) {
        // Nothing due: poll on while lingering, so a new event need not wait for the next tick.
        if (Date.now() + LINGER_POLL_MS >= lingerUntil) break;
        await abortableSleep(LINGER_POLL_MS, signal);
        continue;
      }
      const secrets = await activeSecrets(
        store,
        deliveries.map((d) => d.subscriptionId),
        now,
      );
      const delivered: number[] = [];
      const failed: DeliveryFailure[] = [];
      await inPool(deliveries, settings.concurrency, async (d) => {
        // Past its claim another instance may take the row: leave it, unrecorded, for then.
        if (signal.aborted || Date.now() + timeoutMs > claimedUntil) return;
        const data = payloadFor(d.audience, d.payload, portalUrl, d.childId);
        try {
          if (d.channel === 'webhook') {
            const body = webhookBody(d.eventType, d.occurredAt, data);
            await sendWebhook(agent, d, secrets.get(d.subscriptionId) ?? [], body, timeoutMs);
          } else {
            if (!settings.smtp) throw new DeliveryError('no SMTP relay is configured');
            if (!d.email) throw new DeliveryError('the subscription has no e-mail address');
            email ??= createEmailSender(settings.smtp);
            const { subject, text } = emailText(d.eventType, data);
            await email.send(d.email, subject, text, d.eventId);
          }
          delivered.push(d.deliveryId);
        } catch (err) {
          const next = nextAttemptAt(
            d.attempts + 1,
            new Date(),
            settings.retryDelaysSeconds,
            settings.jitter,
          );
          if (!next) counts.deadLettered++;
          failed.push({
            deliveryId: d.deliveryId,
            nextAttemptAt: next,
            status: err instanceof DeliveryError ? err.status : null,
            error: err instanceof Error ? err.message : String(err),
          });
        }
      });
      await recordDeliveryOutcomes(store, token, new Date(), delivered, failed);
      counts.delivered += delivered.length;
      counts.failed += failed.length;
      if (failed.length > 0) {
        logger.debug({ failed: failed.length, delivered: delivered.length }, 'delivery round');
      }
    }
  } finally {
    email?.close();
    agent.close();
  }
  return counts;
}
