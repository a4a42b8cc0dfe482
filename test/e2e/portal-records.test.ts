// The everyday pages in a real browser (Debian chromium) against a real gateway and a real
// SimpleSAMLphp IdP for Texas (roles from config/states/TX.yaml): a primary user searches,
// opens a consolidated record and its print view, sends a move notice and sees the
// confirmation; a data administrator resolves a near match; a secondary user sees no write
// buttons. axe-core runs on every page visited (no serious or critical violation); screenshots
// go to test-results/screenshots/.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { writeKeysFor } from '../../src/linkage/link-records.js';
import { linkageFieldsOf } from '../../src/linkage/person.js';
import { readStudentDocuments } from '../../src/store/index.js';
import { samlDemoUsers } from '../helpers/idp-simplesamlphp.js';
import {
  assertAccessible,
  pageWatcher,
  shoot,
  startTexasPortal,
  stateFile,
  texasRoles,
  type TexasPortal,
} from '../helpers/portal-browser.js';
import { nearMatchItem, uncountedChild } from '../helpers/portal-records-data.js';

const SURNAME = 'Villalobos';

describe('search, records, move notices and the worklist in chromium (SimpleSAMLphp)', function () {
  this.timeout(180_000);
  let portal: TexasPortal | undefined;
  let gateway: TexasPortal['gateway'];
  let browser: Browser;
  let url: string;
  let child: { childId: string; recordIds: number[] };
  let nearMatch: { id: number; childId: string; candidateChildId: string };
  const contexts: BrowserContext[] = [];
  const { problems, watch } = pageWatcher(() => url);

  before(async function () {
    portal = await startTexasPortal(this, {
      roles: texasRoles(),
      // The demo users and one secondary user (msix-secondary in config/states/TX.yaml).
      users: [
        ...samlDemoUsers,
        {
          username: 'sid',
          password: 'sid-pass',
          attributes: {
            uid: ['sid'],
            mail: ['sid@tx.example.org'],
            givenName: ['Sid'],
            sn: ['Second'],
            memberOf: ['msix-secondary'],
            district: ['0612345'],
          },
        },
      ],
      // California: the child's other state and the move notice's destination.
      otherStates: { CA: stateFile('CA') },
    });
    ({ gateway, url, browser } = portal);
    const { store } = gateway.gateway;
    // Seeded through the repositories: one child of Texas and California (the birth cities
    // disagree), with its search keys, and a Texas near match for the data administrator.
    child = await uncountedChild(store, ['TX', 'CA'], (doc, state) => {
      doc.student.lastName1 = SURNAME;
      if (state === 'CA') doc.student.birthCity = 'Fresno';
    });
    const docs = await readStudentDocuments(store, child.recordIds);
    await writeKeysFor(
      store,
      undefined,
      [...docs.values()].map((d) => ({
        studentRecordId: d.studentRecordId,
        stateCode: d.source.state,
        fields: linkageFieldsOf(d.document.student),
      })),
    );
    nearMatch = await nearMatchItem(store, undefined, { item: 'TX', other: 'CA' });
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await portal?.stop();
  });

  async function signIn(user: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = watch(await context.newPage());
    await page.goto(`${url}/portal`);
    await page.click('a[data-state="TX"]');
    await page.waitForSelector('input[name=username]');
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', `${user}-pass`);
    await page.click('#submit_button');
    await page.waitForURL(`${url}/portal`);
    return page;
  }

  it('lets a primary user search, read the record, print it and send a move notice', async () => {
    const page = await signIn('ana');
    assert.equal(await page.textContent('#home-roles'), 'Primary user');
    await assertAccessible(page, 'home (primary user)');
    await page.click('.portal-nav >> text=Find a child');
    await page.waitForURL(`${url}/portal/children`);
    await assertAccessible(page, 'search form');
    await page.fill('#search-lastName', SURNAME);
    await page.click('#search-submit');
    await page.waitForURL(/\/portal\/children\?/);
    assert.equal(
      await page.locator(`#search-results tr[data-child="${child.childId}"]`).count(),
      1,
    );
    await assertAccessible(page, 'search results');
    await shoot(page, 'child-search');

    await page.click(`#search-results a[href="/portal/children/${child.childId}"]`);
    await page.waitForURL(`${url}/portal/children/${child.childId}`);
    assert.equal(await page.locator('tr.portal-disagree[data-field="birthCity"]').count(), 1);
    assert.equal(await page.locator('#record-state-ids tbody tr').count(), 2);
    assert.ok(await page.locator('button[data-print]').isVisible(), 'the script shows Print');
    await assertAccessible(page, 'consolidated record');
    await shoot(page, 'child-record');

    await page.click('#print-view');
    await page.waitForURL(`${url}/portal/children/${child.childId}/print`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.portal-nav').isVisible(), false, 'no navigation in print');
    assert.ok(await page.locator('#record-demographics').isVisible());
    await page.emulateMedia({ media: 'screen' });
    await assertAccessible(page, 'print view');
    await shoot(page, 'child-print');

    await page.goBack();
    await page.waitForURL(`${url}/portal/children/${child.childId}`);
    await page.fill('#move-departure', '2026-12-15');
    await page.selectOption('#move-state', 'CA');
    await page.fill('#move-city', 'Salinas');
    await page.fill('#move-address', '12 Oak St');
    await page.fill('#move-comment', 'Leaving after the harvest');
    await page.click('#move-send');
    await page.waitForURL(`${url}/portal/children/${child.childId}`);
    assert.match((await page.textContent('#flash')) ?? '', /Move notice sent to CA\./);
    await assertAccessible(page, 'record after the move notice');
    await shoot(page, 'move-notice-sent');
  });

  it('lets a data administrator resolve a near match', async () => {
    const page = await signIn('dana');
    await page.click('.portal-nav >> text=Worklist');
    await page.waitForURL(`${url}/portal/worklist`);
    await assertAccessible(page, 'worklist');
    await shoot(page, 'worklist');
    await page.click(`a[href="/portal/worklist/${nearMatch.id}"]`);
    await page.waitForURL(`${url}/portal/worklist/${nearMatch.id}`);
    assert.ok((await page.locator('#side-by-side tbody tr').count()) > 3);
    assert.equal(await page.locator('#item-explanation tr[data-field="firstName"]').count(), 1);
    await assertAccessible(page, 'worklist item');
    await shoot(page, 'worklist-item');
    await page.click('#resolve-different');
    await page.waitForURL(`${url}/portal/worklist`);
    assert.match((await page.textContent('#flash')) ?? '', /recorded as different children/);
    assert.equal(await page.locator(`tr[data-item="${nearMatch.id}"]`).count(), 0);
    await assertAccessible(page, 'worklist after resolving');

    await page.click('.portal-nav >> text=Deadlines');
    await page.waitForURL(`${url}/portal/deadlines`);
    await assertAccessible(page, 'deadlines');
    await page.click('.portal-nav >> text=Move notices');
    await page.waitForURL(`${url}/portal/move-notices`);
    await assertAccessible(page, 'move notices');
    await shoot(page, 'move-notices');

    await page.click('.portal-nav >> text=Jobs');
    await page.waitForURL(`${url}/portal/admin/jobs`);
    assert.ok((await page.locator('#jobs tbody tr').count()) > 0);
    await assertAccessible(page, 'jobs');
    await page.click('.portal-nav >> text=Subscriptions');
    await page.waitForURL(`${url}/portal/admin/subscriptions`);
    await assertAccessible(page, 'subscriptions');
    await page.fill('#sub-name', 'Region 1 recruiters');
    await page.selectOption('#sub-channel', 'webhook');
    await page.fill('#sub-url', 'https://recruiters.example.org/hook');
    await page.click('#register-submit');
    await page.waitForURL(`${url}/portal/admin/subscriptions`);
    assert.ok(((await page.textContent('#new-secret')) ?? '').length > 20, 'the secret, once');
    await assertAccessible(page, 'subscription registered');
    await shoot(page, 'subscription-secret');
    await page.goto(`${url}/portal/admin/subscriptions`);
    assert.equal(await page.locator('#new-secret').count(), 0, 'never shown again');
    await page.click('.portal-nav >> text=Deliveries');
    await page.waitForURL(`${url}/portal/admin/deliveries`);
    await assertAccessible(page, 'deliveries');
    await page.click('.portal-nav >> text=Home');
    await page.waitForURL(`${url}/portal`);
    assert.match((await page.textContent('#worklist-count')) ?? '', /^\d+$/);
    await assertAccessible(page, 'home (data administrator)');
    await shoot(page, 'home-data-admin');
  });

  it('shows a secondary user the record with no write buttons', async () => {
    const page = await signIn('sid');
    await page.goto(`${url}/portal/children/${child.childId}`);
    assert.equal(await page.locator('#record-demographics').count(), 1);
    assert.equal(await page.locator('#move-form, main form[method="post"]').count(), 0);
    assert.equal(await page.locator('.portal-nav >> text=Worklist').count(), 0);
    await assertAccessible(page, 'record (secondary user)');
    await shoot(page, 'child-record-secondary');
  });

  it('loaded every style sheet, font, image and script, and broke no CSP rule', () => {
    assert.deepEqual(problems, []);
  });
});
