// The portal's everyday pages over real HTTP against a real store: search and the consolidated
// record (audited as the API audits; the federal analyst refused), the move notice a primary
// user sends (CSRF checked; a secondary user sees no form and the server refuses the post), the
// worklist (side by side, resolve, a merge validated only by a different administrator, the
// refusal shown), received move notices and deadlines.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { closeIdentity, initIdentity, type Identity } from '../../src/identity/index.js';
import { writeKeysFor } from '../../src/linkage/link-records.js';
import { linkageFieldsOf } from '../../src/linkage/person.js';
import { readStudentDocuments, searchAuditEvents } from '../../src/store/index.js';
import {
  identityTestStore,
  signedInAs,
  silentLogger,
  type IdentityTestStore,
  type SignedIn,
} from '../helpers/identity-sessions.js';
import { FIXTURE_DISTRICT } from '../helpers/linkage-fixtures.js';
import { deadDelivery } from '../helpers/notification-rows.js';
import { nearMatchItem, uncountedChild } from '../helpers/portal-records-data.js';

describe('portal: children, worklist, move notices, deadlines', function () {
  this.timeout(60_000);
  let t: IdentityTestStore;
  let identity: Identity;
  let app: Express;
  let primary: SignedIn;
  let secondary: SignedIn;
  let analyst: SignedIn;
  let alice: SignedIn;
  let bob: SignedIn;
  let txPrimary: SignedIn;
  let child: { childId: string; recordIds: number[] };
  const surname = `Quintanilla${Math.random().toString(36).slice(2, 6)}`;

  before(async () => {
    t = await identityTestStore();
    identity = await initIdentity(t.config, t.store, silentLogger);
    app = createApp(t.config, {
      logger: silentLogger,
      checkDatabase: async () => undefined,
      identity,
      store: t.store,
    });
    const district = FIXTURE_DISTRICT;
    primary = await signedInAs(t, { state: 'CA', roles: ['primary-user'], district });
    secondary = await signedInAs(t, { state: 'CA', roles: ['secondary-user'], district });
    analyst = await signedInAs(t, { state: 'CA', roles: ['federal-analyst'] });
    alice = await signedInAs(t, { state: 'CA', roles: ['state-data-admin'] });
    bob = await signedInAs(t, { state: 'CA', roles: ['state-data-admin'] });
    txPrimary = await signedInAs(t, { state: 'TX', roles: ['primary-user'] });
    // One child of California and Texas; Texas spells the birth city differently.
    child = await uncountedChild(t.store, ['CA', 'TX'], (doc, state) => {
      doc.student.lastName1 = surname;
      if (state === 'TX') doc.student.birthCity = 'Salinas <b>';
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
  });
  after(async () => {
    await closeIdentity(identity);
    await t.close();
  });

  const get = (path: string, who: SignedIn) => request(app).get(path).set('Cookie', who.cookie);
  const post = (path: string, who: SignedIn, form: Record<string, string>, csrf = who.csrfToken) =>
    request(app)
      .post(path)
      .set('Cookie', who.cookie)
      .type('form')
      .send({ ...form, ...(csrf ? { _csrf: csrf } : {}) });
  const follow = async (res: request.Response, who: SignedIn) => {
    assert.equal(res.status, 303, res.text);
    return get(res.headers['location']!, who).expect(200);
  };

  it('finds a child by surname and shows only enough to tell children apart; audited', async () => {
    const res = await get(`/portal/children?lastName=${surname}`, primary).expect(200);
    assert.match(res.text, /id="search-results"/);
    assert.ok(res.text.includes(`href="/portal/children/${child.childId}"`));
    assert.match(res.text, /CA, TX/);
    assert.doesNotMatch(res.text, /record-demographics/);
    const events = await searchAuditEvents(t.store, {
      limit: 50,
      action: 'child.search',
      actor: `account:${primary.account.id}`,
    });
    assert.ok(events.some((e) => JSON.stringify(e.detail).includes(child.childId)));
    assert.ok(
      events.every((e) => !JSON.stringify(e.detail).includes(surname)),
      'no values',
    );
  });

  it('says what is wrong with a search instead of searching', async () => {
    const res = await get('/portal/children?birthDate=23/11/2009', primary).expect(200);
    assert.match(res.text, /id="search-error"[^>]*>Write the birth date as YYYY-MM-DD/);
    const bad = await get('/portal/children?childId=123456789012', primary).expect(200);
    assert.match(bad.text, /not a valid 12-digit Continuum ID/);
  });

  it('shows the consolidated record, where states disagree, sources; audited as child.read', async () => {
    const res = await get(`/portal/children/${child.childId}`, primary).expect(200);
    assert.match(res.text, /id="record-demographics"/);
    assert.match(res.text, /data-field="birthCity" class="portal-disagree"/);
    assert.ok(res.text.includes('Salinas &#60;b&#62;'), 'escaped');
    assert.match(res.text, /id="record-state-ids"[\s\S]*CA[\s\S]*TX/);
    assert.match(res.text, /id="record-links"/);
    assert.match(res.text, /data-print hidden/);
    assert.match(res.text, /id="move-form"/);
    const events = await searchAuditEvents(t.store, {
      limit: 50,
      action: 'child.read',
      subjectId: child.childId,
      actor: `account:${primary.account.id}`,
    });
    assert.equal(events.length, 1);
    assert.deepEqual((events[0]!.detail as { states: string[] }).states.sort(), ['CA', 'TX']);
    await get(`/portal/children/${child.childId}/print`, primary).expect(200);
    const prints = await searchAuditEvents(t.store, {
      limit: 50,
      action: 'child.print',
      subjectId: child.childId,
    });
    assert.equal(prints.length, 1);
  });

  it('refuses the record to a federal analyst (403), and a bad id (400)', async () => {
    const res = await get(`/portal/children/${child.childId}`, analyst).expect(403);
    assert.match(res.text, /Not available to your role/);
    await get('/portal/children/123', primary).expect(400);
  });

  it('sends a move notice from the record and confirms it; the lead reaches Texas', async () => {
    const res = await post(`/portal/children/${child.childId}/move-notices`, primary, {
      departureDate: '2026-11-20',
      destinationState: 'TX',
      destinationCity: 'Pharr',
      comment: 'Family leaves after harvest',
    });
    const page = await follow(res, primary);
    assert.match(page.text, /id="flash"[\s\S]*Move notice sent to TX\./);
    const leads = await get('/portal/move-notices', txPrimary).expect(200);
    assert.ok(leads.text.includes(`href="/portal/children/${child.childId}"`));
    assert.match(leads.text, /Pharr[\s\S]*2026-11-20[\s\S]*Family leaves after harvest/);
    const sent = await get('/portal/move-notices', primary).expect(200);
    assert.match(sent.text, new RegExp(`id="sent-notices"[\\s\\S]*${child.childId}[\\s\\S]*TX`));
    const bad = await post(`/portal/children/${child.childId}/move-notices`, primary, {
      departureDate: 'soon',
      destinationState: 'TX',
    });
    assert.match((await follow(bad, primary)).text, /role="alert"[\s\S]*departure date/);
  });

  it('refuses a move notice without the CSRF token', async () => {
    for (const csrf of ['', 'forged']) {
      const res = await post(
        `/portal/children/${child.childId}/move-notices`,
        primary,
        { departureDate: '2026-11-20', destinationState: 'TX' },
        csrf,
      );
      assert.equal(res.status, 403, csrf);
    }
  });

  it('shows a secondary user no write buttons, and the server refuses the post anyway', async () => {
    const res = await get(`/portal/children/${child.childId}`, secondary).expect(200);
    assert.doesNotMatch(res.text, /id="move-form"|move-notices"/);
    const refused = await post(`/portal/children/${child.childId}/move-notices`, secondary, {
      departureDate: '2026-11-20',
      destinationState: 'TX',
    });
    assert.equal(refused.status, 403);
  });

  it('shows a near match side by side with the explanation; resolves it as different', async () => {
    const item = await nearMatchItem(t.store);
    const list = await get('/portal/worklist', alice).expect(200);
    assert.match(list.text, new RegExp(`data-item="${item.id}" data-kind="near-match"`));
    const page = await get(`/portal/worklist/${item.id}`, alice).expect(200);
    assert.match(page.text, /id="side-by-side"/);
    assert.ok(page.text.includes(item.childId) && page.text.includes(item.candidateChildId));
    assert.match(page.text, /id="item-explanation"[\s\S]*nickname[\s\S]*6\.1/);
    const res = await post(`/portal/worklist/${item.id}/resolve`, alice, { decision: 'different' });
    assert.match((await follow(res, alice)).text, /recorded as different children/);
    const events = await searchAuditEvents(t.store, {
      limit: 50,
      action: 'worklist.resolve',
      subjectId: item.id,
    });
    assert.equal(events.length, 1);
  });

  it('lets only a different administrator validate a merge, and shows the refusal', async () => {
    const item = await nearMatchItem(t.store);
    await follow(
      await post(`/portal/worklist/${item.id}/resolve`, alice, { decision: 'same' }),
      alice,
    );
    const self = await post(`/portal/worklist/${item.id}/validate`, alice, { approve: 'yes' });
    const refused = await follow(self, alice);
    assert.match(refused.text, /role="alert"[\s\S]*different data administrator must validate/);
    assert.match(refused.text, /id="item-status">Waiting for validation/);
    const other = await post(`/portal/worklist/${item.id}/validate`, bob, { approve: 'yes' });
    assert.match((await follow(other, bob)).text, new RegExp(`Item ${item.id} approved`));
  });

  it('keeps the worklist from people who are not data administrators', async () => {
    await get('/portal/worklist', primary).expect(403);
    const item = await nearMatchItem(t.store);
    await post(`/portal/worklist/${item.id}/resolve`, secondary, { decision: 'same' }).expect(403);
  });

  it("shows a data administrator the state's deadlines with a summary", async () => {
    const res = await get('/portal/deadlines?status=overdue', alice).expect(200);
    assert.match(res.text, /id="deadline-summary"/);
    await get('/portal/deadlines?status=late', alice).expect(400);
    await get('/portal/deadlines', primary).expect(403);
  });

  it('shows a new webhook secret once: on registering and on rotating, never again', async () => {
    const res = await post('/portal/admin/subscriptions', alice, {
      name: 'County recruiters',
      audience: 'state',
      channel: 'webhook',
      url: 'https://recruiters.example.org/hook',
      email: '',
    }).expect(200);
    assert.match(res.text, /County recruiters is registered/);
    const secret = /id="new-secret">([^<]+)</.exec(res.text)?.[1];
    assert.ok(secret && secret.length > 20, 'the secret is on the answer');
    const list = await get('/portal/admin/subscriptions', alice).expect(200);
    assert.ok(!list.text.includes(secret), 'not shown again');
    const id = /data-subscription="(\d+)"/.exec(list.text)?.[1];
    const rotated = await post(`/portal/admin/subscriptions/${id}/rotate-secret`, alice, {});
    assert.equal(rotated.status, 200);
    const next = /id="new-secret">([^<]+)</.exec(rotated.text)?.[1];
    assert.ok(next && next !== secret);
    assert.match(rotated.text, /previous one keeps signing until/);
    const bad = await post('/portal/admin/subscriptions', alice, { name: 'x', channel: 'webhook' });
    assert.match((await follow(bad, alice)).text, /role="alert"[\s\S]*could not be registered/);
    await get('/portal/admin/subscriptions', primary).expect(403);
  });

  it('lists dead letters and resends one; another state cannot', async () => {
    const id = await deadDelivery(t.store, 'CA');
    const page = await get('/portal/admin/deliveries?status=dead', alice).expect(200);
    assert.match(page.text, new RegExp(`data-delivery="${id}" data-status="dead"`));
    const other = await signedInAs(t, { state: 'TX', roles: ['state-data-admin'] });
    const refused = await post(`/portal/admin/deliveries/${id}/resend`, other, {});
    assert.match((await follow(refused, other)).text, /is not a dead letter of your state/);
    const res = await post(`/portal/admin/deliveries/${id}/resend`, alice, {});
    assert.match((await follow(res, alice)).text, new RegExp(`Delivery ${id} will be sent again`));
    const after = await get('/portal/admin/deliveries', alice).expect(200);
    assert.match(after.text, new RegExp(`data-delivery="${id}" data-status="pending"`));
  });

  it('shows administrators the jobs and their schedules', async () => {
    const res = await get('/portal/admin/jobs', alice).expect(200);
    assert.match(res.text, /id="jobs"[\s\S]*data-job=/);
    await get('/portal/admin/jobs', primary).expect(403);
  });

  it('counts waiting work on the home page: worklist, leads received, overdue deadlines', async () => {
    await nearMatchItem(t.store);
    const admin = await get('/portal', alice).expect(200);
    const count = (text: string, id: string) =>
      Number(new RegExp(`id="${id}-count">(\\d+)`).exec(text)?.[1]);
    assert.ok(count(admin.text, 'worklist') >= 1);
    assert.ok(count(admin.text, 'overdue') >= 0);
    assert.match(admin.text, /href="\/portal\/worklist"/);
    const tx = await get('/portal', txPrimary).expect(200);
    assert.ok(count(tx.text, 'leads') >= 1, 'the notice sent above');
    assert.doesNotMatch(tx.text, /worklist-count/);
    const second = await get('/portal', secondary).expect(200);
    assert.doesNotMatch(second.text, /worklist-count|leads-count|overdue-count/);
  });

  it('refuses the worklist to a district administrator with no district, and keeps home working', async () => {
    const noDistrict = await signedInAs(t, { state: 'CA', roles: ['district-data-admin'] });
    await get('/portal/worklist', noDistrict).expect(403);
    const home = await get('/portal', noDistrict).expect(200);
    assert.doesNotMatch(home.text, /worklist-count/);
  });
});
