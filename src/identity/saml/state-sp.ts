/**
 * Continuum as the SAML service provider of one state: a passport-saml strategy built from the
 * state IdP's metadata (reloaded on a schedule), with signed AuthnRequests, InResponseTo always
 * checked against request ids in SQL, a bounded clock skew, assertion replay refused on any
 * instance, per-state SP metadata, and single logout.
 */
import { readFileSync } from 'node:fs';
import {
  generateServiceProviderMetadata,
  Strategy,
  ValidateInResponseTo,
  type PassportSamlConfig,
  type Profile,
  type VerifiedCallback,
  type VerifyWithRequest,
} from '@node-saml/passport-saml';
import { Router, type NextFunction, type Request, type Response } from 'express';
import passport from 'passport';
import { SignInRefused, type SignInMethod } from '../sign-in-method.js';
import type { Config, SamlIdentityProviderConfig, StateConfig } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/index.js';
import {
  consumeSamlAssertion,
  removeExpiredSamlAssertions,
} from '../../store/repositories/saml-message-ids.js';
import type { IdpIdentity } from '../accounts.js';
import { signInRateLimit } from '../rate-limits.js';
import { completeSignIn, firstValue, valuesOf } from '../sign-in.js';
import { loadIdpMetadata, type IdpMetadata } from './metadata.js';
import { SqlRequestCache } from './request-cache.js';
import {
  checkVerifiedAssertion,
  preflightSamlResponse,
  type ExpectedResponse,
} from './response-checks.js';

/** How long an AuthnRequest may wait for its answer. */
const REQUEST_LIFETIME_MS = 10 * 60_000;
/** Upper bound on an assertion's age, whatever its NotOnOrAfter says. */
const MAX_ASSERTION_AGE_MS = 30 * 60_000;

interface SamlUser extends Record<string, unknown> {
  identity: IdpIdentity;
  saml: { state: string; nameID: string; nameIDFormat: string; sessionIndex?: string };
}

export interface SamlSp {
  method: SignInMethod;
  /** Loads the metadata now (start-up and tests); false when it could not be loaded. */
  refresh(): Promise<boolean>;
  close(): void;
}

export function samlSpUrls(config: Config, state: string) {
  const base = `${config.server.publicUrl.replace(/\/$/, '')}/auth/saml/${state}`;
  return { entityId: `${base}/metadata`, acsUrl: `${base}/acs`, sloUrl: `${base}/slo` };
}

