/** GET /api/v1/deadlines?state=XX: a state's 34 CFR 200.85 deadlines, for its data administrators. */
import { Router } from 'express';
import type { Config } from '../config/index.js';
import { deadlineList } from '../deadlines/deadline-list.js';
import type { Store } from '../store/index.js';
import { Forbidden } from './auth-problems.js';
import { BadRequest } from './problem.js';
import { oneOf, personOf } from './request-input.js';

export function deadlinesRouter(config: Config, store: Store): Router {
  const router = Router();
  router.get('/deadlines', async (req, res) => {
    const me = personOf(req);
    const code = typeof req.query['state'] === 'string' ? req.query['state'] : me.state;
    if (code !== me.state) throw new Forbidden(`You see deadlines of ${me.state} only.`);
    const state = config.states.find((s) => s.code === code);
    if (!state) throw new BadRequest(`${code} is not a state of this gateway`);
    const status = oneOf('status', req.query['status'], ['met', 'due', 'overdue'] as const);
    const since = req.query['since'];
    if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(since))) {
      throw new BadRequest('since must be a date YYYY-MM-DD');
    }
    const deadlines = await deadlineList(store, state, {
      now: new Date(),
      ...(since ? { sinceDay: String(since) } : {}),
      ...(status ? { status } : {}),
    });
    const summary = { met: 0, due: 0, overdue: 0 };
    for (const d of deadlines) summary[d.status] += 1;
    res.json({ state: code, summary, deadlines });
  });
  return router;
}
