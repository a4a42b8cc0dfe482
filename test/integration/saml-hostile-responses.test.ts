// Hostile SAML responses, one fixture per attack (test/fixtures/saml/make-fixtures.ts), each
// posted to the real ACS of a real app: node-saml and xml-crypto verify with the test keys, no
// validator is stubbed. Each refusal must give the reason its attack calls for (read back from
// the audit trail), so no case passes by failing for an unrelated reason; valid ones are accepted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { closeIdentity, initIdentity, type Identity } from '../../src/identity/index.js';
import { searchAuditEvents } from '../../src/store/index.js';
import {
  findSamlRequestId,
  saveSamlRequestId,
} from '../../src/store/repositories/saml-message-ids.js';
import { FIXTURE_NOW, REQUEST_ID } from '../fixtures/saml/make-fixtures.js';
import {
  identityTestStore,
  silentLogger,
  type IdentityTestStore,
} from '../helpers/identity-sessions.js';
import { freezeDate } from '../helpers/saml-clock.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/saml/response.${name}.xml`, import.meta.url), 'utf8');

/** Attack → the reason it must be refused for. */
const hostile: Array<[string, RegExp]> = [
  ['unsigned', /Invalid signature|No valid/i],
  ['signed-by-untrusted-key', /Invalid signature/i],
  ['assertion-modified-after-signing', /Invalid signature/i],
  ['attribute-modified-after-signing', /Invalid signature/i],
  ['assertion-wrapped-by-attacker', /Invalid signature|duplicate ID/i],
  ['assertion-wrapped-in-response', /exactly one assertion/],
  ['assertion-wrapped-in-extensions', /duplicate ID|Invalid signature/i],
  ['assertion-wrapped-in-advice', /duplicate ID|Invalid signature/i],
  ['assertion-wrapped-duplicate-id', /duplicate ID/],
  ['signature-moved-to-forged-assertion', /Invalid signature/i],
  ['second-unsigned-assertion', /exactly one assertion/],
  ['comment-in-nameid', /comments are not accepted/],
  ['wrong-audience', /audience/i],
  ['wrong-recipient', /wrong Recipient/],
  ['wrong-destination', /wrong Destination/],
  ['missing-destination', /wrong Destination/],
  ['expired', /expired|NotOnOrAfter|No valid subject confirmation/i],
  ['not-yet-valid', /not yet valid|NotBefore|No valid subject confirmation/i],
  ['unknown-in-response-to', /InResponseTo is not valid/],
  ['missing-in-response-to', /InResponseTo is missing/],
  ['subject-in-response-to-mismatch', /InResponseTo does not match/],
  ['from-wrong-state-idp', /Invalid signature/i],
  ['issuer-of-another-idp-signed-by-trusted-key', /another IdP/],
  ['response-signed-but-assertion-signature-required', /Invalid signature/i],
  ['sha1-signature', /signature algorithm not allowed/],
  ['sha1-digest', /digest algorithm not allowed/],
  ['dtd-external-entity', /DTDs and entities/],
  ['dtd-entity-expansion', /DTDs and entities/],
  ['empty-signature-value', /Invalid signature/i],
  ['encrypted-assertion-signed-by-untrusted-key', /Invalid signature/i],
];