export function createSamlSp(
  config: Config,
  store: Store,
  logger: Logger,
  state: StateConfig & { identityProvider: SamlIdentityProviderConfig },
): SamlSp {
  const idp = state.identityProvider;
  const code = state.code;
  const urls = samlSpUrls(config, code);
  const privateKey = readFileSync(config.identity.signingKeyFile, 'utf8');
  const publicCert = readFileSync(config.identity.signingCertFile, 'utf8');
  const skewMs = config.identity.clockSkewSeconds * 1000;
  const cache = new SqlRequestCache(store, REQUEST_LIFETIME_MS);
  const auth = new passport.Passport();
  const name = `saml-${code}`;
  let metadata: IdpMetadata | null = null;
  let strategy: Strategy | null = null;
  const log = logger.child({ state: code, idp: 'saml' });

  function options(md: IdpMetadata): PassportSamlConfig {
    return {
      name,
      passReqToCallback: true,
      issuer: urls.entityId,
      callbackUrl: urls.acsUrl,
      logoutCallbackUrl: urls.sloUrl,
      entryPoint: md.ssoRedirectUrl,
      ...(md.sloRedirectUrl ? { logoutUrl: md.sloRedirectUrl } : {}),
      idpIssuer: md.entityId,
      // Read at each check, so refreshed metadata applies at once.
      idpCert: (cb) => cb(null, metadata?.signingCerts ?? md.signingCerts),
      audience: urls.entityId,
      // Signed AuthnRequests (SHA-256); assertions decrypted with the same key pair.
      privateKey,
      publicCert,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      decryptionPvk: privateKey,
      // Never neither: one of the two is always required (config allows only these).
      wantAssertionsSigned: idp.signed === 'assertion',
      wantAuthnResponseSigned: idp.signed === 'response',
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: REQUEST_LIFETIME_MS,
      cacheProvider: cache,
      acceptedClockSkewMs: skewMs,
      maxAssertionAgeMs: MAX_ASSERTION_AGE_MS,
      identifierFormat: null,
      disableRequestedAuthnContext: true,
    };
  }

  const expected = (md: IdpMetadata): ExpectedResponse => ({
    acsUrl: urls.acsUrl,
    idpEntityId: md.entityId,
    requireEncrypted: idp.requireEncryptedAssertions,
  });

  // After node-saml verified the signature: read only the verified assertion.
  async function verifySignOn(req: Request, profile: Profile | null, done: VerifiedCallback) {
    try {
      if (!profile || !metadata) throw new Error('no verified assertion');
      const assertion = checkVerifiedAssertion(profile, expected(metadata), MAX_ASSERTION_AGE_MS);
      const fresh = await consumeSamlAssertion(store, {
        issuer: assertion.issuer,
        id: assertion.id,
        stateCode: code,
        expiresAt: new Date(assertion.notOnOrAfter.getTime() + skewMs),
      });
      // SAML profiles 4.1.4.5: a bearer assertion is used once, on any instance.
      if (!fresh) throw new Error('assertion replayed');
      const attrs = (profile.attributes ?? {}) as Record<string, unknown>;
      const map = idp.attributes;
      const read = (key: string | undefined) => (key ? firstValue(attrs[key]) : null);
      const subject = map.subject ? read(map.subject) : profile.nameID;
      if (!subject) throw new Error('no subject');
      const user: SamlUser = {
        identity: {
          state: code,
          subject,
          email: read(map.email) ?? (typeof profile.email === 'string' ? profile.email : null),
          firstName: read(map.firstName),
          lastName: read(map.lastName),
          district: read(map.district),
          groups: map.groups ? valuesOf(attrs[map.groups]) : [],
        },
        saml: {
          state: code,
          nameID: profile.nameID,
          nameIDFormat: profile.nameIDFormat,
          ...(profile.sessionIndex ? { sessionIndex: profile.sessionIndex } : {}),
        },
      };
      done(null, user);
    } catch (err) {
      done(err as Error);
    }
  }

  // IdP-initiated single logout: answer success only for the session it names.
  function verifyLogout(req: Request, profile: Profile | null, done: VerifiedCallback) {
    const mine = req.session.saml;
    const matches = Boolean(profile && mine && mine.nameID === profile.nameID);
    done(null, matches ? (req.user as Record<string, unknown>) : { nameID: profile?.nameID });
  }

  async function refresh(): Promise<boolean> {
    try {
      const md = await loadIdpMetadata(idp, idp.metadataSigningCertFile);
      metadata = md;
      // passport-saml is typed against Express 4; the request objects are the same at run time.
      strategy = new Strategy(
        options(md),
        verifySignOn as unknown as VerifyWithRequest,
        verifyLogout as unknown as VerifyWithRequest,
      );
      auth.use(name, strategy as unknown as passport.Strategy);
      return true;
    } catch (err) {
      log.error({ err }, 'SAML IdP metadata could not be loaded; keeping the previous one');
      return false;
    }
  }

  const timer = setInterval(() => void refresh(), idp.metadataRefreshMinutes * 60_000);
  timer.unref();
  const sweep = setInterval(() => {
    cache.sweep().catch(() => undefined);
    removeExpiredSamlAssertions(store).catch(() => undefined);
  }, REQUEST_LIFETIME_MS);
  sweep.unref();

  async function requireMetadata(): Promise<IdpMetadata> {
    // The IdP was down at start-up: try again now rather than at the next scheduled refresh.
    if (!metadata) await refresh();
    if (!metadata) throw new SignInRefused(code, 'IdP metadata not loaded', 503);
    return metadata;
  }

  function setSamlUser(req: Request) {
    const facts = req.session.saml;
    (req as Request & { user?: unknown }).user = facts
      ? { nameID: facts.nameID, nameIDFormat: facts.nameIDFormat, sessionIndex: facts.sessionIndex }
      : undefined;
  }

  const router = Router();
  router.use(auth.initialize());
  const limit = signInRateLimit(config);

  router.get('/metadata', (_req, res) => {
    const xml = generateServiceProviderMetadata({
      issuer: urls.entityId,
      callbackUrl: urls.acsUrl,
      logoutCallbackUrl: urls.sloUrl,
      identifierFormat: null,
      wantAssertionsSigned: true,
      privateKey,
      publicCerts: publicCert,
      decryptionPvk: privateKey,
      decryptionCert: publicCert,
      signatureAlgorithm: 'sha256',
    });
    res.type('application/samlmetadata+xml').send(xml);
  });

  router.get('/login', limit, async (req: Request, res: Response, next: NextFunction) => {
    await requireMetadata();
    // passport-saml reads RelayState from the query or the body; Express 5's query is read-only.
    req.body = { RelayState: typeof req.query['next'] === 'string' ? req.query['next'] : '' };
    auth.authenticate(name, { session: false })(req, res, next);
  });

  router.post('/acs', limit, async (req: Request, res: Response, next: NextFunction) => {
    const md = await requireMetadata();
    const body = req.body as Record<string, unknown>;
    preflightSamlResponse(body['SAMLResponse'], expected(md), privateKey).then(
      () => verifyWithNodeSaml(req, res, next, body),
      (err: unknown) => next(new SignInRefused(code, (err as Error).message)),
    );
  });

  function verifyWithNodeSaml(
    req: Request,
    res: Response,
    next: NextFunction,
    body: Record<string, unknown>,
  ) {
    auth.authenticate(name, { session: false }, (err: Error | null, user?: SamlUser | false) => {
      if (err || !user) {
        next(new SignInRefused(code, err?.message ?? 'no user'));
        return;
      }
      const relay = typeof body['RelayState'] === 'string' ? body['RelayState'] : undefined;
      completeSignIn(req, res, store, user.identity, idp.roles, { saml: user.saml }, relay).catch(
        next,
      );
    })(req, res, next);
  }

  router.get('/slo', async (req: Request, res: Response, next: NextFunction) => {
    await requireMetadata();
    setSamlUser(req);
    auth.authenticate(name, { session: false }, (err: Error | null) => {
      next(new SignInRefused(code, err?.message ?? 'logout refused'));
    })(req, res, () => {
      // A LogoutResponse to our own LogoutRequest: the local session already ended.
      res.redirect(303, '/auth/login?signedOut=1');
    });
  });

  const method: SignInMethod = {
    state: code,
    protocol: 'saml',
    router,
    async logoutUrl(req) {
      if (!strategy || !metadata?.sloRedirectUrl || !req.session.saml) return null;
      setSamlUser(req);
      const s = strategy;
      return new Promise((resolve) =>
        s.logout(req as unknown as Parameters<Strategy['logout']>[0], (err, url) =>
          resolve(err ? null : (url ?? null)),
        ),
      );
    },
  };
  return {
    method,
    refresh,
    close() {
      clearInterval(timer);
      clearInterval(sweep);
    },
  };
}
