/**
 * The identity layer (issue 5): sessions, who is calling, the access guard, and sign-in through
 * each state's SAML or OIDC identity provider. `initIdentity` builds it; `closeIdentity` stops
 * its timers (metadata refresh, clean-up).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { certsDir, ensureDevKeyPair } from '../../certs/make-dev-certs.js';
import { accountsRouter } from '../api/accounts-router.js';
import { authRouter } from '../api/auth-router.js';
import { reportsRouter } from '../api/reports-router.js';
import { childrenRouter } from '../api/children-router.js';
import { studentRecordsRouter } from '../api/student-records-router.js';
import { worklistRouter } from '../api/worklist-router.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { multipartForm } from '../portal/multipart-form.js';
import type { Store } from '../store/index.js';
import { deleteExpiredWebSessions } from '../store/repositories/web-sessions.js';
import { authenticate, type BearerVerifier } from './authenticate.js';
import { createOidcRp } from './oidc/state-rp.js';
import { createOpenIdProvider } from './provider/index.js';
import { createSamlSp } from './saml/state-sp.js';
import type { SignInMethod } from './sign-in-method.js';
import { csrfProtection, sessionMiddleware } from './session.js';

export interface Identity {
  /** Session, principal and CSRF check: mount before every router. */
  middleware: RequestHandler[];
  /** /auth/* (and /oidc once the provider is on). */
  router: Router;
  /** Mounted at /api/v1: /me, /accounts, /audit-events, /student-records, /children, /worklist. */
  apiRouter: Router;
  close(): Promise<void>;
}

export interface IdentityParts {
  methods: SignInMethod[];
  verifyBearer?: BearerVerifier;
  extraRouters?: Router[];
  closers?: Array<() => Promise<void> | void>;
}

/** Cross-site posts from identity providers: protected by signature and InResponseTo instead. */
const csrfExempt = (path: string) =>
  /^\/auth\/saml\/[A-Z]{2}\/(acs|slo)$/.test(path) ||
  // oidc-provider's own endpoints: no cookie auth of ours, its forms carry their own xsrf token.
  path.startsWith('/oidc/');

/**
 * Form posts to /auth (sign-out, SAML ACS and SLO) and the portal's forms, parsed before the CSRF
 * check reads their `_csrf` field; 512 kB holds any sane SAML response.
 */
const formParser = express.urlencoded({ extended: false, limit: '512kb' });
/** A portal form with a file (multipart) is parsed likewise, for signed-in callers only. */
const portalFileForms = multipartForm();
const authForms: RequestHandler = (req, res, next) => {
  if (req.path.startsWith('/portal/') && req.is('multipart/form-data')) {
    portalFileForms(req, res, next);
  } else if (req.path.startsWith('/auth/') || req.path.startsWith('/portal/')) {
    formParser(req, res, next);
  } else next();
};

export function buildIdentity(
  config: Config,
  store: Store,
  logger: Logger,
  parts: IdentityParts,
): Identity {
  const sweep = setInterval(() => {
    deleteExpiredWebSessions(store).catch((err: unknown) =>
      logger.warn({ err }, 'expired session clean-up failed'),
    );
  }, 3_600_000);
  sweep.unref();
  const api = accountsRouter(store);
  api.use(studentRecordsRouter(store));
  api.use(reportsRouter(config, store));
  api.use(childrenRouter(store));
  api.use(worklistRouter(store, config.linkage));
  const router = authRouter({ config, store, logger, methods: parts.methods });
  for (const extra of parts.extraRouters ?? []) router.use(extra);
  return {
    middleware: [
      sessionMiddleware(config, store),
      authenticate(store, parts.verifyBearer),
      authForms,
      csrfProtection(csrfExempt),
    ],
    router,
    apiRouter: api,
    async close() {
      clearInterval(sweep);
      for (const close of parts.closers ?? []) await close();
    },
  };
}

/** The development key pair is made on first run (as `npm start` does); never in production. */
async function ensureSigningKey(config: Config): Promise<void> {
  const key = path.resolve(config.identity.signingKeyFile);
  if (existsSync(key)) return;
  if (key !== path.join(certsDir, 'dev-signing.key') || config.env === 'production') {
    throw new Error(`identity.signingKeyFile ${config.identity.signingKeyFile} does not exist`);
  }
  await ensureDevKeyPair();
}

export async function initIdentity(
  config: Config,
  store: Store,
  logger: Logger,
): Promise<Identity> {
  await ensureSigningKey(config);
  const methods: SignInMethod[] = [];
  const closers: Array<() => void> = [];
  for (const state of config.states) {
    const idp = state.identityProvider;
    if (idp.type === 'saml') {
      const sp = createSamlSp(config, store, logger, { ...state, identityProvider: idp });
      // An IdP that is down at start-up does not stop the gateway: its metadata loads later.
      await sp.refresh();
      methods.push(sp.method);
      closers.push(() => sp.close());
    } else if (idp.type === 'oidc') {
      methods.push(createOidcRp(config, store, logger, { ...state, identityProvider: idp }));
    }
  }
  if (!config.identity.provider.enabled) {
    return buildIdentity(config, store, logger, { methods, closers });
  }
  const op = await createOpenIdProvider(config, store, logger, methods);
  closers.push(() => op.close());
  return buildIdentity(config, store, logger, {
    methods,
    closers,
    verifyBearer: op.verifyBearer,
    extraRouters: [op.router],
  });
}

export async function closeIdentity(identity: Identity): Promise<void> {
  await identity.close();
}
