/** GET /api/v1/jobs: the jobs, their schedules and their recent runs, for administrators. */
import { Router } from 'express';
import type { Config } from '../config/index.js';
import { jobRegistry } from '../jobs/registry.js';
import { scheduleOf } from '../jobs/scheduler.js';
import type { Store } from '../store/index.js';
import { readJobLeases } from '../store/repositories/job-leases.js';
import { listJobRuns } from '../store/repositories/job-runs.js';
import { BadRequest } from './problem.js';
import { limitOf } from './request-input.js';

export function jobsRouter(config: Config, store: Store): Router {
  const router = Router();
  router.get('/jobs', async (req, res) => {
    const job = req.query['job'];
    if (job !== undefined && !jobRegistry.some((j) => j.name === job)) {
      throw new BadRequest(`job must be one of ${jobRegistry.map((j) => j.name).join(', ')}`);
    }
    const runs = await listJobRuns(store, {
      ...(typeof job === 'string' ? { jobName: job } : {}),
      limit: limitOf(req.query['limit'], 100, 1000),
    });
    res.json({
      jobs: jobRegistry.map((j) => ({
        name: j.name,
        description: j.description,
        ...scheduleOf(config, j),
      })),
      // Who holds each lease now, and the last tick taken.
      leases: await readJobLeases(store),
      runs,
    });
  });
  return router;
}
