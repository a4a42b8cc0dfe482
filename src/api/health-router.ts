import { Router } from 'express';
import type { Metrics } from '../observability/metrics.js';
import { ServiceUnavailable } from './problem.js';

export interface HealthDeps {
  metrics: Metrics;
  /** Resolves when the store answers; rejects otherwise. */
  checkDatabase: () => Promise<void>;
}

export function healthRouter({ metrics, checkDatabase }: HealthDeps): Router {
  const router = Router();
  // Liveness: the process serves requests. It must not depend on the database, or an outage
  // there would make the orchestrator restart healthy gateways.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness: this instance can do its work, which needs the database.
  router.get('/readyz', async (req, res) => {
    try {
      await checkDatabase();
    } catch (err) {
      req.log.warn({ err }, 'readiness check failed');
      throw new ServiceUnavailable('The database is not reachable.');
    }
    res.json({ status: 'ready', checks: { database: 'ok' } });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
