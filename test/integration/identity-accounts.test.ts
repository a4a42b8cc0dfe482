// Accounts, sessions, the audited record read and the audit log, over real HTTP and a real store.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { signInFromIdp, rolesFromGroups, AccountDisabled } from '../../src/identity/accounts.js';
import { initIdentity, closeIdentity, type Identity } from '../../src/identity/index.js';
import { searchAuditEvents } from '../../src/store/index.js';
import { getAccount, listAccessGrants } from '../../src/store/repositories/accounts.js';
import {
  identityTestStore,
  signedInAs,
  silentLogger,
  storedStudentRecord,
  type IdentityTestStore,
} from '../helpers/identity-sessions.js';

describe('identity: accounts, sessions, audited reads', function () {
  this.timeout(60_000);
  let t: IdentityTestStore;
  let identity: Identity;
  let app: Express;

  before(async () => {
    t = await identityTestStore();
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
  });

  it('creates an active account when the IdP grants a role, pending otherwise', async () => {
    const grants = { 'msix-primary': ['primary-user' as const] };
    const active = await signInFromIdp(
      t.store,
      { state: 'CA', subject: 'ana@ca', groups: ['msix-primary', 'other'] },
      rolesFromGroups(grants, ['msix-primary', 'other']),
    );
    assert.equal(active.status, 'active');
    assert.deepEqual(active.idpRoles, ['primary-user']);
    const pending = await signInFromIdp(t.store, { state: 'CA', subject: 'bo@ca', groups: [] }, []);
    assert.equal(pending.status, 'pending');
    const again = await signInFromIdp(t.store, { state: 'CA', subject: 'ana@ca', groups: [] }, []);
    assert.equal(again.id, active.id, 'same (state, subject), same account');
    const grantsOf = await listAccessGrants(t.store, active.id);
    assert.equal(grantsOf.length, 1);
    assert.ok(grantsOf[0]!.revokedAt, 'the IdP no longer grants it: revoked, not deleted');
  });

  it('reads a record of another state, and audits who, role, state, child, route, time, address', async () => {
    const reader = await signedInAs(t, { state: 'CA', roles: ['primary-user'] });
    const id = await storedStudentRecord(t, 'WA');
    const res = await request(app)
      .get(`/api/v1/student-records/${id}`)
      .set('Cookie', reader.cookie)
      .set('X-Request-Id', 'read-1')
      .expect(200);
    assert.equal(res.body.state, 'WA');
    assert.ok(res.body.document.student.stateStudentId);
    const [event] = await searchAuditEvents(t.store, {
      action: 'student-record.read',
      subjectId: id,
      limit: 5,
    });
    assert.ok(event, 'audit event written');
    assert.equal(event.actor, `account:${reader.account.id}`);
    assert.equal(event.actorState, 'CA');
    assert.equal(event.requestId, 'read-1');
    assert.match(event.ip ?? '', /127\.0\.0\.1|::1/);
    assert.deepEqual(event.detail?.['roles'], ['primary-user']);
    assert.equal(event.detail?.['route'], 'GET /api/v1/student-records/:id');
    assert.equal(event.detail?.['childId'], res.body.childId);
    assert.ok(Date.now() - event.occurredAt.getTime() < 60_000);
  });

  it('shows a state administrator the audit log of their own state only', async () => {
    const caAdmin = await signedInAs(t, { state: 'CA', roles: ['user-admin'] });
    const txReader = await signedInAs(t, { state: 'TX', roles: ['secondary-user'] });
    const id = await storedStudentRecord(t, 'CA');
    await request(app)
      .get(`/api/v1/student-records/${id}`)
      .set('Cookie', txReader.cookie)
      .expect(200);
    const res = await request(app)
      .get('/api/v1/audit-events?action=student-record.read&limit=1000')
      .set('Cookie', caAdmin.cookie)
      .expect(200);
    assert.ok(res.body.events.length > 0);
    assert.ok(res.body.events.every((e: { actorState: string }) => e.actorState === 'CA'));
  });

  it('refuses a cookie-authenticated change without the CSRF token', async () => {
    const admin = await signedInAs(t, { state: 'CA', roles: ['user-admin'] });
    const target = await signedInAs(t, { state: 'CA', roles: [], status: 'pending' });
    await request(app)
      .post(`/api/v1/accounts/${target.account.id}/approve`)
      .set('Cookie', admin.cookie)
      .send({ roles: ['primary-user'] })
      .expect(403);
    const ok = await request(app)
      .post(`/api/v1/accounts/${target.account.id}/approve`)
      .set('Cookie', admin.cookie)
      .set('X-CSRF-Token', admin.csrfToken)
      .send({ roles: ['primary-user'] })
      .expect(200);
    assert.equal(ok.body.status, 'active');
  });

  it('keeps another state’s accounts out of reach', async () => {
    const admin = await signedInAs(t, { state: 'CA', roles: ['user-admin'] });
    const texan = await signedInAs(t, { state: 'TX', roles: ['primary-user'] });
    await request(app)
      .post(`/api/v1/accounts/${texan.account.id}/disable`)
      .set('Cookie', admin.cookie)
      .set('X-CSRF-Token', admin.csrfToken)
      .expect(404);
  });

  it('ends a disabled account’s sessions at once, keeps its grants 3 years, refuses its sign-in', async () => {
    const admin = await signedInAs(t, { state: 'CA', roles: ['user-admin'] });
    const user = await signedInAs(t, { state: 'CA', roles: ['primary-user'] });
    await request(app).get('/api/v1/me').set('Cookie', user.cookie).expect(200);
    await request(app)
      .post(`/api/v1/accounts/${user.account.id}/disable`)
      .set('Cookie', admin.cookie)
      .set('X-CSRF-Token', admin.csrfToken)
      .expect(200);
    await request(app).get('/api/v1/me').set('Cookie', user.cookie).expect(401);
    const account = await getAccount(t.store, user.account.id);
    assert.equal(account?.status, 'disabled');
    const [grant] = await listAccessGrants(t.store, user.account.id);
    const years =
      (grant!.retainUntil!.getTime() - account!.disabledAt!.getTime()) / (365.25 * 864e5);
    assert.ok(Math.abs(years - 3) < 0.01, `retained ${years} years`);
    await assert.rejects(
      signInFromIdp(t.store, { state: 'CA', subject: user.account.idpSubject, groups: [] }, []),
      AccountDisabled,
    );
  });

  it('sets an HTTP-only SameSite session cookie named continuum.sid, and security headers', async () => {
    const res = await request(app).get('/auth/login').expect(200);
    assert.match(res.text, /Choose your state/);
    assert.ok(res.headers['content-security-policy'], 'helmet CSP');
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    const user = await signedInAs(t, { state: 'CA', roles: ['primary-user'] });
    const page = await request(app).get('/auth/session').set('Cookie', user.cookie).expect(200);
    assert.match(page.text, /primary-user/);
    const out = await request(app)
      .post('/auth/logout')
      .set('Cookie', user.cookie)
      .type('form')
      .send({ _csrf: user.csrfToken })
      .expect(303);
    assert.match(String(out.headers['set-cookie']), /continuum\.sid=;/);
    await request(app).get('/api/v1/me').set('Cookie', user.cookie).expect(401);
  });
});
