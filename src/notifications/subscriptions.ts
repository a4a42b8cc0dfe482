/**
 * Registering subscribers and rotating their secrets. A secret is shown once, when made; the
 * previous one keeps signing for `notifications.secretOverlapHours` after a rotation.
 */
import { z } from 'zod';
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import {
  createSubscription,
  getSubscription,
  rotateSubscriptionSecret,
  subscriptionAudiences,
  subscriptionChannels,
  type Subscription,
} from '../store/repositories/notification-subscriptions.js';
import { newWebhookSecret } from './signature.js';

export const subscriptionRequest = z
  .strictObject({
    name: z.string().min(1).max(200),
    audience: z.enum(subscriptionAudiences),
    channel: z.enum(subscriptionChannels),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2000)
      .optional(),
    email: z.email().max(320).optional(),
    state: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    region: z.string().min(1).max(40).optional(),
    districtId: z
      .string()
      .regex(/^[0-9]{7}$/)
      .optional(),
    eventTypes: z
      .array(z.string().regex(/^[a-z][a-z.-]*$/))
      .max(20)
      .optional(),
  })
  .refine((v) => (v.channel === 'webhook' ? Boolean(v.url) : Boolean(v.email)), {
    message: 'a webhook needs url, an e-mail subscription needs email',
    path: ['channel'],
  });
export type SubscriptionRequest = z.infer<typeof subscriptionRequest>;

export async function registerSubscription(
  store: Store,
  ownerState: string,
  request: SubscriptionRequest,
): Promise<{ subscription: Subscription; secret: string | null }> {
  const secret = newWebhookSecret();
  const subscription = await createSubscription(
    store,
    {
      name: request.name,
      ownerState,
      audience: request.audience,
      channel: request.channel,
      url: request.channel === 'webhook' ? (request.url ?? null) : null,
      email: request.channel === 'email' ? (request.email ?? null) : null,
      stateCode: request.state ?? null,
      region: request.region ?? null,
      districtId: request.districtId ?? null,
      eventTypes: request.eventTypes ?? null,
    },
    secret,
  );
  return { subscription, secret: request.channel === 'webhook' ? secret : null };
}

export class SubscriptionNotFound extends Error {}

export async function rotateSecret(
  store: Store,
  config: Config,
  ownerState: string,
  id: number,
  now = new Date(),
): Promise<{ secret: string; previousRetiresAt: Date }> {
  const subscription = await getSubscription(store, id);
  // Another state's subscription is answered like a missing one: its existence is not shown.
  if (!subscription || subscription.ownerState !== ownerState) throw new SubscriptionNotFound();
  const secret = newWebhookSecret();
  const previousRetiresAt = new Date(
    now.getTime() + config.notifications.secretOverlapHours * 3_600_000,
  );
  await rotateSubscriptionSecret(store, id, secret, previousRetiresAt, now);
  return { secret, previousRetiresAt };
}
