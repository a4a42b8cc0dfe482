// Walks the whole role × route matrix (src/identity/access-matrix.ts) over real HTTP against a
// real store: every row, every person role, plus no sign-in at all. Allowed → 2xx, else 403,
// unauthenticated → 401. A row without a request here fails the suite, so none escapes.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { accessMatrix, type RouteAccess } from '../../src/identity/access-matrix.js';
import { initIdentity, closeIdentity, type Identity } from '../../src/identity/index.js';
import { personRoles, type Role } from '../../src/identity/roles.js';
import { freezeCount, parsePeriod, saveStateList } from '../../src/reports/child-count/index.js';
import { createAccount } from '../../src/store/repositories/accounts.js';
import { createChild } from '../../src/store/repositories/children.js';
import {
  identityTestStore,
  signedInAs,
  silentLogger,
  storedStudentRecord,
  type IdentityTestStore,
  type SignedIn,
} from '../helpers/identity-sessions.js';
import { surveyReportsFromSamples } from '../helpers/survey-data.js';
import {
  FIXTURE_DISTRICT,
  appliedMerge,
  fixtureChild,
  openNearMatch,
  pendingMerge,
} from '../helpers/linkage-fixtures.js';
import { deadDelivery, webhookSubscription } from '../helpers/notification-rows.js';

interface Call {
  path: string;
  body?: object;
}

