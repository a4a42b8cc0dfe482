// The portal over real HTTP against a real store: every row of the page table with every person
// role (allowed → 2xx/3xx, else 403 from the server), default deny for a route missing from the
// table, sign-in redirects, the pending account's single page, CSRF on every form, flash
// confirmations, the audit search and the static USWDS files under the CSP; the counts pages
// (analysts every state and never a child, state users their own state, the reconciliation
// upload with its CSRF check) and the survey-report pages (public, the embargo, the agreement).
import assert from 'node:assert/strict';
import request from 'supertest';
import { QueryTypes } from 'sequelize';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { closeIdentity, initIdentity, type Identity } from '../../src/identity/index.js';
import { personRoles, type Role } from '../../src/identity/roles.js';
import { portalTable, type PortalRoute } from '../../src/portal/page-table.js';
import { createAccount, getAccount } from '../../src/store/repositories/accounts.js';
import { storeTestChildren } from '../helpers/child-count-data.js';
import {
  identityTestStore,
  signedInAs,
  silentLogger,
  type IdentityTestStore,
  type SignedIn,
} from '../helpers/identity-sessions.js';
import { nearMatchItem, pendingMergeItem, uncountedChild } from '../helpers/portal-records-data.js';
import { registerSubscription } from '../../src/notifications/subscriptions.js';
import { surveyReportsFromSamples } from '../helpers/survey-data.js';

