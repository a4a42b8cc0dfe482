/**
 * Move notices: a primary user sends one for a child (POST); the receiving state's recruiters
 * list the notices to their state (GET), each a lead to find and enrol the child.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config/index.js';
import {
  recruiterLeads,
  sendMoveNotice,
  UnknownChild,
  UnknownState,
} from '../moves/move-notices.js';
import type { Store } from '../store/index.js';
import { isValidChildId } from '../store/index.js';
import { BadRequest, NotFound } from './problem.js';
import { oneOf, parseBody, personOf } from './request-input.js';

const moveNoticeRequest = z.strictObject({
  departureDate: z.iso.date({ error: 'must be a date YYYY-MM-DD' }),
  destinationState: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter state code'),
  destinationCity: z.string().min(1).max(255).optional(),
  forwardingAddress: z.string().min(1).max(1000).optional(),
  comment: z.string().min(1).max(2000).optional(),
});

export function movesRouter(config: Config, store: Store): Router {
  const router = Router();
  router.post('/children/:childId/move-notices', async (req, res) => {
    const me = personOf(req);
    const childId = String(req.params['childId']);
    if (!isValidChildId(childId)) throw new BadRequest('childId must be a 12-digit child id');
    const input = parseBody(moveNoticeRequest, req.body);
    try {
      const notice = await sendMoveNotice(store, config, {
        childId,
        fromState: me.state,
        toState: input.destinationState,
        toCity: input.destinationCity ?? null,
        departureDate: input.departureDate,
        forwardingAddress: input.forwardingAddress ?? null,
        comment: input.comment ?? null,
        createdBy: me.actor,
      });
      res.status(201).json({ notice });
    } catch (err) {
      if (err instanceof UnknownChild) throw new NotFound(`No child ${childId}.`);
      if (err instanceof UnknownState) {
        throw new BadRequest(`${input.destinationState} is not a state of this gateway`, [
          { path: 'destinationState', reason: 'unknown state' },
        ]);
      }
      throw err;
    }
  });
  router.get('/move-notices', async (req, res) => {
    const me = personOf(req);
    const status = oneOf('status', req.query['status'], ['open', 'enrolled'] as const);
    res.json({ state: me.state, notices: await recruiterLeads(store, me.state, status) });
  });
  return router;
}