describe('role × route matrix', function () {
  this.timeout(60_000);
  let t: IdentityTestStore;
  let identity: Identity;
  let app: Express;
  let recordId: number;
  let childId: string;
  const as = new Map<Role, SignedIn>();

  let periods = 1990;
  /** 1990-91, 1991-92, ...: a period no other call has frozen or certified. */
  function nextPeriod(): string {
    periods++;
    return `${periods}-${String((periods + 1) % 100).padStart(2, '0')}`;
  }

  async function pendingAccount(): Promise<number> {
    const a = await createAccount(t.store, {
      stateCode: 'CA',
      idpSubject: `pending-${Math.random().toString(36).slice(2)}`,
      status: 'pending',
      idpRoles: [],
    });
    return a.id;
  }

  // One concrete request per matrix row; factories run per call (approve/disable need a target).
  const calls: Record<string, () => Promise<Call>> = {
    'GET /api/v1/openapi.json': async () => ({ path: '/api/v1/openapi.json' }),
    'GET /api/v1/schema/exchange.json': async () => ({ path: '/api/v1/schema/exchange.json' }),
    'GET /api/v1/states': async () => ({ path: '/api/v1/states' }),
    'GET /api/v1/me': async () => ({ path: '/api/v1/me' }),
    'GET /api/v1/student-records/:id': async () => ({
      path: `/api/v1/student-records/${recordId}`,
    }),
    'GET /api/v1/children': async () => ({ path: '/api/v1/children?lastName=Hernandez' }),
    'GET /api/v1/children/:childId': async () => ({
      path: `/api/v1/children/${(await fixtureChild(t.store)).childId}`,
    }),
    'GET /api/v1/children/:childId/print': async () => ({
      path: `/api/v1/children/${(await fixtureChild(t.store)).childId}/print`,
    }),
    'GET /api/v1/worklist': async () => ({ path: '/api/v1/worklist' }),
    'POST /api/v1/worklist/:id/resolve': async () => ({
      path: `/api/v1/worklist/${await openNearMatch(t.store)}/resolve`,
      body: { decision: 'different' },
    }),
    'POST /api/v1/worklist/:id/validate': async () => ({
      path: `/api/v1/worklist/${await pendingMerge(t.store)}/validate`,
      body: { approve: false },
    }),
    'POST /api/v1/worklist/:id/reassign': async () => ({
      path: `/api/v1/worklist/${await openNearMatch(t.store)}/reassign`,
      body: { level: 'district', district: FIXTURE_DISTRICT },
    }),
    'POST /api/v1/worklist/merges': async () => ({
      path: '/api/v1/worklist/merges',
      body: await (async () => {
        const [a, b] = [await fixtureChild(t.store), await fixtureChild(t.store, ['TX'])];
        return { childIds: [a.childId, b.childId], masterChildId: a.childId };
      })(),
    }),
    'POST /api/v1/worklist/splits': async () => ({
      path: '/api/v1/worklist/splits',
      body: await (async () => {
        const c = await fixtureChild(t.store, ['CA', 'TX']);
        return { childId: c.childId, groups: [[c.recordIds[1]]] };
      })(),
    }),
    'POST /api/v1/linkage-changes/:id/revert': async () => ({
      path: `/api/v1/linkage-changes/${await appliedMerge(t.store)}/revert`,
      body: {},
    }),
    'GET /api/v1/audit-events': async () => ({ path: '/api/v1/audit-events?limit=5' }),
    'GET /api/v1/accounts': async () => ({ path: '/api/v1/accounts?status=pending' }),
    'GET /api/v1/accounts/:id/access-grants': async () => ({
      path: `/api/v1/accounts/${await pendingAccount()}/access-grants`,
    }),
    'POST /api/v1/accounts/:id/approve': async () => ({
      path: `/api/v1/accounts/${await pendingAccount()}/approve`,
      body: { roles: ['secondary-user'] },
    }),
    'POST /api/v1/accounts/:id/disable': async () => ({
      path: `/api/v1/accounts/${await pendingAccount()}/disable`,
      body: {},
    }),
    'GET /api/v1/reports/child-count': async () => ({
      path: '/api/v1/reports/child-count?state=CA&period=2024-25',
    }),
    'GET /api/v1/reports/child-count/children': async () => ({
      path: '/api/v1/reports/child-count/children?state=CA&period=2024-25',
    }),
    'POST /api/v1/reports/child-count/reconciliation': async () => ({
      path: '/api/v1/reports/child-count/reconciliation?state=CA&period=2024-25',
      body: { category1: ['CA0099000123'] },
    }),
    'GET /api/v1/reports/child-count/reconciliation': async () => {
      await saveStateList(t.store, {
        state: 'CA',
        period: '2024-25',
        entries: [{ category: 1, stateStudentId: 'CA0099000123', row: 1 }],
        by: 'roles-matrix',
        now: new Date(),
      });
      return { path: '/api/v1/reports/child-count/reconciliation?state=CA&period=2024-25' };
    },
    // A fresh period per call: a certified count can be neither frozen nor certified again.
    'POST /api/v1/reports/child-count/freeze': async () => ({
      path: '/api/v1/reports/child-count/freeze',
      body: { state: 'CA', period: nextPeriod(), asOf: '2020-01-31' },
    }),
    'POST /api/v1/reports/child-count/certify': async () => {
      const period = nextPeriod();
      await freezeCount(t.store, {
        state: 'CA',
        period: parsePeriod(period),
        countedThrough: parsePeriod(period).end,
        by: 'roles-matrix',
        now: new Date(),
      });
      return { path: '/api/v1/reports/child-count/certify', body: { state: 'CA', period } };
    },
    // The sample survey year 2025 is released in config/states/CA.yaml: public.
    'GET /api/v1/survey-reports': async () => ({ path: '/api/v1/survey-reports?state=CA' }),
    'GET /api/v1/survey-reports/agreement': async () => ({
      path: '/api/v1/survey-reports/agreement',
    }),
    'POST /api/v1/survey-reports/agreement': async () => ({
      path: '/api/v1/survey-reports/agreement',
      body: { accept: true },
    }),
    'POST /api/v1/survey-reports/generate': async () => ({
      path: '/api/v1/survey-reports/generate',
      body: { survey: 'staff', year: 2025 },
    }),
    'GET /api/v1/survey-reports/:state/:survey/:year/:scope/:id': async () => ({
      path: '/api/v1/survey-reports/CA/student/2025/state/CA',
    }),
    'GET /api/v1/jobs': async () => ({ path: '/api/v1/jobs?limit=5' }),
    'GET /api/v1/subscriptions': async () => ({ path: '/api/v1/subscriptions' }),
    'POST /api/v1/subscriptions': async () => ({
      path: '/api/v1/subscriptions',
      body: {
        name: 'Regional center',
        audience: 'partner',
        channel: 'webhook',
        url: 'http://127.0.0.1:9/hook',
      },
    }),
    'POST /api/v1/subscriptions/:id/rotate-secret': async () => ({
      path: `/api/v1/subscriptions/${(await webhookSubscription(t.store, { ownerState: 'CA' })).id}/rotate-secret`,
      body: {},
    }),
    'GET /api/v1/notifications/deliveries': async () => ({
      path: '/api/v1/notifications/deliveries?status=dead',
    }),
    'POST /api/v1/notifications/deliveries/:id/resend': async () => ({
      path: `/api/v1/notifications/deliveries/${await deadDelivery(t.store, 'CA')}/resend`,
      body: {},
    }),
    'POST /api/v1/children/:childId/move-notices': async () => ({
      path: `/api/v1/children/${childId}/move-notices`,
      body: { departureDate: '2026-11-20', destinationState: 'TX', destinationCity: 'Pharr' },
    }),
    'GET /api/v1/move-notices': async () => ({ path: '/api/v1/move-notices?status=open' }),
    'GET /api/v1/deadlines': async () => ({ path: '/api/v1/deadlines?state=CA' }),
  };
  const key = (r: RouteAccess) => `${r.method} ${r.path}`;
  const guarded = accessMatrix.filter((r) => r.enforcedBy !== 'router');

  before(async () => {
    t = await identityTestStore();
    identity = await initIdentity(t.config, t.store, silentLogger);
    app = createApp(t.config, {
      logger: silentLogger,
      checkDatabase: async () => undefined,
      identity,
      store: t.store,
    });
    recordId = await storedStudentRecord(t, 'TX');
    await surveyReportsFromSamples(t.store, t.config);
    childId = await createChild(t.store);
    for (const role of personRoles) {
      as.set(role, await signedInAs(t, { state: 'CA', roles: [role], district: '0612345' }));
    }
  });
  after(async () => {
    await closeIdentity(identity);
    await t.close();
  });

  function send(call: Call, method: string, who?: SignedIn) {
    const agent = request(app);
    let req = method === 'POST' ? agent.post(call.path) : agent.get(call.path);
    if (who) req = req.set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken);
    return call.body ? req.send(call.body) : req;
  }

  it('has a request for every row the guard enforces', () => {
    assert.deepEqual(
      guarded.map(key).filter((k) => !calls[k]),
      [],
    );
  });

  for (const route of guarded) {
    describe(key(route), () => {
      it(
        route.allow === 'public'
          ? 'is public: 2xx without sign-in'
          : 'refuses an unauthenticated caller with 401',
        async () => {
          const res = await send(await calls[key(route)]!(), route.method);
          if (route.allow === 'public') assert.ok(res.status < 300, `got ${res.status}`);
          else {
            assert.equal(res.status, 401, res.text);
            assert.match(res.headers['content-type']!, /problem\+json/);
          }
        },
      );
      for (const role of personRoles) {
        const allowed = route.allow === 'public' || route.allow.includes(role);
        it(`${role}: ${allowed ? '2xx' : '403'}`, async () => {
          const res = await send(await calls[key(route)]!(), route.method, as.get(role));
          if (allowed)
            assert.ok(res.status >= 200 && res.status < 300, `${res.status} ${res.text}`);
          else assert.equal(res.status, 403, res.text);
        });
      }
    });
  }

  it('refuses a route missing from the matrix (default deny under /api/v1)', async () => {
    const admin = as.get('user-admin')!;
    const res = await request(app).get('/api/v1/not-in-matrix').set('Cookie', admin.cookie);
    assert.equal(res.status, 403);
    assert.match(res.body.detail, /not in the access matrix/);
  });

  it('never lets a federal analyst read a child’s record', async () => {
    const analyst = as.get('federal-analyst')!;
    const res = await send({ path: `/api/v1/student-records/${recordId}` }, 'GET', analyst);
    assert.equal(res.status, 403);
  });
});
