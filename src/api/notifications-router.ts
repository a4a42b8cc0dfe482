/**
 * Subscriptions and deliveries, for a state's administrators and their state's subscriptions:
 * register, list, rotate a secret; see deliveries (dead letters) and resend one.
 */
import { Router } from 'express';
import type { Config } from '../config/index.js';
import {
  registerSubscription,
  rotateSecret,
  subscriptionRequest,
  SubscriptionNotFound,
} from '../notifications/subscriptions.js';
import type { Store } from '../store/index.js';
import { listDeliveries, resendDelivery } from '../store/repositories/notification-outbox.js';
import { listSubscriptions } from '../store/repositories/notification-subscriptions.js';
import { NotFound } from './problem.js';
import { limitOf, oneOf, parseBody, personOf, positiveId } from './request-input.js';

const deliveryStatuses = ['pending', 'delivered', 'dead'] as const;

export function notificationsRouter(config: Config, store: Store): Router {
  const router = Router();
  router.get('/subscriptions', async (req, res) => {
    const me = personOf(req);
    res.json({ subscriptions: await listSubscriptions(store, me.state) });
  });
  router.post('/subscriptions', async (req, res) => {
    const me = personOf(req);
    const input = parseBody(subscriptionRequest, req.body);
    const { subscription, secret } = await registerSubscription(store, me.state, input);
    res.status(201).json({ subscription, ...(secret ? { secret } : {}) });
  });
  router.post('/subscriptions/:id/rotate-secret', async (req, res) => {
    const me = personOf(req);
    const id = positiveId(req.params['id']);
    try {
      res.json(await rotateSecret(store, config, me.state, id));
    } catch (err) {
      if (err instanceof SubscriptionNotFound) throw new NotFound(`No subscription ${id}.`);
      throw err;
    }
  });
  router.get('/notifications/deliveries', async (req, res) => {
    const me = personOf(req);
    const status = oneOf('status', req.query['status'], deliveryStatuses);
    const deliveries = await listDeliveries(store, {
      ownerState: me.state,
      ...(status ? { status } : {}),
      limit: limitOf(req.query['limit'], 100, 1000),
    });
    res.json({ deliveries });
  });
  router.post('/notifications/deliveries/:id/resend', async (req, res) => {
    const me = personOf(req);
    const id = positiveId(req.params['id']);
    const ok = await resendDelivery(store, { id, ownerState: me.state, now: new Date() });
    if (!ok) throw new NotFound(`No dead-lettered delivery ${id} of your state's subscriptions.`);
    res.status(202).json({ id, status: 'pending' });
  });
  return router;
}