/** After the 2025 survey release (config/states/CA.yaml), so the sample reports are public. */
const clock = new Date('2026-11-02T12:00:00Z');
const REPORT = 'CA/student/2025/district/0699001';

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
    'GET /portal/counts': async () => ({ path: '/portal/counts?state=CA&period=2024-25' }),
    'GET /portal/counts/children': async () => ({
      path: '/portal/counts/children?state=CA&period=2024-25&category=1',
    }),
    'GET /portal/counts/reconciliation': async () => ({
      path: '/portal/counts/reconciliation?state=CA&period=2024-25',
    }),
    'POST /portal/counts/reconciliation': async () => ({
      path: '/portal/counts/reconciliation',
      form: { state: 'CA', period: '2024-25', list: 'stateStudentId,category\nPORTAL-RES,1\n' },
    }),
    // A period of its own: frozen by the first row, certified by the second.
    'POST /portal/counts/freeze': async () => ({
      path: '/portal/counts/freeze',
      form: { state: 'CA', period: '2022-23', confirm: 'yes' },
    }),
    'POST /portal/counts/certify': async () => ({
      path: '/portal/counts/certify',
      form: { state: 'CA', period: '2022-23', confirm: 'yes' },
    }),
    // Children and the worklist (CA, district 0612345 like the signed-in people): see also
    // portal-records.test.ts for what the pages show and refuse.
    'GET /portal/children': async () => ({ path: '/portal/children?lastName=Doe' }),
    'GET /portal/children/:childId': async () => ({
      path: `/portal/children/${(await uncountedChild(t.store)).childId}`,
    }),
    'GET /portal/children/:childId/print': async () => ({
      path: `/portal/children/${(await uncountedChild(t.store)).childId}/print`,
    }),
    'POST /portal/children/:childId/move-notices': async () => ({
      path: `/portal/children/${(await uncountedChild(t.store)).childId}/move-notices`,
      form: { departureDate: '2026-10-30', destinationState: 'TX' },
    }),
    'GET /portal/worklist': async () => ({ path: '/portal/worklist' }),
    'GET /portal/worklist/:id': async () => ({
      path: `/portal/worklist/${(await nearMatchItem(t.store)).id}`,
    }),
    'POST /portal/worklist/:id/resolve': async () => ({
      path: `/portal/worklist/${(await nearMatchItem(t.store)).id}/resolve`,
      form: { decision: 'different' },
    }),
    'POST /portal/worklist/:id/validate': async () => ({
      path: `/portal/worklist/${await pendingMergeItem(t.store)}/validate`,
      form: { approve: 'no' },
    }),
    'POST /portal/worklist/:id/reassign': async () => ({
      path: `/portal/worklist/${(await nearMatchItem(t.store)).id}/reassign`,
      form: { level: 'district', district: '0612345' },
    }),
    'POST /portal/worklist/merges': async () => {
      const a = await uncountedChild(t.store);
      const b = await uncountedChild(t.store);
      return {
        path: '/portal/worklist/merges',
        form: { childIds: `${a.childId}, ${b.childId}`, masterChildId: a.childId },
      };
    },
    'POST /portal/worklist/splits': async () => {
      const c = await uncountedChild(t.store, ['CA', 'CA']);
      return {
        path: '/portal/worklist/splits',
        form: { childId: c.childId, groups: `${c.recordIds[0]}\n${c.recordIds[1]}` },
      };
    },
    'GET /portal/admin/jobs': async () => ({ path: '/portal/admin/jobs' }),
    'GET /portal/admin/clients': async () => ({ path: '/portal/admin/clients' }),
    'GET /portal/admin/subscriptions': async () => ({ path: '/portal/admin/subscriptions' }),
    'POST /portal/admin/subscriptions': async () => ({
      path: '/portal/admin/subscriptions',
      form: { name: 'Row hook', audience: 'state', channel: 'webhook', url: 'https://h.example' },
    }),
    'POST /portal/admin/subscriptions/:id/rotate-secret': async () => {
      const { subscription } = await registerSubscription(t.store, 'CA', {
        name: 'Rotated hook',
        audience: 'state',
        channel: 'webhook',
        url: 'https://rotated.example',
      });
      return { path: `/portal/admin/subscriptions/${subscription.id}/rotate-secret`, form: {} };
    },
    'GET /portal/admin/deliveries': async () => ({ path: '/portal/admin/deliveries?status=dead' }),
    // No dead letter of that id: the page says so (the resend itself: portal-records.test.ts).
    'POST /portal/admin/deliveries/:id/resend': async () => ({
      path: '/portal/admin/deliveries/999999/resend',
      form: {},
    }),
    'GET /portal/move-notices': async () => ({ path: '/portal/move-notices?status=open' }),
    'GET /portal/deadlines': async () => ({ path: '/portal/deadlines' }),
    'GET /portal/survey-reports': async () => ({ path: '/portal/survey-reports' }),
    'GET /portal/survey-reports/agreement': async () => ({
      path: '/portal/survey-reports/agreement',
    }),
    'POST /portal/survey-reports/agreement': async () => ({
      path: '/portal/survey-reports/agreement',
      form: { accept: 'yes' },
    }),
    'GET /portal/survey-reports/:state/:survey/:year/:scope/:id': async () => ({
      path: `/portal/survey-reports/${REPORT}`,
    }),
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
      now: () => clock,
    });
    await storeTestChildren(t.store, 'CA', [
      { id: 'PORTAL-RES', enrollments: [{ enrollmentType: '06', grade: '03' }] },
      {
        id: 'PORTAL-SUMMER',
        enrollments: [
          { enrollmentDate: '2025-06-20', withdrawalDate: '2025-07-30', enrollmentType: '03' },
        ],
      },
      { id: 'PORTAL-YOUNG', birthDate: '2023-01-01' },
    ]);
    await storeTestChildren(t.store, 'TX', [{ id: 'PORTAL-TX' }]);
    await surveyReportsFromSamples(t.store, t.config, clock);
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

  it('shows a user administrator their state systems’ clients and whether each secret is set, never a secret', async () => {
    const secret = 'ca-system-secret-value-1234567890';
    const config = {
      ...t.config,
      identity: {
        ...t.config.identity,
        provider: {
          ...t.config.identity.provider,
          clients: [
            {
              kind: 'state-system' as const,
              clientId: 'ca-uploads',
              clientSecretEnv: 'PORTAL_TEST_CA_SECRET',
              state: 'CA',
            },
            {
              kind: 'state-system' as const,
              clientId: 'ca-backup',
              clientSecretEnv: 'PORTAL_TEST_CA_BACKUP_SECRET',
              state: 'CA',
            },
            {
              kind: 'state-system' as const,
              clientId: 'tx-uploads',
              clientSecretEnv: 'PORTAL_TEST_TX_SECRET',
              state: 'TX',
            },
          ],
        },
      },
    };
    process.env['PORTAL_TEST_CA_SECRET'] = secret;
    try {
      const withClients = createApp(config, {
        logger: silentLogger,
        checkDatabase: async () => undefined,
        identity,
        store: t.store,
        now: () => clock,
      });
      const res = await request(withClients)
        .get('/portal/admin/clients')
        .set('Cookie', as.get('user-admin')!.cookie);
      assert.equal(res.status, 200);
      const rows = [...res.text.matchAll(/<tr>\s*<td><code>([^<]+)<\/code><\/td>[\s\S]*?<\/tr>/g)];
      const row = (id: string) => rows.find((m) => m[1] === id)?.[0] ?? '';
      assert.match(row('ca-uploads'), /PORTAL_TEST_CA_SECRET[\s\S]*>set</);
      assert.match(row('ca-backup'), /not set/);
      assert.equal(row('tx-uploads'), '', 'another state’s system is not listed');
      assert.ok(!res.text.includes(secret), 'the secret never appears');
      const primary = await request(withClients)
        .get('/portal/admin/clients')
        .set('Cookie', as.get('primary-user')!.cookie);
      assert.equal(primary.status, 403);
    } finally {
      delete process.env['PORTAL_TEST_CA_SECRET'];
    }
  });

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
  describe('counts', () => {
    const page = (path: string, who: SignedIn) => request(app).get(path).set('Cookie', who.cookie);
    // `null`: no token at all (undefined would take the default).
    const upload = (who: SignedIn, csv: string, csrf: string | null = who.csrfToken) => {
      let req = request(app)
        .post('/portal/counts/reconciliation')
        .set('Cookie', who.cookie)
        .field('state', 'CA')
        .field('period', '2024-25');
      if (csrf) req = req.field('_csrf', csrf);
      return req.attach('list', Buffer.from(csv), {
        filename: 'ca-list.csv',
        contentType: 'text/csv',
      });
    };
    const stateLists = async () => {
      const [row] = await t.store.sequelize.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM child_count_lists',
        { type: QueryTypes.SELECT },
      );
      return Number(row?.n);
    };

    it('shows a federal analyst the numbers of any state, with breakdowns and the CSV link', async () => {
      const analyst = as.get('federal-analyst')!;
      const tx = await page('/portal/counts?state=TX&period=2024-25', analyst).expect(200);
      assert.match(tx.text, /<select[^>]+id="count-state"/, 'an analyst chooses the state');
      assert.match(tx.text, /data-row="total"[\s\S]*?data-category="1">1</);
      const ca = await page('/portal/counts?state=CA&period=2024-25', analyst).expect(200);
      assert.match(
        ca.text,
        /data-row="total"[\s\S]*?data-category="1">2<[\s\S]*?data-category="2">1</,
      );
      assert.match(ca.text, /data-row="grade-03"[\s\S]*?data-category="1">1</);
      assert.match(ca.text, /<caption>\s*Children counted in CA, 2024-25, by grade or age group/);
      assert.match(
        ca.text,
        /href="\/api\/v1\/reports\/child-count\?state=CA&#38;period=2024-25&#38;format=csv"/,
      );
      const csv = await page(
        '/api/v1/reports/child-count?state=CA&period=2024-25&format=csv',
        analyst,
      );
      assert.equal(csv.status, 200);
      assert.match(csv.text, /\r\nCA,2024-25,1,total,all,2\r\n/);
      // Never a child: no links to the lists, and the server refuses them whatever the link.
      assert.doesNotMatch(ca.text, /\/portal\/counts\/(children|reconciliation)|freeze-form/);
      for (const path of [
        '/portal/counts/children?state=CA&period=2024-25',
        '/portal/counts/children?state=TX&period=2024-25&category=2',
        '/portal/counts/reconciliation?state=CA&period=2024-25',
      ]) {
        const res = await page(path, analyst);
        assert.equal(res.status, 403, path);
        assert.doesNotMatch(res.text, /PORTAL-/);
      }
      const post = await upload(analyst, 'stateStudentId,category\nPORTAL-RES,1\n');
      assert.equal(post.status, 403);
    });

    it('keeps a state data administrator to their own state', async () => {
      const admin = as.get('state-data-admin')!;
      const own = await page('/portal/counts?period=2024-25', admin).expect(200);
      assert.match(own.text, /id="count-state-code">CA</);
      assert.doesNotMatch(own.text, /id="count-state"/, 'no state to choose');
      assert.match(own.text, /id="children-1"/);
      for (const path of [
        '/portal/counts?state=TX&period=2024-25',
        '/portal/counts/children?state=TX&period=2024-25',
        '/portal/counts/reconciliation?state=TX&period=2024-25',
      ]) {
        const res = await page(path, admin);
        assert.equal(res.status, 403, path);
        assert.doesNotMatch(res.text, /PORTAL-TX/);
      }
      assert.equal((await page('/portal/counts?state=ZZ&period=2024-25', admin)).status, 404);
      assert.equal((await page('/portal/counts?state=CA&period=2024', admin)).status, 400);
    });

    it('lists the counted children of the own state, and audits the read', async () => {
      const admin = as.get('state-data-admin')!;
      const c2 = await page('/portal/counts/children?state=CA&period=2024-25&category=2', admin);
      assert.equal(c2.status, 200, c2.text);
      assert.match(c2.text, /data-child="PORTAL-SUMMER"/);
      assert.doesNotMatch(c2.text, /data-child="PORTAL-RES"/);
      // Each number of the count links to the children behind it.
      const count = await page('/portal/counts?state=CA&period=2024-25', admin);
      const grade =
        /data-row="grade-03"[\s\S]*?data-category="1"><a class="usa-link" href="([^"]+)"/.exec(
          count.text,
        )?.[1];
      assert.ok(grade, 'a link behind the grade 3 number');
      const behind = await page(grade.replace(/&#38;/g, '&'), admin).expect(200);
      assert.match(behind.text, /data-child="PORTAL-RES"/);
      assert.doesNotMatch(behind.text, /data-child="PORTAL-SUMMER"/, 'grade 06, not 03');
      assert.match(behind.text, /Only the children counted under: Grade 3\./);
      const iep = await page(
        '/portal/counts/children?state=CA&period=2024-25&breakdown=iep',
        admin,
      );
      assert.match(iep.text, /id="no-children"/);
      const bad = await page('/portal/counts/children?state=CA&period=2024-25&breakdown=x', admin);
      assert.equal(bad.status, 400);
      const c1 = await page('/portal/counts/children?state=CA&period=2024-25', admin);
      assert.match(c1.text, /data-child="PORTAL-RES"[\s\S]*?<td>\d{12}<\/td>\s*<td>03<\/td>/);
      const [audit] = await t.store.sequelize.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'child-count.children.read' AND actor = :actor",
        { type: QueryTypes.SELECT, replacements: { actor: `account:${admin.account.id}` } },
      );
      assert.ok(Number(audit?.n) >= 2);
    });

    it('refuses an upload without the session’s CSRF token, and stores nothing', async () => {
      const admin = as.get('state-data-admin')!;
      const before = await stateLists();
      for (const csrf of [null, 'forged', as.get('primary-user')!.csrfToken]) {
        const res = await upload(admin, 'stateStudentId,category\nPORTAL-RES,1\n', csrf);
        assert.equal(res.status, 403, String(csrf));
        assert.match(res.text, /This form has expired/);
      }
      assert.equal(await stateLists(), before);
    });

    it('reconciles an uploaded CSV file, confirms it, and names every child that differs', async () => {
      const admin = as.get('state-data-admin')!;
      const res = await upload(
        admin,
        'stateStudentId,category\nPORTAL-RES,1\nPORTAL-YOUNG,1\nNOT-OURS,1\nPORTAL-SUMMER,2\n',
      ).expect(303);
      assert.equal(
        res.headers['location'],
        '/portal/counts/reconciliation?state=CA&period=2024-25',
      );
      const shown = await page(res.headers['location']!, admin).expect(200);
      assert.match(
        shown.text,
        /id="flash"[^>]*role="status"[\s\S]*Your list of 4 IDs is stored and compared\. Category 1: 1 matched, 3 differ\. Category 2: 1 matched, 0 differ\./,
      );
      assert.match(shown.text, /data-difference="PORTAL-YOUNG" data-reason="too-young"/);
      assert.match(shown.text, /data-difference="NOT-OURS" data-reason="unknown-id"/);
      assert.match(
        shown.text,
        /data-difference="PORTAL-SUMMER" data-reason="counted-by-continuum"/,
      );
      assert.match(shown.text, /Not yet 3 on any eligible day of the period\./);
      assert.match(shown.text, /enctype="multipart\/form-data"/);
      const bad = await upload(admin, 'stateStudentId,category\nPORTAL-RES,7\n').expect(303);
      const refused = await page(bad.headers['location']!, admin);
      assert.match(refused.text, /role="alert"[\s\S]*The list was not stored/);
      const none = await request(app)
        .post('/portal/counts/reconciliation')
        .set('Cookie', admin.cookie)
        .field('_csrf', admin.csrfToken)
        .field('state', 'CA')
        .field('period', '2024-25')
        .expect(303);
      const asked = await page(none.headers['location']!, admin);
      assert.match(asked.text, /Choose a CSV file to upload/);
    });

    it('freezes as of a date and certifies, each only when confirmed', async () => {
      const admin = as.get('state-data-admin')!;
      const post = (action: string, form: Record<string, string>) =>
        request(app)
          .post(`/portal/counts/${action}`)
          .set('Cookie', admin.cookie)
          .type('form')
          .send({ _csrf: admin.csrfToken, state: 'CA', period: '2024-25', ...form })
          .expect(303);
      const unconfirmed = await post('freeze', { asOf: '2025-03-31' });
      const asked = await page(unconfirmed.headers['location']!, admin);
      assert.match(asked.text, /Tick the confirmation box first/);
      assert.match(asked.text, /id="count-status">Computed/);
      await post('freeze', { asOf: '2025-03-31', confirm: 'yes' });
      const frozen = await page('/portal/counts?state=CA&period=2024-25', admin);
      assert.match(frozen.text, /is frozen, counting days through 2025-03-31/);
      assert.match(frozen.text, /id="count-status">Frozen/);
      assert.match(frozen.text, /id="certify-form"/);
      await post('certify', { confirm: 'yes' });
      const certified = await page('/portal/counts?state=CA&period=2024-25', admin);
      assert.match(certified.text, /count of CA is certified: Category 1 \d+, Category 2 \d+\./);
      assert.match(certified.text, /id="certified-note"/);
      await post('freeze', { confirm: 'yes' });
      const refused = await page('/portal/counts?state=CA&period=2024-25', admin);
      assert.match(refused.text, /role="alert"[\s\S]*certified/);
    });

    it('shows analysts and state users the latest counts on their home page', async () => {
      const home = await page('/portal', as.get('federal-analyst')!).expect(200);
      assert.match(home.text, /id="latest-counts"[\s\S]*href="\/portal\/counts\?period=2025-26"/);
      assert.match(home.text, /class="portal-nav__link" href="\/portal\/counts"/);
      const primary = await page('/portal', as.get('primary-user')!);
      assert.doesNotMatch(primary.text, /latest-counts|href="\/portal\/counts"/);
    });
  });

  describe('survey reports', () => {
    it('lists public reports to anyone, with the public HTML, CSV and JSON addresses', async () => {
      const res = await request(app).get('/portal/survey-reports').expect(200);
      assert.match(res.text, /id="survey-reports"/);
      assert.ok(res.text.includes(`href="/portal/survey-reports/${REPORT}"`));
      assert.ok(res.text.includes(`href="/reports/survey/${REPORT}"`));
      assert.ok(res.text.includes(`href="/api/v1/survey-reports/${REPORT}?format=csv"`));
      assert.ok(res.text.includes(`href="/api/v1/survey-reports/${REPORT}"`));
      assert.match(res.text, /href="\/auth\/login"/, 'signed out: a sign-in link, no agreement');
      assert.doesNotMatch(res.text, /agreement-prompt/);
      const regions = await request(app)
        .get('/portal/survey-reports?scope=region&survey=staff&year=2025')
        .expect(200);
      const listed = [...regions.text.matchAll(/data-report="([^"]+)"/g)].map((m) => m[1]);
      assert.ok(listed.length > 0);
      assert.ok(
        listed.every((href) => /^\/reports\/survey\/CA\/staff\/2025\/region\//.test(href!)),
      );
      assert.match(regions.text, /<option value="region"\s+selected/);
    });

    it('draws a report inside the portal layout, styled by a linked sheet, charts in SVG', async () => {
      const res = await request(app).get(`/portal/survey-reports/${REPORT}`).expect(200);
      assert.match(res.text, /An official website of/);
      assert.match(res.text, /<link rel="stylesheet" href="\/assets\/portal\/survey-report\.css"/);
      assert.match(
        res.text,
        /<svg[^>]+role="img"[^>]+aria-labelledby="chart-0-title chart-0-desc"/,
      );
      assert.doesNotMatch(res.text, /<style|style="|<script>/);
      const css = await request(app).get('/assets/portal/survey-report.css').expect(200);
      assert.match(css.text, /@media print/);
      const publicPage = await request(app).get(`/reports/survey/${REPORT}`).expect(200);
      assert.doesNotMatch(publicPage.text, /<style|style="/);
      assert.match(publicPage.text, /href="\/assets\/portal\/survey-report\.css"/);
      const missing = await request(app).get(
        '/portal/survey-reports/CA/student/2025/district/0699004',
      );
      assert.equal(missing.status, 404);
      assert.match(missing.text, /no survey report at this address/);
    });

    it('shows embargoed reports only after the agreement is accepted, with a confirmation', async () => {
      const person = await signedInAs(t, { state: 'CA', roles: ['secondary-user'] });
      const ca = t.config.states.find((s) => s.code === 'CA')!;
      const saved = ca.survey.releases;
      ca.survey.releases = []; // nothing public: every report embargoed
      try {
        const before = await request(app)
          .get('/portal/survey-reports')
          .set('Cookie', person.cookie);
        assert.match(before.text, /id="no-reports"/);
        assert.match(before.text, /id="agreement-prompt"/);
        const hidden = await request(app)
          .get(`/portal/survey-reports/${REPORT}`)
          .set('Cookie', person.cookie);
        assert.equal(hidden.status, 404);
        const form = await request(app)
          .get('/portal/survey-reports/agreement')
          .set('Cookie', person.cookie)
          .expect(200);
        assert.match(form.text, /I will keep the survey reports/);
        assert.match(form.text, /name="_csrf"/);
        const forged = await request(app)
          .post('/portal/survey-reports/agreement')
          .set('Cookie', person.cookie)
          .type('form')
          .send({ accept: 'yes' });
        assert.equal(forged.status, 403);
        const unticked = await request(app)
          .post('/portal/survey-reports/agreement')
          .set('Cookie', person.cookie)
          .type('form')
          .send({ _csrf: person.csrfToken })
          .expect(303);
        const asked = await request(app)
          .get(unticked.headers['location']!)
          .set('Cookie', person.cookie);
        assert.match(asked.text, /Tick the box to accept the agreement/);
        const accepted = await request(app)
          .post('/portal/survey-reports/agreement')
          .set('Cookie', person.cookie)
          .type('form')
          .send({ _csrf: person.csrfToken, accept: 'yes' })
          .expect(303);
        assert.equal(accepted.headers['location'], '/portal/survey-reports');
        const after = await request(app).get('/portal/survey-reports').set('Cookie', person.cookie);
        assert.match(after.text, /You accepted the confidentiality agreement/);
        assert.match(after.text, /Confidential until release/);
        assert.doesNotMatch(after.text, /id="agreement-prompt"/);
        const shown = await request(app)
          .get(`/portal/survey-reports/${REPORT}`)
          .set('Cookie', person.cookie)
          .expect(200);
        assert.match(shown.text, /id="embargoed"/);
        const anonymous = await request(app).get(`/portal/survey-reports/${REPORT}`);
        assert.equal(anonymous.status, 404, 'still embargoed for everyone else');
      } finally {
        ca.survey.releases = saved;
      }
    });
  });
});
