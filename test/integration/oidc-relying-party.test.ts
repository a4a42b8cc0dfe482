// Continuum as an OIDC relying party (openid-client 6) against a local test OP that signs with a
// real key and gets one thing wrong per scenario: each wrong ID token or response is refused, for
// its reason (read back from the audit trail); a valid one (aud string or array) signs in.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { stringify } from 'yaml';
import { createApp } from '../../src/app.js';
import { closeIdentity, initIdentity, type Identity } from '../../src/identity/index.js';
import { searchAuditEvents } from '../../src/store/index.js';
import {
  identityTestStore,
  silentLogger,
  type IdentityTestStore,
} from '../helpers/identity-sessions.js';
import { startTestOp, type OpScenario, type TestOp } from '../helpers/idp-test-op.js';

const refusals: Array<[OpScenario, RegExp]> = [
  ['wrong-issuer', /"iss"/],
  ['wrong-audience', /"aud"/],
  ['expired', /"exp"/],
  ['alg-none', /alg|algorithm|signature/i],
  ['alg-hs256', /alg|algorithm/i],
  ['bad-signature', /signature/i],
  ['wrong-nonce', /"nonce"/],
  ['state-mismatch', /"state"/],
  ['code-injection', /invalid_grant/],
];

describe('OIDC relying party against a test OP', function () {
  this.timeout(60_000);
  let op: TestOp;
  let t: IdentityTestStore;
  let identity: Identity;
  let app: Express;
  let configDir: string;

  before(async () => {
    op = await startTestOp();
    configDir = mkdtempSync(path.join(os.tmpdir(), 'continuum-oidc-'));
    mkdirSync(path.join(configDir, 'states'));
    writeFileSync(
      path.join(configDir, 'test.yaml'),
      stringify({ log: { level: 'silent' }, identity: { rateLimit: { signInPerMinute: 1000 } } }),
    );
    writeFileSync(
      path.join(configDir, 'states', 'WA.yaml'),
      stringify({
        code: 'WA',
        name: 'Washington',
        mapping: 'wa-jsonl',
        identityProvider: {
          type: 'oidc',
          issuer: op.issuer,
          clientId: op.clientId,
          clientSecretEnv: 'WA_TEST_OIDC_SECRET',
          claims: { groups: 'groups' },
          roles: { 'msix-primary': ['primary-user'] },
        },
      }),
    );
    // Same provider, but only ES256 allowed: its RS256 tokens must be refused by the allow-list.
    writeFileSync(
      path.join(configDir, 'states', 'OR.yaml'),
      stringify({
        code: 'OR',
        name: 'Oregon',
        mapping: 'wa-jsonl',
        identityProvider: {
          type: 'oidc',
          issuer: op.issuer,
          clientId: op.clientId,
          idTokenAlgorithms: ['ES256'],
        },
      }),
    );
    process.env['WA_TEST_OIDC_SECRET'] = 'test-secret';
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
    await op.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  /** Login → OP authorize → callback, as a browser would, keeping the session cookie. */
  async function signIn(scenario: OpScenario, state = 'WA') {
    op.scenario = scenario;
    const login = await request(app).get(`/auth/oidc/${state}/login`).expect(302);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const authorize = new URL(login.headers['location']!);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('nonce') && authorize.searchParams.get('state'));
    const atOp = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(atOp.headers.get('location')!);
    const res = await request(app)
      .get(callback.pathname + callback.search)
      .set('Cookie', cookie);
    return { res, cookie: String(res.headers['set-cookie'] ?? cookie).split(';')[0]! };
  }

  async function lastRefusal(): Promise<string> {
    const [event] = await searchAuditEvents(t.store, { action: 'account.sign-in', limit: 1 });
    assert.equal(event?.outcome, 'denied');
    return String(event.detail?.['reason']);
  }

  for (const scenario of ['valid', 'aud-array'] as const) {
    it(`signs in with a ${scenario} ID token as the mapped role`, async () => {
      const { res, cookie } = await signIn(scenario);
      assert.equal(res.status, 303, res.text);
      const me = await request(app).get('/api/v1/me').set('Cookie', cookie).expect(200);
      assert.equal(me.body.state, 'WA');
      assert.deepEqual(me.body.roles, ['primary-user']);
    });
  }

  for (const [scenario, reason] of refusals) {
    it(`refuses ${scenario}`, async () => {
      const { res } = await signIn(scenario);
      assert.equal(res.status, 401, res.text);
      assert.match(await lastRefusal(), reason);
    });
  }

  it('refuses an algorithm outside the state allow-list, whatever the provider advertises', async () => {
    const { res } = await signIn('valid', 'OR');
    assert.equal(res.status, 401, res.text);
    assert.match(await lastRefusal(), /ID token algorithm not allowed: RS256/);
  });

  it('limits sign-in attempts per address (429 after the configured number)', async () => {
    const limited = await identityTestStore(
      { CONTINUUM_IDENTITY__RATE_LIMIT__SIGN_IN_PER_MINUTE: '2' },
      configDir,
    );
    const limitedIdentity = await initIdentity(limited.config, limited.store, silentLogger);
    try {
      const limitedApp = createApp(limited.config, {
        logger: silentLogger,
        checkDatabase: async () => undefined,
        identity: limitedIdentity,
      });
      await request(limitedApp).get('/auth/oidc/WA/login').expect(302);
      await request(limitedApp).get('/auth/oidc/WA/login').expect(302);
      const third = await request(limitedApp).get('/auth/oidc/WA/login').expect(429);
      assert.match(third.text, /Sign-in failed|Too Many/);
    } finally {
      await closeIdentity(limitedIdentity);
      await limited.close();
    }
  });

  it('refuses a callback with no sign-in pending (replayed or forged)', async () => {
    const res = await request(app).get('/auth/oidc/WA/callback?code=x&state=y').expect(401);
    assert.match(res.text, /Sign-in failed/);
    assert.match(await lastRefusal(), /no sign-in pending/);
  });
});
