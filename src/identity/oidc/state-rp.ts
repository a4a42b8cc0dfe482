/**
 * Continuum as the OpenID Connect relying party of one state (openid-client 6): authorization
 * code with PKCE (S256), state and nonce kept in the session, ID token checked for issuer,
 * audience (string or array), expiry with the configured skew, nonce and signature, and its
 * `alg` from the state's allow-list — `none` is refused even when the provider advertises it.
 */
import { Router, type Request } from 'express';
import * as oidc from 'openid-client';
import { SignInRefused, type SignInMethod } from '../sign-in-method.js';
import type { Config, OidcIdentityProviderConfig, StateConfig } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/index.js';
import { signInRateLimit } from '../rate-limits.js';
import { completeSignIn, firstValue, valuesOf } from '../sign-in.js';

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The JOSE header's `alg` of a compact JWS (read after openid-client verified the token). */
export function jwsAlgorithm(jwt: string): string | undefined {
  const [header] = jwt.split('.');
  try {
    return (JSON.parse(Buffer.from(header ?? '', 'base64url').toString()) as { alg?: string }).alg;
  } catch {
    return undefined;
  }
}

/** openid-client's message, its code and the claim or parameter it is about, for the log. */
function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; error?: string; cause?: unknown };
  const cause = e.cause as { claim?: string; parameter?: string; message?: string } | undefined;
  const about = cause?.claim ?? cause?.parameter;
  return [e.message, e.code, e.error, about ? `"${about}"` : cause?.message]
    .filter(Boolean)
    .join('; ');
}

export function createOidcRp(
  config: Config,
  store: Store,
  logger: Logger,
  state: StateConfig & { identityProvider: OidcIdentityProviderConfig },
): SignInMethod {
  const idp = state.identityProvider;
  const code = state.code;
  const base = `${config.server.publicUrl.replace(/\/$/, '')}/auth/oidc/${code}`;
  const redirectUri = `${base}/callback`;
  const log = logger.child({ state: code, idp: 'oidc' });
  let discovered: Promise<oidc.Configuration> | undefined;

  function configuration(): Promise<oidc.Configuration> {
    if (!discovered) {
      const issuer = new URL(idp.issuer);
      // Plain http only to a provider on this machine (tests, the demo).
      if (issuer.protocol === 'http:' && !loopback.has(issuer.hostname)) {
        return Promise.reject(new SignInRefused(code, 'OIDC issuer must use https', 503));
      }
      const secret = idp.clientSecretEnv ? process.env[idp.clientSecretEnv] : undefined;
      if (idp.clientSecretEnv && !secret) {
        return Promise.reject(
          new SignInRefused(code, `environment variable ${idp.clientSecretEnv} is not set`, 503),
        );
      }
      const execute = [oidc.enableNonRepudiationChecks];
      if (issuer.protocol === 'http:') execute.push(oidc.allowInsecureRequests);
      discovered = oidc.discovery(
        issuer,
        idp.clientId,
        { [oidc.clockTolerance]: config.identity.clockSkewSeconds },
        secret ? oidc.ClientSecretPost(secret) : oidc.None(),
        { execute, timeout: 10 },
      );
      // A provider that was down is asked again next time.
      discovered.catch((err: unknown) => {
        log.error({ err }, 'OIDC discovery failed');
        discovered = undefined;
      });
    }
    return discovered;
  }

  const router = Router();
  const limit = signInRateLimit(config);

  router.get('/login', limit, async (req, res) => {
    const client = await configuration().catch((err: unknown) => {
      throw err instanceof SignInRefused
        ? err
        : new SignInRefused(code, 'provider unavailable', 503);
    });
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pending = {
      state: code,
      codeVerifier,
      nonce: oidc.randomNonce(),
      oauthState: oidc.randomState(),
    };
    req.session.oidcPending = pending;
    const next = typeof req.query['next'] === 'string' ? req.query['next'] : undefined;
    if (next) req.session.returnTo = next;
    const url = oidc.buildAuthorizationUrl(client, {
      redirect_uri: redirectUri,
      scope: idp.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.oauthState,
      nonce: pending.nonce,
    });
    await new Promise<void>((resolve, reject) =>
      req.session.save((err: unknown) => (err ? reject(err) : resolve())),
    );
    res.redirect(302, url.href);
  });

  router.get('/callback', limit, async (req, res) => {
    const pending = req.session.oidcPending;
    const returnTo = req.session.returnTo;
    delete req.session.oidcPending;
    delete req.session.returnTo;
    // One answer per sign-in attempt, for the state it was started for.
    if (!pending || pending.state !== code) throw new SignInRefused(code, 'no sign-in pending');
    const client = await configuration();
    const currentUrl = new URL(req.originalUrl, config.server.publicUrl);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(client, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.oauthState,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw new SignInRefused(code, describe(err));
    }
    const idToken = tokens.id_token ?? '';
    const alg = jwsAlgorithm(idToken);
    // The allow-list, whatever the provider advertises: never `none`, never an HMAC.
    if (!alg || !(idp.idTokenAlgorithms as readonly string[]).includes(alg)) {
      throw new SignInRefused(code, `ID token algorithm not allowed: ${String(alg)}`);
    }
    const claims = tokens.claims();
    if (!claims) throw new SignInRefused(code, 'no ID token claims');
    let all: Record<string, unknown> = { ...claims };
    if (client.serverMetadata().userinfo_endpoint) {
      const info = await oidc
        .fetchUserInfo(client, tokens.access_token, claims.sub)
        .catch(() => ({}));
      // ID token claims win over userinfo ones.
      all = { ...info, ...claims };
    }
    const map = idp.claims;
    const read = (key: string | undefined) => (key ? firstValue(all[key]) : null);
    const subject = map.subject ? read(map.subject) : claims.sub;
    if (!subject) throw new SignInRefused(code, 'no subject');
    await completeSignIn(
      req,
      res,
      store,
      {
        state: code,
        subject,
        email: read(map.email ?? 'email'),
        // A provider without given_name (LemonLDAP::NG's demo) still gives a display name.
        firstName: read(map.firstName ?? 'given_name') ?? read('name'),
        lastName: read(map.lastName ?? 'family_name'),
        district: read(map.district),
        groups: map.groups ? valuesOf(all[map.groups]) : [],
      },
      idp.roles,
      { oidc: { state: code, idToken } },
      returnTo,
    );
  });

  return {
    state: code,
    protocol: 'oidc',
    router,
    async logoutUrl(req: Request) {
      const facts = req.session.oidc;
      if (!facts) return null;
      const client = await configuration();
      if (!client.serverMetadata().end_session_endpoint) return null;
      return oidc.buildEndSessionUrl(client, {
        id_token_hint: facts.idToken,
        post_logout_redirect_uri: `${config.server.publicUrl.replace(/\/$/, '')}/auth/login?signedOut=1`,
      }).href;
    },
  };
}
