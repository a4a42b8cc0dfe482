/**
 * `createApp` builds the Express app and never listens (the entry point does), so tests can run
 * the whole HTTP surface in-process with supertest.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { notFoundHandler, problemHandler } from './api/error-handler.js';
import { deadlinesRouter } from './api/deadlines-router.js';
import { healthRouter } from './api/health-router.js';
import { jobsRouter } from './api/jobs-router.js';
import { movesRouter } from './api/moves-router.js';
import { notificationsRouter } from './api/notifications-router.js';
import { submissionsRouter } from './api/submissions-router.js';
import { surveyReportPagesRouter, surveyReportsRouter } from './api/survey-reports-router.js';
import { v1Router } from './api/v1-router.js';
import type { Config } from './config/index.js';
import { accessGuard } from './identity/access-guard.js';
import type { Identity } from './identity/index.js';
import type { Logger } from './observability/logger.js';
import {
  portalAssetsRouter,
  portalErrorHandler,
  portalGuard,
  portalRouter,
} from './portal/index.js';
import type { Store } from './store/index.js';
import { createMetrics, type Metrics } from './observability/metrics.js';

export interface AppDeps {
  logger: Logger;
  checkDatabase: () => Promise<void>;
  metrics?: Metrics;
  /** Sessions, sign-in and the routes that need them (absent: only public routes work). */
  identity?: Identity;
  /** The SQL store; without it, routes that need data (submissions) are not mounted. */
  store?: Store;
  /** The clock survey-report embargoes are judged by (default: the system clock). */
  now?: () => Date;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

export function createApp(config: Config, deps: AppDeps): Express {
  const metrics = deps.metrics ?? createMetrics();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trustProxy);

  app.use(
    pinoHttp({
      logger: deps.logger,
      // Keep a caller's id when it is safe to echo; otherwise make one.
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  app.use((req, res, next) => {
    const end = metrics.httpRequestDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      end({
        route: route ? `${req.baseUrl}${route}` : 'unmatched',
        status: String(res.statusCode),
      });
    });
    next();
  });
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  // Security headers. Pages load styles, fonts, images and scripts from this origin only, and
  // carry no inline script or style; plain-http development must not be upgraded to https.
  const https = config.server.publicUrl.startsWith('https:');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'style-src': ["'self'"],
          'font-src': ["'self'"],
          'upgrade-insecure-requests': https ? [] : null,
        },
      },
    }),
  );
  // The portal's style sheets, fonts and images: before sessions, so they cost no session read.
  app.use(portalAssetsRouter());
  // Session and caller (no body parsing): every router below, uploads included, sees req.principal.
  if (deps.identity) app.use(deps.identity.middleware);
  // Before the JSON parser: a submission is the raw file, streamed, whatever its Content-Type.
  if (deps.store) app.use('/api/v1', submissionsRouter(config, deps.store));
  app.use(express.json({ limit: '1mb' }));
  // The role x route matrix, on every request (src/identity/access-matrix.ts); the uploads router
  // above enforces its rows itself with requireStateSystem.
  app.use(accessGuard());
  // The portal's page table, likewise before any router: default deny under /portal.
  if (deps.identity && deps.store) app.use(portalGuard());
  if (deps.identity) {
    app.use(deps.identity.router);
    app.use('/api/v1', deps.identity.apiRouter);
  }
  // Jobs, notifications, moves and deadlines: signed-in people only (the access matrix).
  if (deps.identity && deps.store) {
    app.use('/api/v1', jobsRouter(config, deps.store));
    app.use('/api/v1', notificationsRouter(config, deps.store));
    app.use('/api/v1', movesRouter(config, deps.store));
    app.use('/api/v1', deadlinesRouter(config, deps.store));
  }

  app.use(healthRouter({ metrics, checkDatabase: deps.checkDatabase }));
  app.use('/api/v1', v1Router(config));
  if (deps.store) {
    // Survey reports: JSON/CSV under /api/v1, the public HTML page at /reports/survey/...
    app.use('/api/v1', surveyReportsRouter(config, deps.store, { now: deps.now }));
    app.use(surveyReportPagesRouter(config, deps.store, { now: deps.now }));
  }
  // The web portal needs sign-in and data; portalGuard above has checked every /portal request.
  if (deps.identity && deps.store) {
    app.use(portalRouter(deps.store, { config, ...(deps.now ? { now: deps.now } : {}) }));
  }

  app.use(notFoundHandler);
  app.use(portalErrorHandler);
  app.use(problemHandler);
  return app;
}
