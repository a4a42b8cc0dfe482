// The consolidated record, search, print view and worklist routes over real HTTP (supertest),
// signed in through stored sessions (identity-sessions.ts), against a real SQLite store.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { closeIdentity, initIdentity, type Identity } from '../../src/identity/index.js';
import { generateChildId, luhnCheckDigit, searchAuditEvents } from '../../src/store/index.js';
import { writeKeysFor } from '../../src/linkage/link-records.js';
import { linkageFieldsOf } from '../../src/linkage/person.js';
import { readStudentDocuments } from '../../src/store/index.js';
import { writeRecordLinks } from '../../src/store/repositories/record-links.js';
import {
  identityTestStore,
  signedInAs,
  silentLogger,
  type IdentityTestStore,
  type SignedIn,
} from '../helpers/identity-sessions.js';
import { fixtureChild } from '../helpers/linkage-fixtures.js';

describe('consolidated record API', function () {
  this.timeout(60_000);
  let t: IdentityTestStore;
  let identity: Identity;
  let app: Express;
  let reader: SignedIn;
  let alice: SignedIn;
  let bob: SignedIn;
  let child: { childId: string; recordIds: number[] };

  before(async () => {
    t = await identityTestStore();
    identity = await initIdentity(t.config, t.store, silentLogger);
    app = createApp(t.config, {
      logger: silentLogger,
      checkDatabase: async () => undefined,
      identity,
    });
    reader = await signedInAs(t, { state: 'CA', roles: ['primary-user'] });
    alice = await signedInAs(t, { state: 'CA', roles: ['state-data-admin'] });
    bob = await signedInAs(t, { state: 'CA', roles: ['state-data-admin'] });
    // One child known to California and Texas, Texas with a nickname and an earlier birth city.
    child = await fixtureChild(t.store, ['CA', 'TX'], (doc, state) => {
      doc.student.lastName1 = 'Zúñiga';
      doc.student.birthDate = '2009-11-23';
      if (state === 'TX') {
        doc.student.firstName = 'Pepe';
        doc.student.birthCity = 'Salinas <b>';
      }
    });
    const docs = await readStudentDocuments(t.store, child.recordIds);
    await writeKeysFor(
      t.store,
      undefined,
      [...docs.values()].map((d) => ({
        studentRecordId: d.studentRecordId,
        stateCode: d.source.state,
        fields: linkageFieldsOf(d.document.student),
      })),
    );
    await writeRecordLinks(t.store, undefined, [
      {
        studentRecordId: child.recordIds[1]!,
        childId: child.childId,
        method: 'auto',
        score: 31.5,
        matchedRecordId: child.recordIds[0]!,
        contributions: { contributions: [{ field: 'firstName', level: 'nickname', weight: 6.6 }] },
        linkedBy: null,
      },
    ]);
  });
  after(async () => {
    await closeIdentity(identity);
    await t.close();
  });

  const get = (path: string, who: SignedIn) => request(app).get(path).set('Cookie', who.cookie);
  const post = (path: string, who: SignedIn, body: object) =>
    request(app).post(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body);

  it('answers every state’s data with sources, disagreements, linked IDs and why they were linked', async () => {
    const res = await get(`/api/v1/children/${child.childId}`, reader);
    assert.equal(res.status, 200, res.text);
    const body = res.body;
    assert.equal(body.childId, child.childId);
    const first = body.demographics.find((d: { field: string }) => d.field === 'firstName');
    assert.equal(first.disagree, true);
    assert.deepEqual(
      first.values.map((v: { value: string; states: string[] }) => [v.value, v.states]),
      [
        ['José', ['CA']],
        ['Pepe', ['TX']],
      ],
    );
    const sex = body.demographics.find((d: { field: string }) => d.field === 'sex');
    assert.equal(sex.disagree, false);
    assert.deepEqual(
      body.linkedStateIds.map((i: { state: string }) => i.state),
      ['CA', 'TX'],
    );
    assert.equal(body.enrollments.length, 2);
    assert.deepEqual(
      body.enrollments.map((e: { source: { state: string } }) => e.source.state).sort(),
      ['CA', 'TX'],
    );
    assert.ok(body.enrollments[0].source.submissionId > 0);
    assert.ok(body.enrollments[0].source.receivedAt);
    const course = body.courses[0].item;
    assert.equal(course.clockHours, 62.5, 'partial credit: clock hours');
    assert.equal(course.gradeToDate, 'B+', 'partial credit: grade to date');
    assert.ok(body.qualifyingMoves.length >= 2);
    assert.ok(body.assessments.length >= 2);
    assert.equal(body.links.length, 1);
    assert.equal(body.links[0].score, 31.5);
    assert.equal(body.links[0].contributions.contributions[0].level, 'nickname');
  });

  it('audits each read with the reader and the child', async () => {
    const before = await searchAuditEvents(t.store, {
      subjectId: child.childId,
      action: 'child.read',
      limit: 100,
    });
    await get(`/api/v1/children/${child.childId}`, reader).expect(200);
    const after = await searchAuditEvents(t.store, {
      subjectId: child.childId,
      action: 'child.read',
      limit: 100,
    });
    assert.equal(after.length, before.length + 1);
    assert.equal(after[0]!.subjectType, 'child');
    assert.deepEqual(after[0]!.detail?.['states'], ['CA', 'TX']);
  });

  it('refuses a mistyped id with 400 and an unknown one with 404, as problem+json', async () => {
    const typo = child.childId.slice(0, 11) + String((Number(child.childId[11]) + 1) % 10);
    const bad = await get(`/api/v1/children/${typo}`, reader);
    assert.equal(bad.status, 400);
    assert.match(bad.headers['content-type']!, /problem\+json/);
    let unknown = generateChildId();
    while (unknown === child.childId) unknown = generateChildId();
    assert.equal(luhnCheckDigit(unknown.slice(0, 11)), Number(unknown[11]));
    const missing = await get(`/api/v1/children/${unknown}`, reader);
    assert.equal(missing.status, 404);
    assert.match(missing.headers['content-type']!, /problem\+json/);
  });

  it('finds the child by either surname without accents, a typo with the birth date, or an ID', async () => {
    const byName = await get('/api/v1/children?lastName=Zuniga', reader);
    assert.equal(byName.status, 200, byName.text);
    assert.equal(byName.body.results[0].childId, child.childId);
    assert.deepEqual(byName.body.results[0].states, ['CA', 'TX']);
    const bySecond = await get('/api/v1/children?lastName=Lopez&birthDate=2009-11-23', reader);
    assert.equal(bySecond.body.results[0]?.childId, child.childId, 'the maternal surname');
    const typo = await get(
      '/api/v1/children?lastName=Zunigga&firstName=Jose&birthDate=2009-11-23',
      reader,
    );
    assert.equal(typo.body.results[0]?.childId, child.childId);
    const byId = await get(`/api/v1/children?childId=${child.childId}`, reader);
    assert.equal(byId.body.total, 1);
    const none = await get('/api/v1/children?lastName=Zuniga&birthDate=1990-01-01', reader);
    assert.ok(
      none.body.results.every((r: { childId: string }) => r.childId !== child.childId),
      'another birth year: not this child',
    );
    const empty = await get('/api/v1/children', reader);
    assert.equal(empty.status, 400);
  });

  it('prints the record as HTML with print CSS, values escaped', async () => {
    const res = await get(`/api/v1/children/${child.childId}/print`, reader);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type']!, /text\/html/);
    assert.match(res.text, /@media print/);
    assert.ok(res.text.includes(child.childId));
    assert.ok(res.text.includes('Salinas &lt;b&gt;'), 'escaped');
    assert.ok(!res.text.includes('Salinas <b>'));
    assert.ok(!/<script/i.test(res.text));
  });

  it('merges through the API only when a different administrator validates', async () => {
    const a = await fixtureChild(t.store, ['CA']);
    const b = await fixtureChild(t.store, ['WA']);
    const started = await post('/api/v1/worklist/merges', alice, {
      childIds: [a.childId, b.childId],
      masterChildId: a.childId,
    });
    assert.equal(started.status, 201, started.text);
    const id = started.body.id;
    const clash = await post('/api/v1/worklist/merges', bob, {
      childIds: [b.childId, child.childId],
      masterChildId: child.childId,
    });
    assert.equal(clash.status, 409, 'locked while pending');
    const self = await post(`/api/v1/worklist/${id}/validate`, alice, { approve: true });
    assert.equal(self.status, 403);
    const listed = await get('/api/v1/worklist', bob);
    assert.ok(listed.body.items.some((i: { id: number }) => i.id === id));
    const ok = await post(`/api/v1/worklist/${id}/validate`, bob, { approve: true });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.status, 'approved');
    const merged = await get(`/api/v1/children/${b.childId}`, reader);
    assert.equal(merged.body.childId, a.childId, 'a merged id leads to the master');
    assert.equal(merged.body.requestedChildId, b.childId);
    assert.equal(merged.body.linkedStateIds.length, 2);
    assert.equal(merged.body.history[0].action, 'merge');
    const noCsrf = await request(app)
      .post(`/api/v1/worklist/${id}/validate`)
      .set('Cookie', bob.cookie)
      .send({ approve: true });
    assert.equal(noCsrf.status, 403, 'writes need the CSRF token');
  });
});
