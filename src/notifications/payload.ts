/**
 * What a subscriber receives: the event, cut to what its audience may see, plus a link to the
 * child in the portal. FERPA (34 CFR 99.31) allows disclosure to schools and state programs with
 * a legitimate interest; health and medical facts go to schools only, never to a partner agency
 * or a state office that does not serve the child directly.
 */
import type { SubscriptionAudience } from '../store/repositories/notification-subscriptions.js';

/** Keys of an event payload that only a school may receive. */
export const schoolOnlyKeys = ['health'] as const;

export function payloadFor(
  audience: SubscriptionAudience,
  payload: Record<string, unknown>,
  portalUrl: string,
  childId: string | null,
): Record<string, unknown> {
  const data = Object.fromEntries(
    Object.entries(payload).filter(
      ([key]) => audience === 'school' || !(schoolOnlyKeys as readonly string[]).includes(key),
    ),
  );
  if (childId) data['portalUrl'] = `${portalUrl.replace(/\/$/, '')}/children/${childId}`;
  return data;
}

/** The Standard Webhooks body: `{ type, timestamp, data }`. */
export function webhookBody(
  eventType: string,
  occurredAt: Date,
  data: Record<string, unknown>,
): string {
  return JSON.stringify({ type: eventType, timestamp: occurredAt.toISOString(), data });
}
