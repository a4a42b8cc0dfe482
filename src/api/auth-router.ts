/**
 * Sign-in pages under /auth: pick a state, see who you are, sign out. Each protocol (SAML, OIDC)
 * adds its own routes under /auth/saml/XX and /auth/oidc/XX through `SignInMethod`.
 */
import { Router } from 'express';
import type { ErrorRequestHandler, Response } from 'express';
import type { Config } from '../config/index.js';
import { continuePage, errorPage, loginPage, sessionPage } from '../identity/pages.js';
import { safeReturnTo, SignInRefused, type SignInMethod } from '../identity/sign-in-method.js';
import { csrfTokenOf } from '../identity/session.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/index.js';
import { recordAuditEvent } from '../store/index.js';
import { getAccount } from '../store/repositories/accounts.js';

export function authRouter(deps: {
  config: Config;
  store: Store;
  logger: Logger;
  methods: SignInMethod[];
}): Router {
  const { config, store, methods } = deps;
  const router = Router();

  router.get('/auth/login', (req, res) => {
    const next = safeReturnTo(req.query['next']);
    const states = config.states.map((s) => {
      const method = methods.find((m) => m.state === s.code);
      const href = method
        ? `/auth/${method.protocol}/${s.code}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`
        : null;
      return { code: s.code, name: s.name, href };
    });
    const message = req.query['signedOut'] === '1' ? 'You are signed out.' : undefined;
    res.type('html').send(loginPage(states, message));
  });

  router.get('/auth/session', async (req, res) => {
    const accountId = req.session.accountId;
    const account = accountId === undefined ? null : await getAccount(store, accountId);
    if (!account || account.status === 'disabled') {
      res.redirect(303, '/auth/login?next=%2Fauth%2Fsession');
      return;
    }
    res.type('html').send(sessionPage(account, csrfTokenOf(req)));
  });

  router.post('/auth/logout', async (req, res) => {
    const state = req.session.saml?.state ?? req.session.oidc?.state;
    const method = methods.find((m) => m.state === state);
    const idpLogout = method ? await method.logoutUrl(req).catch(() => null) : null;
    const accountId = req.session.accountId;
    await new Promise<void>((resolve, reject) =>
      req.session.destroy((err: unknown) => (err ? reject(err) : resolve())),
    );
    res.clearCookie(config.identity.session.cookieName, { path: '/' });
    if (accountId !== undefined) {
      await recordAuditEvent(store, {
        actor: `account:${accountId}`,
        actorState: state ?? null,
        action: 'account.sign-out',
        subjectType: 'account',
        subjectId: accountId,
        outcome: 'success',
      });
    }
    if (!idpLogout) {
      res.redirect(303, '/auth/login?signedOut=1');
      return;
    }
    // Not a redirect: CSP form-action would stop a form post from redirecting to the IdP.
    res.type('html').send(continuePage('Signing out', idpLogout));
  });

  for (const method of methods)
    router.use(`/auth/${method.protocol}/${method.state}`, method.router);

  // SAML and OIDC endpoints answer a safe page: the reason goes to the log and the audit trail.
  const signInErrors: ErrorRequestHandler = (err: unknown, req, res, next) => {
    if (!req.path.startsWith('/auth/') || res.headersSent) {
      next(err);
      return;
    }
    const refused = err instanceof SignInRefused ? err : undefined;
    const status = refused?.status ?? (err as { status?: number }).status ?? 500;
    if (!refused && status >= 500) {
      next(err);
      return;
    }
    const reason = refused?.reason ?? (err instanceof Error ? err.message : String(err));
    req.log.warn({ reason, state: refused?.state }, 'sign-in refused');
    void recordAuditEvent(store, {
      actor: 'anonymous',
      actorState: refused?.state ?? null,
      action: 'account.sign-in',
      outcome: 'denied',
      requestId: String(req.id),
      ip: req.ip ?? null,
      detail: { reason: reason.slice(0, 500), path: req.path },
    })
      .catch((auditErr: unknown) => req.log.error({ err: auditErr }, 'audit write failed'))
      .finally(() => sendError(res, status));
  };
  router.use(signInErrors);
  return router;
}

function sendError(res: Response, status: number) {
  res
    .status(status)
    .type('html')
    .send(errorPage('Sign-in failed', 'The sign-in could not be completed. Please try again.'));
}
