/**
 * Browser sessions: express-session with its rows in SQL (every instance sees them; they survive
 * restarts), an HTTP-only SameSite=Lax cookie whose name will not clash with other apps on the same
 * host (cookies ignore the port), Secure when the public URL is https; and a synchronizer CSRF
 * token per session for forms and cookie-authenticated API calls.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Request, RequestHandler } from 'express';
import session, { type SessionData } from 'express-session';
import { HttpProblem } from '../api/problem.js';
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import {
  deleteWebSession,
  readWebSession,
  touchWebSession,
  writeWebSession,
} from '../store/repositories/web-sessions.js';

export class SqlSessionStore extends session.Store {
  constructor(
    private readonly store: Store,
    private readonly maxAgeMs: number,
  ) {
    super();
  }

  private expiry(data: SessionData): Date {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires) : new Date(Date.now() + this.maxAgeMs);
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void) {
    readWebSession(this.store, sid).then(
      (row) => callback(null, row ? (JSON.parse(row.data) as SessionData) : null),
      (err: unknown) => callback(err),
    );
  }

  override set(sid: string, data: SessionData, callback?: (err?: unknown) => void) {
    writeWebSession(this.store, sid, {
      accountId: data.accountId ?? null,
      data: JSON.stringify(data),
      expiresAt: this.expiry(data),
    }).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }

  override destroy(sid: string, callback?: (err?: unknown) => void) {
    deleteWebSession(this.store, sid).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }

  override touch(sid: string, data: SessionData, callback?: () => void) {
    touchWebSession(this.store, sid, this.expiry(data)).then(
      () => callback?.(),
      () => callback?.(),
    );
  }
}

/** The configured secret, or one derived from the signing key so dev needs no extra file. */
export function sessionSecret(config: Config): string {
  if (config.identity.session.secret) return config.identity.session.secret;
  const key = readFileSync(config.identity.signingKeyFile);
  return createHmac('sha256', key).update('continuum session cookie').digest('base64url');
}

export function sessionMiddleware(config: Config, store: Store): RequestHandler {
  const maxAgeMs = config.identity.session.maxAgeMinutes * 60_000;
  return session({
    name: config.identity.session.cookieName,
    secret: sessionSecret(config),
    store: new SqlSessionStore(store, maxAgeMs),
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: {
      httpOnly: true,
      // Lax: sent on top-level navigations (OIDC callback), not on cross-site POSTs; the SAML ACS
      // does not need the earlier session (InResponseTo is checked in SQL) and starts a new one.
      sameSite: 'lax',
      secure: config.server.publicUrl.startsWith('https:'),
      maxAge: maxAgeMs,
      path: '/',
    },
  });
}

export class CsrfTokenInvalid extends HttpProblem {
  constructor() {
    super(403, 'Forbidden', 'Missing or invalid CSRF token.', 'csrf');
  }
}

/** The session's CSRF token, made on first use. */
export function csrfTokenOf(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Unsafe requests carried by a signed-in session cookie must echo the session's token (form
 * field `_csrf` or header `X-CSRF-Token`). Bearer-token calls carry no cookie and are not
 * exposed to CSRF. `exempt` lists paths an identity provider posts to across sites (SAML ACS,
 * SLO): those are protected by the signature and InResponseTo instead.
 */
export function csrfProtection(exempt: (path: string) => boolean): RequestHandler {
  return (req, _res, next) => {
    if (!unsafe.has(req.method) || exempt(req.path) || req.session?.accountId === undefined) {
      next();
      return;
    }
    const expected = req.session.csrfToken;
    const body = req.body as Record<string, unknown> | undefined;
    const given =
      req.get('x-csrf-token') ?? (typeof body?.['_csrf'] === 'string' ? body['_csrf'] : '');
    const a = Buffer.from(given);
    const b = Buffer.from(expected ?? '');
    const ok = expected !== undefined && a.length === b.length && timingSafeEqual(a, b);
    if (!ok) throw new CsrfTokenInvalid();
    next();
  };
}
