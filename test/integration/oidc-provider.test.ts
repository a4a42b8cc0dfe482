// Continuum's own OpenID provider: state systems get client-credentials tokens bound to their
// state (requireStateSystem refuses another state's upload), tokens and signing keys live in SQL
// (they survive a restart and work on another instance), and a partner app signs a user in with
// code + PKCE through openid-client, receiving the Continuum claims.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express, { type Express } from 'express';
import * as oidc from 'openid-client';
import request from 'supertest';
import { stringify } from 'yaml';
import { problemHandler } from '../../src/api/error-handler.js';
import { createApp } from '../../src/app.js';
import { Forbidden } from '../../src/api/auth-problems.js';
import { requireStateSystem, stateSystemOf } from '../../src/identity/access-guard.js';
import { disableAccount, principalOf } from '../../src/identity/accounts.js';
import { closeIdentity, initIdentity, type Identity } from '../../src/identity/index.js';
import {
  identityTestStore,
  signedInAs,
  silentLogger,
  type IdentityTestStore,
} from '../helpers/identity-sessions.js';

describe('Continuum OpenID provider', function () {
  this.timeout(60_000);
  let t: IdentityTestStore;
  let identity: Identity;
  let app: Express;
  let configDir: string;

  before(async () => {
    configDir = mkdtempSync(path.join(os.tmpdir(), 'continuum-op-'));
    mkdirSync(path.join(configDir, 'states'));
    for (const [code, name] of [
      ['CA', 'California'],
      ['TX', 'Texas'],
    ]) {
      writeFileSync(
        path.join(configDir, 'states', `${code}.yaml`),
        stringify({ code, name, mapping: 'ca-csv', identityProvider: { type: 'none' } }),
      );
    }
    writeFileSync(
      path.join(configDir, 'test.yaml'),
      stringify({
        log: { level: 'silent' },
        mappingsDir: path.resolve('mappings'),
        identity: {
          provider: {
            clients: [
              {
                kind: 'state-system',
                clientId: 'ca-system',
                clientSecretEnv: 'OP_TEST_CA',
                state: 'CA',
              },
              {
                kind: 'state-system',
                clientId: 'tx-system',
                clientSecretEnv: 'OP_TEST_TX',
                state: 'TX',
              },
              {
                kind: 'partner-app',
                clientId: 'partner',
                clientSecretEnv: 'OP_TEST_PARTNER',
                redirectUris: ['http://127.0.0.1:9/partner/callback'],
              },
            ],
          },
        },
      }),
    );
    Object.assign(process.env, {
      OP_TEST_CA: 'ca-secret',
      OP_TEST_TX: 'tx-secret',
      OP_TEST_PARTNER: 'partner-secret',
    });
    t = await identityTestStore({}, configDir);
    identity = await initIdentity(t.config, t.store, silentLogger);
    app = createApp(t.config, {
      logger: silentLogger,
      checkDatabase: async () => undefined,
      identity,
    });
  });
  after(async () => {
    await closeIdentity(identity);
    await t.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  async function machineToken(target: Express, clientId: string, secret: string) {
    const res = await request(target)
      .post('/oidc/token')
      .auth(clientId, secret)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'submissions:write' });
    assert.equal(res.status, 200, res.text);
    return res.body.access_token as string;
  }

  /** An upload route guarded as the submissions router is to be: the state comes from ?state=. */
  function uploadApp(with_: Identity) {
    const upload = express();
    upload.use(with_.middleware);
    upload.post(
      '/upload',
      requireStateSystem((req) => String(req.query['state'] ?? '')),
      (req, res) => {
        res.status(202).json({ state: req.principal?.state });
      },
    );
    // A lookup first, then the state check (as GET /submissions/:id must do).
    upload.get('/uploads/:state', (req, res) => {
      const caller = stateSystemOf(req);
      if (caller.state !== req.params['state']) throw new Forbidden('another state’s upload');
      res.json({ state: caller.state });
    });
    upload.use(problemHandler);
    return upload;
  }

  it('lets a state system upload to POST /api/v1/submissions for its own state only', async () => {
    const withStore = createApp(t.config, {
      logger: silentLogger,
      checkDatabase: async () => undefined,
      identity,
      store: t.store,
    });
    const token = await machineToken(withStore, 'ca-system', 'ca-secret');
    const sample = readFileSync('test/fixtures/mappings/ca-sample.csv');
    const other = await request(withStore)
      .post('/api/v1/submissions?state=TX')
      .set('Authorization', `Bearer ${token}`)
      .type('text/csv')
      .send(sample);
    assert.equal(other.status, 403, other.text);
    assert.match(other.body.detail, /CA/);
    const own = await request(withStore)
      .post('/api/v1/submissions?state=CA')
      .set('Authorization', `Bearer ${token}`)
      .set('X-File-Name', 'ca-sample.csv')
      .type('text/csv')
      .send(sample);
    assert.equal(own.status, 201, own.text);
    assert.equal(own.body.state, 'CA');
    assert.ok(own.body.acceptedCount > 0);
    const anonymous = await request(withStore).post('/api/v1/submissions?state=CA').send(sample);
    assert.equal(anonymous.status, 401);
  });

  it('publishes discovery and the signing keys kept in the store', async () => {
    const res = await request(app).get('/oidc/.well-known/openid-configuration').expect(200);
    assert.equal(res.body.issuer, 'http://127.0.0.1:8080/oidc');
    assert.ok(res.body.grant_types_supported.includes('client_credentials'));
    const jwks = await request(app).get('/oidc/jwks').expect(200);
    assert.equal(jwks.body.keys[0].kty, 'RSA');
    assert.equal(jwks.body.keys[0].d, undefined, 'no private part published');
  });

  it('asks a partner app’s user to pick a state, each link going through that state’s IdP', async () => {
    const auth = await request(app)
      .get('/oidc/auth')
      .query({
        client_id: 'partner',
        response_type: 'code',
        scope: 'openid continuum',
        redirect_uri: 'http://127.0.0.1:9/partner/callback',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        state: 's',
      })
      .expect(303);
    const interaction = auth.headers['location']!;
    assert.match(interaction, /^\/oidc\/interaction\/[\w-]+$/);
    const cookies = (auth.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]);
    assert.ok(
      cookies.some((c) => c!.startsWith('continuum.op.interaction=')),
      'own cookie names',
    );
    const page = await request(app).get(interaction).set('Cookie', cookies.join('; ')).expect(200);
    assert.match(page.text, /Choose your state/);
    // Neither test state has an IdP connected here: listed, not linked.
    assert.match(page.text, /California \(not connected yet\)/);
  });

  it('lets a state system upload for its own state only', async () => {
    const token = await machineToken(app, 'ca-system', 'ca-secret');
    const upload = uploadApp(identity);
    const ok = await request(upload)
      .post('/upload?state=CA')
      .set('Authorization', `Bearer ${token}`);
    assert.equal(ok.status, 202, ok.text);
    assert.equal(ok.body.state, 'CA');
    const other = await request(upload)
      .post('/upload?state=TX')
      .set('Authorization', `Bearer ${token}`);
    assert.equal(other.status, 403);
    assert.match(other.body.detail, /uploads for CA only/);
    await request(upload).get('/uploads/CA').set('Authorization', `Bearer ${token}`).expect(200);
    await request(upload).get('/uploads/TX').set('Authorization', `Bearer ${token}`).expect(403);
    await request(upload).post('/upload?state=CA').expect(401);
    await request(upload)
      .post('/upload?state=CA')
      .set('Authorization', 'Bearer not-a-token')
      .expect(401);
  });

  it('refuses a person’s session and a wrong client secret at the upload route', async () => {
    const person = await signedInAs(t, { state: 'CA', roles: ['state-data-admin'] });
    const upload = uploadApp(identity);
    await request(upload).post('/upload?state=CA').set('Cookie', person.cookie).expect(403);
    await request(app)
      .post('/oidc/token')
      .auth('ca-system', 'wrong')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'submissions:write' })
      .expect(401);
  });

  it('keeps tokens and keys across a restart and on another instance (SQL adapter)', async () => {
    const token = await machineToken(app, 'tx-system', 'tx-secret');
    const before = (await request(app).get('/oidc/jwks')).body.keys[0].kid;
    const other = await initIdentity(t.config, t.store, silentLogger);
    try {
      const upload = uploadApp(other);
      await request(upload)
        .post('/upload?state=TX')
        .set('Authorization', `Bearer ${token}`)
        .expect(202);
      const second = createApp(t.config, {
        logger: silentLogger,
        checkDatabase: async () => undefined,
        identity: other,
      });
      assert.equal((await request(second).get('/oidc/jwks')).body.keys[0].kid, before);
    } finally {
      await closeIdentity(other);
    }
  });

  it('signs a user in to a partner app with code + PKCE and returns Continuum claims', async () => {
    const person = await signedInAs(t, { state: 'CA', roles: ['primary-user'] });
    const admin = {
      principal: principalOf((await signedInAs(t, { state: 'CA', roles: ['user-admin'] })).account),
    };
    // The partner app is openid-client talking to the in-process provider through supertest.
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    try {
      const base = `http://127.0.0.1:${port}`;
      const rewrite: typeof fetch = (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        url.host = `127.0.0.1:${port}`;
        return fetch(url, init);
      };
      const client = await oidc.discovery(
        new URL('http://127.0.0.1:8080/oidc'),
        'partner',
        { redirect_uris: ['http://127.0.0.1:9/partner/callback'] },
        oidc.ClientSecretBasic('partner-secret'),
        { execute: [oidc.allowInsecureRequests], [oidc.customFetch]: rewrite as never },
      );
      client[oidc.customFetch] = rewrite as never;
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      let next = oidc.buildAuthorizationUrl(client, {
        redirect_uri: 'http://127.0.0.1:9/partner/callback',
        scope: 'openid email profile continuum',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
        state: 'partner-state',
      }).href;
      const jar = new Map<string, string>([
        [person.cookie.split('=')[0]!, person.cookie.split('=').slice(1).join('=')],
      ]);
      for (let hop = 0; hop < 10 && !next.startsWith('http://127.0.0.1:9/'); hop++) {
        const url = new URL(next, base);
        url.host = `127.0.0.1:${port}`;
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const [k, ...v] = pair!.split('=');
          jar.set(k!, v.join('='));
        }
        assert.ok([302, 303].includes(res.status), `${res.status} at ${url}: ${await res.text()}`);
        next = res.headers.get('location')!;
      }
      const callback = new URL(next);
      assert.equal(callback.searchParams.get('state'), 'partner-state');
      const tokens = await oidc.authorizationCodeGrant(client, callback, {
        pkceCodeVerifier: verifier,
        expectedNonce: nonce,
        expectedState: 'partner-state',
      });
      const claims = tokens.claims()!;
      assert.equal(claims.sub, String(person.account.id));
      assert.equal(claims['state'], 'CA');
      assert.deepEqual(claims['roles'], ['primary-user']);
      assert.equal(claims['email'], 'someone@example.org');
      // The app's access token acts as a partner agency; disabling the account ends it at once.
      const bearer = `Bearer ${tokens.access_token}`;
      const me = await request(app).get('/api/v1/me').set('Authorization', bearer).expect(200);
      assert.deepEqual(me.body.roles, ['partner-agency']);
      await request(app).get(`/api/v1/student-records/1`).set('Authorization', bearer).expect(403);
      await disableAccount(t.store, admin.principal, person.account.id);
      await request(app).get('/api/v1/me').set('Authorization', bearer).expect(401);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
