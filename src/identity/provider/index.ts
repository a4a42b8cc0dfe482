/**
 * Continuum's own OpenID provider (oidc-provider 9) at /oidc, for partner web apps (code + PKCE,
 * users sign in through their state's IdP) and state systems (client credentials, scope
 * `submissions:write`, bound to one state). Everything it stores lives in SQL (sql-adapter), its
 * signing keys too (signing-keys), so tokens survive restarts and work on every instance.
 */
import { createHmac } from 'node:crypto';
import { Router, type Request } from 'express';
import Provider from 'oidc-provider';
import type { SignInMethod } from '../sign-in-method.js';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/index.js';
import { deleteExpiredProviderRows } from '../../store/repositories/oidc-provider-rows.js';
import { activePrincipal, type BearerVerifier } from '../authenticate.js';
import { errorPage, loginPage } from '../pages.js';
import type { ClientPrincipal } from '../principal.js';
import { tokenRateLimit } from '../rate-limits.js';
import { sessionSecret } from '../session.js';
import { currentSigningKeys } from './signing-keys.js';

export interface OpenIdProvider {
  router: Router;
  verifyBearer: BearerVerifier;
  close(): void;
}

function clientsOf(config: Config): Record<string, unknown>[] {
  return config.identity.provider.clients.map((c) => {
    const secret = c.clientSecretEnv ? process.env[c.clientSecretEnv] : undefined;
    if (c.clientSecretEnv && !secret) {
      throw new Error(`identity.provider.clients ${c.clientId}: ${c.clientSecretEnv} is not set`);
    }
    if (c.kind === 'state-system') {
      return {
        client_id: c.clientId,
        client_secret: secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'submissions:write',
        continuum_kind: c.kind,
        continuum_state: c.state,
      };
    }
    return {
      client_id: c.clientId,
      ...(secret ? { client_secret: secret } : { token_endpoint_auth_method: 'none' }),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris,
      scope: 'openid email profile continuum',
      continuum_kind: c.kind,
    };
  });
}

export async function createOpenIdProvider(
  config: Config,
  store: Store,
  logger: Logger,
  methods: SignInMethod[],
): Promise<OpenIdProvider> {
  const settings = config.identity.provider;
  const publicUrl = config.server.publicUrl.replace(/\/$/, '');
  const ttl = settings.accessTokenTtlSeconds;
  const cookieKey = createHmac('sha256', sessionSecret(config))
    .update('oidc cookies')
    .digest('hex');
  const stateOfClient = new Map(
    settings.clients.flatMap((c) => (c.kind === 'state-system' ? [[c.clientId, c.state]] : [])),
  );

  const provider = new Provider(`${publicUrl}/oidc`, {
    adapter: (await import('./sql-adapter.js')).sqlAdapter(store),
    clients: clientsOf(config),
    jwks: { keys: await currentSigningKeys(store, settings.keyRotationDays) },
    extraClientMetadata: { properties: ['continuum_kind', 'continuum_state'] },
    async findAccount(_ctx: unknown, id: string) {
      const person = await activePrincipal(store, Number(id));
      // A disabled or pending account gets no tokens.
      if (!person) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          name: person.name,
          email: person.email,
          state: person.state,
          roles: person.roles,
        }),
      };
    },
    claims: {
      openid: ['sub'],
      email: ['email'],
      profile: ['name'],
      continuum: ['state', 'roles'],
    },
    scopes: ['openid', 'email', 'profile', 'continuum', 'submissions:write'],
    responseTypes: ['code'],
    // The ID token itself carries name, email, state and roles (partner apps need no userinfo call).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    ttl: {
      AccessToken: ttl,
      ClientCredentials: ttl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: config.identity.session.maxAgeMinutes * 60,
      Grant: config.identity.session.maxAgeMinutes * 60,
    },
    cookies: {
      keys: [cookieKey],
      // Unique on 127.0.0.1, where every server shares one cookie jar.
      names: {
        session: 'continuum.op.session',
        interaction: 'continuum.op.interaction',
        resume: 'continuum.op.resume',
      },
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/oidc/interaction/${interaction.uid}`,
    },
    async renderError(ctx: { type: string; body: string }, out: Record<string, unknown>) {
      ctx.type = 'html';
      ctx.body = errorPage(
        'Sign-in failed',
        String(out['error_description'] ?? out['error'] ?? ''),
      );
    },
  });
  provider.proxy = config.server.trustProxy;
  provider.on('server_error', (_ctx, err) => logger.error({ err }, 'OpenID provider error'));

  const router = Router();
  router.use('/oidc/token', tokenRateLimit(config));

  // The login step of a partner app's sign-in: pick a state, sign in there, come back here.
  router.get('/oidc/interaction/:uid', async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    const here = `/oidc/interaction/${details.uid}`;
    const accountId = req.session.accountId;
    const person = accountId === undefined ? undefined : await activePrincipal(store, accountId);
    if (details.prompt.name === 'login') {
      if (!person) {
        const states = config.states.map((s) => {
          const m = methods.find((x) => x.state === s.code);
          const href = m
            ? `/auth/${m.protocol}/${s.code}/login?next=${encodeURIComponent(here)}`
            : null;
          return { code: s.code, name: s.name, href };
        });
        res.type('html').send(loginPage(states));
        return;
      }
      await provider.interactionFinished(req, res, {
        login: { accountId: String(person.accountId) },
      });
      return;
    }
    if (details.prompt.name === 'consent' && person) {
      // Partner apps are registered by Continuum's operators: consent is theirs to give.
      const clientId = String(details.params['client_id']);
      const grant = details.grantId
        ? ((await provider.Grant.find(details.grantId)) ??
          new provider.Grant({ accountId: String(person.accountId), clientId }))
        : new provider.Grant({ accountId: String(person.accountId), clientId });
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    res.status(400).type('html').send(errorPage('Sign-in failed', 'This sign-in cannot go on.'));
  });
  const callback = provider.callback();
  router.use('/oidc', (req, res) => {
    // oidc-provider routes relative to its mount point.
    req.url = req.originalUrl.slice('/oidc'.length) || '/';
    callback(req, res);
  });

  const verifyBearer: BearerVerifier = async (token: string, _req: Request) => {
    const machine = await provider.ClientCredentials.find(token);
    if (machine && !machine.isExpired && machine.clientId) {
      const state = stateOfClient.get(machine.clientId);
      if (!state) return undefined;
      const principal: ClientPrincipal = {
        kind: 'client',
        clientId: machine.clientId,
        state,
        roles: ['state-system'],
        scopes: (machine.scope ?? '').split(' ').filter(Boolean),
        actor: `client:${machine.clientId}`,
      };
      return principal;
    }
    const access = await provider.AccessToken.find(token);
    if (access && !access.isExpired && access.accountId && access.clientId) {
      // Checked at every use: a disabled account's tokens stop working at once.
      const person = await activePrincipal(store, Number(access.accountId));
      if (!person) return undefined;
      const principal: ClientPrincipal = {
        kind: 'client',
        clientId: access.clientId,
        state: person.state,
        roles: ['partner-agency'],
        scopes: (access.scope ?? '').split(' ').filter(Boolean),
        actor: `client:${access.clientId}/account:${person.accountId}`,
        accountId: person.accountId,
      };
      return principal;
    }
    return undefined;
  };

  const sweep = setInterval(() => {
    deleteExpiredProviderRows(store).catch((err: unknown) =>
      logger.warn({ err }, 'expired provider rows clean-up failed'),
    );
  }, 3_600_000);
  sweep.unref();
  return { router, verifyBearer, close: () => clearInterval(sweep) };
}
