// The child-count routes over real HTTP: who sees what, JSON and CSV, uploads, freeze, certify.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Express } from 'express';
import { QueryTypes } from 'sequelize';
import { createApp } from '../../src/app.js';
import { accessMatrix } from '../../src/identity/access-matrix.js';
import { closeIdentity, initIdentity, type Identity } from '../../src/identity/index.js';
import { storeTestChildren } from '../helpers/child-count-data.js';
import {
  identityTestStore,
  signedInAs,
  silentLogger,
  type IdentityTestStore,
  type SignedIn,
} from '../helpers/identity-sessions.js';

const base = '/api/v1/reports/child-count';

describe('child-count API', function () {
  this.timeout(60_000);
  let t: IdentityTestStore;
  let identity: Identity;
  let app: Express;
  let analyst: SignedIn;
  let caAdmin: SignedIn;
  let txAdmin: SignedIn;
  let caPrimary: SignedIn;

  before(async () => {
    t = await identityTestStore();
    identity = await initIdentity(t.config, t.store, silentLogger);
    app = createApp(t.config, {
      logger: silentLogger,
      checkDatabase: async () => undefined,
      identity,
    });
    analyst = await signedInAs(t, { state: 'CA', roles: ['federal-analyst'] });
    caAdmin = await signedInAs(t, { state: 'CA', roles: ['state-data-admin'] });
    txAdmin = await signedInAs(t, { state: 'TX', roles: ['state-data-admin'] });
    caPrimary = await signedInAs(t, { state: 'CA', roles: ['primary-user'] });
    await storeTestChildren(t.store, 'CA', [
      { id: 'API-RESIDENT', enrollments: [{ enrollmentType: '06', grade: '03' }] },
      {
        id: 'API-SUMMER',
        enrollments: [
          { enrollmentDate: '2025-06-20', withdrawalDate: '2025-07-30', enrollmentType: '03' },
        ],
      },
      { id: 'API-TOOYOUNG', birthDate: '2023-01-01' },
    ]);
    await storeTestChildren(t.store, 'TX', [{ id: 'API-TX' }]);
  });
  after(async () => {
    await closeIdentity(identity);
    await t.close();
  });

  const get = (path: string, who: SignedIn) => request(app).get(path).set('Cookie', who.cookie);
  const post = (path: string, who: SignedIn, csrf = true) => {
    const req = request(app).post(path).set('Cookie', who.cookie);
    return csrf ? req.set('X-CSRF-Token', who.csrfToken) : req;
  };

  it('gives a federal analyst the numbers of any state, JSON and CSV', async () => {
    const res = await get(`${base}?state=TX&period=2024-25`, analyst);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.state, 'TX');
    assert.equal(res.body.category1.total, 1);
    assert.equal(res.body.periodStart, '2024-09-01');
    const ca = await get(`${base}?state=ca&period=2024-25&format=csv`, analyst);
    assert.equal(ca.status, 200);
    assert.match(ca.headers['content-type']!, /text\/csv/);
    assert.match(ca.text, /^state,period,category,breakdown,group,children\r\n/);
    assert.match(ca.text, /\r\nCA,2024-25,1,total,all,2\r\n/);
    assert.match(ca.text, /\r\nCA,2024-25,2,total,all,1\r\n/);
    assert.match(ca.text, /\r\nCA,2024-25,1,grade,03,1\r\n/);
  });

  it('never gives a federal analyst child-level data', async () => {
    for (const path of [`${base}/children`, `${base}/reconciliation`]) {
      const res = await get(`${path}?state=CA&period=2024-25`, analyst);
      assert.equal(res.status, 403, path);
      assert.match(res.headers['content-type']!, /problem\+json/);
    }
  });

  it('keeps a state data administrator to their own state', async () => {
    assert.equal((await get(`${base}?state=CA&period=2024-25`, caAdmin)).status, 200);
    const other = await get(`${base}?state=CA&period=2024-25`, txAdmin);
    assert.equal(other.status, 403);
    assert.match(other.body.detail, /for TX, not CA/);
    assert.equal((await get(`${base}/children?state=CA&period=2024-25`, txAdmin)).status, 403);
    assert.equal((await get(`${base}?state=CA&period=2024-25`, caPrimary)).status, 403);
  });

  it('lists the counted children for the state, and audits the read', async () => {
    const res = await get(`${base}/children?state=CA&period=2024-25&category=2`, caAdmin);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.children.map((c: { stateStudentId: string }) => c.stateStudentId),
      ['API-SUMMER'],
    );
    const csv = await get(`${base}/children?state=CA&period=2024-25&format=csv`, caAdmin);
    assert.match(csv.text, /^category,childId,stateStudentId,grade,/);
    assert.match(csv.text, /\r\n1,\d{12},API-RESIDENT,03,N,N,N,N,2024-09-01,2025-06-10\r\n/);
    const [audit] = await t.store.sequelize.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'child-count.children.read'",
      { type: QueryTypes.SELECT },
    );
    assert.equal(Number(audit?.n), 2);
  });

  it('reconciles an uploaded CSV list and answers the differences with reasons', async () => {
    const res = await post(`${base}/reconciliation?state=CA&period=2024-25`, caAdmin)
      .set('Content-Type', 'text/csv')
      .send('stateStudentId,category\nAPI-RESIDENT,1\nAPI-TOOYOUNG,1\nNOT-OURS,1\n');
    assert.equal(res.status, 201, res.text);
    const [c1] = res.body.categories;
    assert.equal(c1.matched, 1);
    assert.deepEqual(
      c1.differences.map((d: { stateStudentId: string; reason: string }) => [
        d.stateStudentId,
        d.reason,
      ]),
      [
        ['API-TOOYOUNG', 'too-young'],
        ['NOT-OURS', 'unknown-id'],
        ['API-SUMMER', 'counted-by-continuum'],
      ],
    );
    const again = await get(`${base}/reconciliation?state=CA&period=2024-25&format=csv`, caAdmin);
    assert.equal(again.status, 200);
    assert.match(again.text, /^category,side,stateStudentId,childId,reason,detail\r\n/);
    assert.match(again.text, /1,state-only,NOT-OURS,,unknown-id,/);
  });

  it('refuses a bad list, naming each bad entry, and stores nothing', async () => {
    const res = await post(`${base}/reconciliation?state=CA&period=2024-25`, caAdmin).send({
      category1: ['OK-1', 'far-too-long-for-an-id'],
      category3: [],
    });
    assert.equal(res.status, 400);
    assert.match(res.headers['content-type']!, /problem\+json/);
    assert.deepEqual(
      res.body.errors.map((e: { path: string }) => e.path),
      ['/category3', '/category1/1'],
    );
  });

  it('freezes and certifies; a certified count is final; writes need the CSRF token', async () => {
    const body = { state: 'CA', period: '2023-24', asOf: '2024-06-30' };
    assert.equal((await post(`${base}/freeze`, caAdmin, false).send(body)).status, 403);
    assert.equal((await post(`${base}/certify`, caAdmin).send(body)).status, 409);
    const frozen = await post(`${base}/freeze`, caAdmin).send(body);
    assert.equal(frozen.status, 200, frozen.text);
    assert.equal(frozen.body.status, 'frozen');
    assert.equal(frozen.body.countedThrough, '2024-06-30');
    const certified = await post(`${base}/certify`, caAdmin).send(body);
    assert.equal(certified.body.status, 'certified');
    const refused = await post(`${base}/freeze`, caAdmin).send(body);
    assert.equal(refused.status, 409);
    assert.match(refused.headers['content-type']!, /problem\+json/);
    const read = await get(`${base}?state=CA&period=2023-24&asOf=2024-01-01`, analyst);
    assert.equal(read.body.status, 'certified');
    assert.equal(read.body.countedThrough, '2024-06-30', 'a certified count ignores asOf');
    assert.equal((await post(`${base}/freeze`, txAdmin).send(body)).status, 403);
  });

  it('describes every child-count route of the access matrix in OpenAPI', async () => {
    const doc = (await request(app).get('/api/v1/openapi.json').expect(200)).body;
    const rows = accessMatrix.filter((r) => r.path.startsWith(base));
    assert.equal(rows.length, 6);
    for (const row of rows) {
      assert.ok(doc.paths[row.path]?.[row.method.toLowerCase()], `${row.method} ${row.path}`);
    }
  });

  it('answers bad parameters with problem+json', async () => {
    for (const query of [
      'state=CA&period=2024-26',
      'state=C&period=2024-25',
      'state=ZZ&period=2024-25',
      'state=CA&period=2024-25&format=xml',
      'state=CA&period=2024-25&asOf=2024-02-30',
    ]) {
      const res = await get(`${base}?${query}`, analyst);
      assert.ok([400, 404].includes(res.status), `${query}: ${res.status}`);
      assert.match(res.headers['content-type']!, /problem\+json/);
    }
  });
});
