// The portal over real HTTP against a real store: every row of the page table with every person
// role (allowed → 2xx/3xx, else 403 from the server), default deny for a route missing from the
// table, sign-in redirects, the pending account's single page, CSRF on every form, flash
// confirmations, the audit search and the static USWDS files under the CSP.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { closeIdentity, initIdentity, type Identity } from '../../src/identity/index.js';
import { personRoles, type Role } from '../../src/identity/roles.js';
import { portalTable, type PortalRoute } from '../../src/portal/page-table.js';
import { createAccount, getAccount } from '../../src/store/repositories/accounts.js';
import {
  identityTestStore,
  signedInAs,
  silentLogger,
  type IdentityTestStore,
  type SignedIn,
} from '../helpers/identity-sessions.js';

interface Call {
  path: string;
  form?: Record<string, string | string[]>;
}

describe('web portal', function () {
  this.timeout(60_000);
  let t: IdentityTestStore;
  let identity: Identity;
  let app: Express;
  const as = new Map<Role, SignedIn>();

  async function pendingAccount(state = 'CA', firstName = 'Pending'): Promise<number> {
    const a = await createAccount(t.store, {
      stateCode: state,
      idpSubject: `pending-${Math.random().toString(36).slice(2)}`,
      status: 'pending',
      firstName,
      lastName: 'Person',
      email: 'pending@example.org',
      idpRoles: [],
    });
    return a.id;
  }

  // One concrete request per table row; factories run per call (approve/disable need a target).
  const calls: Record<string, () => Promise<Call>> = {
    'GET /portal': async () => ({ path: '/portal' }),
    'GET /portal/admin/accounts': async () => ({ path: '/portal/admin/accounts' }),
    'GET /portal/admin/accounts/:id': async () => ({
      path: `/portal/admin/accounts/${await pendingAccount()}`,
    }),
    'POST /portal/admin/accounts/:id/approve': async () => ({
      path: `/portal/admin/accounts/${await pendingAccount()}/approve`,
      form: { roles: 'secondary-user' },
    }),
    'POST /portal/admin/accounts/:id/disable': async () => ({
      path: `/portal/admin/accounts/${await pendingAccount()}/disable`,
      form: {},
    }),
    'GET /portal/admin/audit': async () => ({ path: '/portal/admin/audit?action=account.approve' }),
  };
  const key = (r: PortalRoute) => `${r.method} ${r.path}`;

  before(async () => {
    t = await identityTestStore();
    identity = await initIdentity(t.config, t.store, silentLogger);
    app = createApp(t.config, {
      logger: silentLogger,
      checkDatabase: async () => undefined,
      identity,
      store: t.store,
    });
    for (const role of personRoles) {
      as.set(role, await signedInAs(t, { state: 'CA', roles: [role], district: '0612345' }));
    }
  });
  after(async () => {
    await closeIdentity(identity);
    await t.close();
  });

  function send(call: Call, method: string, who?: SignedIn, csrf = who?.csrfToken) {
    const agent = request(app);
    let req = method === 'POST' ? agent.post(call.path) : agent.get(call.path);
    if (who) req = req.set('Cookie', who.cookie);
    if (method === 'POST') {
      req = req.type('form').send({ ...(call.form ?? {}), ...(csrf ? { _csrf: csrf } : {}) });
    }
    return req;
  }

  it('has a request for every row of the page table', () => {
    assert.deepEqual(
      portalTable.map(key).filter((k) => !calls[k]),
      [],
    );
  });

  for (const route of portalTable) {
    describe(key(route), () => {
      it('without a session: public, or sign-in (GET), or 401 (POST)', async () => {
        const call = await calls[key(route)]!();
        const res = await send(call, route.method);
        if (route.allow === 'public') {
          assert.ok(res.status >= 200 && res.status < 400, `${res.status} ${res.text}`);
        } else if (route.method === 'GET') {
          assert.equal(res.status, 303);
          assert.equal(
            res.headers['location'],
            `/auth/login?next=${encodeURIComponent(call.path)}`,
          );
        } else assert.equal(res.status, 401);
      });
      for (const role of personRoles) {
        const allowed = route.allow === 'public' || route.allow.includes(role);
        it(`${role}: ${allowed ? 'allowed' : '403 from the server'}`, async () => {
          const res = await send(await calls[key(route)]!(), route.method, as.get(role));
          if (allowed)
            assert.ok(res.status >= 200 && res.status < 400, `${res.status} ${res.text}`);
          else {
            assert.equal(res.status, 403, res.text);
            assert.match(res.headers['content-type']!, /text\/html/);
            assert.match(res.text, /Not available to your role/);
          }
        });
      }
    });
  }

  it('refuses a portal route missing from the page table (default deny), even to an admin', async () => {
    const admin = as.get('user-admin')!;
    for (const path of ['/portal/not-in-table', '/portal/admin/accounts/1/delete']) {
      const res = await request(app).get(path).set('Cookie', admin.cookie);
      assert.equal(res.status, 403, path);
    }
    const post = await request(app)
      .post('/portal')
      .set('Cookie', admin.cookie)
      .type('form')
      .send({ _csrf: admin.csrfToken });
    assert.equal(post.status, 403);
  });

  it('lists all accounts of the state on request, and never lets a page be cached', async () => {
    const admin = as.get('user-admin')!;
    const res = await request(app)
      .get('/portal/admin/accounts?status=all')
      .set('Cookie', admin.cookie)
      .expect(200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.text, new RegExp(`data-account="${admin.account.id}"`), 'active ones too');
    assert.match(res.text, /aria-current="page"[^>]*>\s*All accounts/);
    const head = await request(app).head('/portal').set('Cookie', admin.cookie);
    assert.equal(head.status, 200);
  });

  it('sends / to the portal home', async () => {
    const res = await request(app).get('/').expect(303);
    assert.equal(res.headers['location'], '/portal');
  });

  it('shows each role only the navigation it may open', async () => {
    const admin = await request(app).get('/portal').set('Cookie', as.get('user-admin')!.cookie);
    assert.equal(admin.status, 200);
    assert.match(admin.text, /href="\/portal\/admin\/accounts"/);
    assert.match(admin.text, /href="\/portal\/admin\/audit"/);
    assert.match(admin.text, /id="pending-count"/);
    const dataAdmin = await request(app)
      .get('/portal')
      .set('Cookie', as.get('state-data-admin')!.cookie);
    assert.doesNotMatch(dataAdmin.text, /href="\/portal\/admin\/accounts"/);
    assert.match(dataAdmin.text, /href="\/portal\/admin\/audit"/);
    const primary = await request(app).get('/portal').set('Cookie', as.get('primary-user')!.cookie);
    assert.doesNotMatch(primary.text, /\/portal\/admin/);
    assert.match(primary.text, /Primary user/);
  });

  it('shows a pending account only "awaiting approval"', async () => {
    const pending = await signedInAs(t, { state: 'CA', roles: [], status: 'pending' });
    const home = await request(app).get('/portal').set('Cookie', pending.cookie).expect(303);
    assert.equal(home.headers['location'], '/auth/session');
    const admin = await request(app)
      .get('/portal/admin/accounts')
      .set('Cookie', pending.cookie)
      .expect(303);
    assert.equal(admin.headers['location'], '/auth/session');
    const page = await request(app).get('/auth/session').set('Cookie', pending.cookie).expect(200);
    assert.match(page.text, /Awaiting approval/);
    assert.match(page.text, /id="pending"/);
    assert.doesNotMatch(page.text, /portal-nav|\/portal\/admin|Your account<\/a>/);
    assert.match(page.text, /id="sign-out"/);
    const post = await request(app)
      .post(`/portal/admin/accounts/${await pendingAccount()}/approve`)
      .set('Cookie', pending.cookie)
      .type('form')
      .send({ _csrf: pending.csrfToken, roles: 'user-admin' });
    assert.equal(post.status, 403);
  });

  it('refuses a form post without the session’s CSRF token, and changes nothing', async () => {
    const admin = as.get('user-admin')!;
    const id = await pendingAccount();
    for (const csrf of [undefined, 'forged-token', as.get('primary-user')!.csrfToken]) {
      const res = await request(app)
        .post(`/portal/admin/accounts/${id}/approve`)
        .set('Cookie', admin.cookie)
        .type('form')
        .send({ roles: 'user-admin', ...(csrf ? { _csrf: csrf } : {}) });
      assert.equal(res.status, 403, String(csrf));
      assert.match(res.text, /This form has expired/);
    }
    const disable = await request(app)
      .post(`/portal/admin/accounts/${id}/disable`)
      .set('Cookie', admin.cookie)
      .type('form')
      .send({});
    assert.equal(disable.status, 403);
    assert.equal((await getAccount(t.store, id))!.status, 'pending');
  });

  it('approves with roles, confirms it once, and records it in the audit log', async () => {
    const admin = as.get('user-admin')!;
    const id = await pendingAccount('CA', 'Rosa');
    const list = await request(app).get('/portal/admin/accounts').set('Cookie', admin.cookie);
    assert.match(list.text, new RegExp(`data-account="${id}"`));
    const detail = await request(app)
      .get(`/portal/admin/accounts/${id}`)
      .set('Cookie', admin.cookie);
    assert.match(detail.text, /name="_csrf" value="/);
    const res = await request(app)
      .post(`/portal/admin/accounts/${id}/approve`)
      .set('Cookie', admin.cookie)
      .type('form')
      .send({ _csrf: admin.csrfToken, roles: ['primary-user', 'secondary-user'] })
      .expect(303);
    assert.equal(res.headers['location'], '/portal/admin/accounts');
    const after = await getAccount(t.store, id);
    assert.deepEqual(after!.grantedRoles, ['primary-user', 'secondary-user']);
    assert.equal(after!.status, 'active');
    const next = await request(app).get('/portal/admin/accounts').set('Cookie', admin.cookie);
    assert.match(next.text, /id="flash"[^>]*role="status"/);
    assert.match(next.text, /Rosa Person is approved with: Primary user, Secondary user\./);
    assert.doesNotMatch(next.text, new RegExp(`data-account="${id}"`), 'no longer pending');
    const again = await request(app).get('/portal/admin/accounts').set('Cookie', admin.cookie);
    assert.doesNotMatch(again.text, /id="flash"/, 'the confirmation shows once');

    const audit = await request(app)
      .get(`/portal/admin/audit?subjectType=account&subjectId=${id}&action=account.approve`)
      .set('Cookie', admin.cookie)
      .expect(200);
    assert.match(audit.text, /id="audit-events"/);
    assert.match(audit.text, new RegExp(`account ${id}`));
    const byActor = await request(app)
      .get(`/portal/admin/audit?account=${admin.account.id}`)
      .set('Cookie', admin.cookie);
    assert.match(byActor.text, new RegExp(`account:${admin.account.id}`));
    const today = new Date().toISOString().slice(0, 10);
    const ranged = await request(app)
      .get(`/portal/admin/audit?subjectId=${id}&since=${today}&until=${today}`)
      .set('Cookie', admin.cookie);
    assert.match(ranged.text, /account\.approve/);
    const past = await request(app)
      .get(`/portal/admin/audit?subjectId=${id}&since=2000-01-01&until=2000-01-02`)
      .set('Cookie', admin.cookie);
    assert.match(past.text, /id="no-events"/);
    const bad = await request(app)
      .get('/portal/admin/audit?since=yesterday')
      .set('Cookie', admin.cookie);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /enter a date as YYYY-MM-DD/);
  });

  it('asks for a role when none is chosen, and disables with a confirmation', async () => {
    const admin = as.get('user-admin')!;
    const id = await pendingAccount('CA', 'Omar');
    const none = await request(app)
      .post(`/portal/admin/accounts/${id}/approve`)
      .set('Cookie', admin.cookie)
      .type('form')
      .send({ _csrf: admin.csrfToken })
      .expect(303);
    assert.equal(none.headers['location'], `/portal/admin/accounts/${id}`);
    const page = await request(app).get(none.headers['location']!).set('Cookie', admin.cookie);
    assert.match(page.text, /role="alert"[\s\S]*Choose at least one role/);
    await request(app)
      .post(`/portal/admin/accounts/${id}/disable`)
      .set('Cookie', admin.cookie)
      .type('form')
      .send({ _csrf: admin.csrfToken })
      .expect(303);
    assert.equal((await getAccount(t.store, id))!.status, 'disabled');
    const shown = await request(app)
      .get(`/portal/admin/accounts/${id}`)
      .set('Cookie', admin.cookie);
    assert.match(shown.text, /Omar Person is disabled and signed out\./);
    assert.match(shown.text, /id="disabled-note"/);
    assert.doesNotMatch(shown.text, /id="approve-form"/);
  });

  it('keeps an administrator to their own state', async () => {
    const admin = as.get('user-admin')!;
    const other = await pendingAccount('TX');
    const res = await request(app)
      .get(`/portal/admin/accounts/${other}`)
      .set('Cookie', admin.cookie);
    assert.equal(res.status, 404);
    const post = await request(app)
      .post(`/portal/admin/accounts/${other}/approve`)
      .set('Cookie', admin.cookie)
      .type('form')
      .send({ _csrf: admin.csrfToken, roles: 'primary-user' });
    assert.equal(post.status, 404);
    assert.equal((await getAccount(t.store, other))!.status, 'pending');
  });

  it('escapes what identity providers assert', async () => {
    const admin = as.get('user-admin')!;
    await pendingAccount('CA', '<img src=x onerror=alert(1)>');
    const res = await request(app).get('/portal/admin/accounts').set('Cookie', admin.cookie);
    assert.doesNotMatch(res.text, /<img src=x/);
    assert.match(res.text, /&#60;img src=x onerror=alert\(1\)&#62;/);
  });

  it('serves USWDS and the portal style sheets from this origin under a self-only CSP', async () => {
    const css = await request(app).get('/assets/uswds/css/uswds.min.css').expect(200);
    assert.match(css.headers['content-type']!, /text\/css/);
    await request(app).get('/assets/uswds/js/uswds.min.js').expect(200);
    await request(app).get('/assets/uswds/img/us_flag_small.png').expect(200);
    await request(app).get('/assets/uswds/fonts/public-sans/PublicSans-Regular.woff2').expect(200);
    await request(app).get('/assets/portal/portal.css').expect(200);
    await request(app).get('/assets/portal/print.css').expect(200);
    await request(app).get('/assets/uswds/scss/anything').expect(404);
    const page = await request(app).get('/auth/login').expect(200);
    const csp = page.headers['content-security-policy']!;
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|upgrade-insecure-requests/);
    assert.doesNotMatch(page.text, /<script>|<style|style="/, 'no inline script or style');
    assert.match(page.text, /An official website of/);
  });
});