describe('SAML ACS against hostile responses', function () {
  this.timeout(60_000);
  let t: IdentityTestStore;
  let identity: Identity;
  let app: Express;
  let unfreeze: (() => void) | undefined;

  before(async () => {
    t = await identityTestStore({}, 'test/fixtures/saml/config');
    identity = await initIdentity(t.config, t.store, silentLogger);
    app = createApp(t.config, {
      logger: silentLogger,
      checkDatabase: async () => undefined,
      identity,
    });
  });
  after(async () => {
    unfreeze?.();
    await closeIdentity(identity);
    await t.close();
  });
  afterEach(() => {
    unfreeze?.();
    unfreeze = undefined;
  });

  async function post(target: Express, name: string, requestId = REQUEST_ID, state = 'CA') {
    // Our AuthnRequest, as if sent 30 s earlier (node-saml forgets it after any answer).
    await saveSamlRequestId(t.store, requestId, new Date(Date.parse(FIXTURE_NOW) - 30_000));
    unfreeze = freezeDate(FIXTURE_NOW);
    try {
      return await request(target)
        .post(`/auth/saml/${state}/acs`)
        .type('form')
        .send({
          SAMLResponse: Buffer.from(fixture(name)).toString('base64'),
          RelayState: '/auth/session',
        });
    } finally {
      unfreeze();
      unfreeze = undefined;
    }
  }

  async function lastRefusal(): Promise<string> {
    const [event] = await searchAuditEvents(t.store, { action: 'account.sign-in', limit: 1 });
    assert.equal(event?.outcome, 'denied');
    return String(event.detail?.['reason']);
  }

  it('accepts the valid signed response, once, and starts a session as the mapped role', async () => {
    const res = await post(app, 'valid');
    assert.equal(res.status, 303, res.text);
    assert.equal(res.headers['location'], '/auth/session');
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /^continuum\.sid=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    // The session lives 8 hours from the frozen instant, which is in the past: ask at that time.
    unfreeze = freezeDate(FIXTURE_NOW);
    const me = await request(app)
      .get('/api/v1/me')
      .set('Cookie', cookie.split(';')[0]!)
      .expect(200);
    unfreeze();
    unfreeze = undefined;
    assert.equal(me.body.state, 'CA');
    assert.deepEqual(me.body.roles, ['primary-user']);
    assert.equal(me.body.email, 'ana@ca.test');
  });

  it('refuses the same assertion replayed, on another instance sharing the store', async () => {
    const other = await initIdentity(t.config, t.store, silentLogger);
    try {
      const second = createApp(t.config, {
        logger: silentLogger,
        checkDatabase: async () => undefined,
        identity: other,
      });
      const res = await post(second, 'replayed-assertion');
      assert.equal(res.status, 401);
      assert.match(await lastRefusal(), /replayed/);
    } finally {
      await closeIdentity(other);
    }
  });

  it('accepts an assertion encrypted with AES-128-CBC and RSA-OAEP-MGF1P', async () => {
    const res = await post(app, 'valid-encrypted-assertion');
    assert.equal(res.status, 303, res.text);
  });

  it('accepts a signed response (unsigned assertion) where the state signs responses (TX)', async () => {
    const res = await post(app, 'valid-signed-response-for-tx', REQUEST_ID, 'TX');
    assert.equal(res.status, 303, res.text);
  });

  it('refuses that Texas response at the California ACS (another state’s IdP)', async () => {
    const res = await post(app, 'valid-signed-response-for-tx', REQUEST_ID, 'CA');
    assert.equal(res.status, 401);
    assert.match(await lastRefusal(), /wrong Destination/);
  });

  for (const [name, reason] of hostile) {
    it(`refuses response.${name}.xml`, async () => {
      const res = await post(app, name);
      assert.equal(res.status, 401, `${res.status} ${res.text}`);
      assert.match(res.headers['content-type']!, /text\/html/, 'a safe page, not a stack trace');
      assert.doesNotMatch(String(res.headers['set-cookie'] ?? ''), /continuum\.sid=s/);
      assert.match(await lastRefusal(), reason);
    });
  }

  it('has at least 20 hostile fixtures', () => {
    assert.ok(hostile.length >= 20);
  });

  it('publishes per-state SP metadata that asks for signed assertions and signs requests', async () => {
    const res = await request(app).get('/auth/saml/CA/metadata').expect(200);
    assert.match(res.text, /entityID="http:\/\/127\.0\.0\.1:8080\/auth\/saml\/CA\/metadata"/);
    assert.match(res.text, /AuthnRequestsSigned="true"/);
    assert.match(res.text, /WantAssertionsSigned="true"/);
    assert.match(res.text, /Location="http:\/\/127\.0\.0\.1:8080\/auth\/saml\/CA\/acs"/);
  });

  it('sends a signed AuthnRequest to the state IdP and remembers its id in SQL', async () => {
    const res = await request(app).get('/auth/saml/CA/login?next=/auth/session').expect(302);
    const url = new URL(res.headers['location']!);
    assert.equal(url.origin + url.pathname, 'http://127.0.0.1:9/ca/sso');
    assert.ok(url.searchParams.get('Signature'));
    assert.match(url.searchParams.get('SigAlg')!, /rsa-sha256/);
    assert.equal(url.searchParams.get('RelayState'), '/auth/session');
    const xml = inflateRawSync(
      Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64'),
    ).toString();
    const id = / ID="([^"]+)"/.exec(xml)![1]!;
    assert.ok(await findSamlRequestId(t.store, id), 'the request id is in SQL for InResponseTo');
  });
});
