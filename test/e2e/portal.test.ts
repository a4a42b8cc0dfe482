// The portal in a real browser (Debian chromium) against a real gateway and a real SimpleSAMLphp
// IdP for Texas: a newcomer sees only "awaiting approval"; the Texas user administrator signs in,
// finds them among pending accounts, approves them and sees the confirmation; a primary user gets
// 403 from the server for the administration pages, and forged posts are refused. axe-core runs
// on every gateway page visited (no serious or critical violation); screenshots of the main pages
// go to test-results/screenshots/ for a reviewer.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findAccountBySubject } from '../../src/store/repositories/accounts.js';
import {
  assertAccessible,
  pageWatcher,
  shoot,
  startTexasPortal,
  type TexasPortal,
} from '../helpers/portal-browser.js';

describe('web portal in chromium (SimpleSAMLphp for Texas)', function () {
  this.timeout(180_000);
  let portal: TexasPortal | undefined;
  let gateway: TexasPortal['gateway'];
  let browser: Browser;
  let url: string;
  const contexts: BrowserContext[] = [];
  const { problems, watch } = pageWatcher(() => url, { failedLoadsExpected: true });

  before(async function () {
    portal = await startTexasPortal(this, {
      roles: { 'msix-primary': ['primary-user'], 'msix-user-admin': ['user-admin'] },
    });
    ({ gateway, url, browser } = portal);
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await portal?.stop();
  });

  /** A fresh browser profile that opens /portal and signs in at the IdP as `user`. */
  async function signIn(user: string, shotName?: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = watch(await context.newPage());
    await page.goto(`${url}/portal`);
    assert.equal(page.url(), `${url}/auth/login?next=%2Fportal`);
    await assertAccessible(page, 'sign-in');
    if (shotName) await shoot(page, shotName);
    await page.click('a[data-state="TX"]');
    await page.waitForSelector('input[name=username]');
    assert.ok(page.url().startsWith(portal!.idp.baseUrl), `at the IdP: ${page.url()}`);
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', `${user}-pass`);
    await page.click('#submit_button');
    await page.waitForURL((u) => u.href.startsWith(url) && !u.pathname.startsWith('/auth/saml'));
    return page;
  }

  it('shows a newcomer with no role only "awaiting approval"', async () => {
    const page = await signIn('pat', 'sign-in');
    assert.equal(page.url(), `${url}/auth/session`);
    assert.match((await page.textContent('#pending')) ?? '', /pending.*Texas|pending.*TX/);
    assert.equal(await page.locator('.portal-nav').count(), 0, 'no navigation');
    assert.equal(await page.locator('main a').count(), 0, 'no links to anything else');
    await assertAccessible(page, 'awaiting approval');
    await shoot(page, 'awaiting-approval');
    const admin = await page.goto(`${url}/portal/admin/accounts`);
    assert.equal(admin?.url(), `${url}/auth/session`, 'every portal page leads back here');
  });

  it('lets the Texas user administrator approve the pending account, and confirms it', async () => {
    const signedIn = await signIn('uma');
    // The rest with scripts off: the same session in a profile without JavaScript.
    const noScripts = await browser.newContext({
      storageState: await signedIn.context().storageState(),
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    contexts.push(noScripts);
    const page = watch(await noScripts.newPage());
    await page.goto(`${url}/portal`);
    assert.equal(page.url(), `${url}/portal`);
    assert.match((await page.textContent('h1')) ?? '', /Welcome, Uma Admin/);
    assert.equal(await page.textContent('#pending-count'), '1');
    await assertAccessible(page, 'home (user administrator)', signedIn);
    await shoot(page, 'home-user-admin');

    await page.click('.portal-nav >> text=Pending accounts');
    await page.waitForURL(`${url}/portal/admin/accounts`);
    const pat = await findAccountBySubject(gateway.gateway.store, 'TX', 'pat');
    assert.ok(pat);
    const row = page.locator(`tr[data-account="${pat.id}"]`);
    assert.match((await row.textContent()) ?? '', /Pat New/);
    await assertAccessible(page, 'pending accounts', signedIn);
    await shoot(page, 'pending-accounts');

    await row.locator('a').click();
    await page.waitForURL(`${url}/portal/admin/accounts/${pat.id}`);
    await assertAccessible(page, 'account', signedIn);
    await shoot(page, 'account-pending');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.portal-nav').isVisible(), false, 'print: no navigation');
    assert.equal(await page.locator('#approve').isVisible(), false, 'print: no buttons');
    await shoot(page, 'account-print');
    await page.emulateMedia({ media: 'screen' });

    await page.click('label[for="role-primary-user"]');
    await page.click('#approve');
    await page.waitForURL(`${url}/portal/admin/accounts`);
    assert.match(
      (await page.textContent('#flash')) ?? '',
      /Pat New is approved with: Primary user\./,
    );
    assert.equal(await page.locator(`tr[data-account="${pat.id}"]`).count(), 0);
    await assertAccessible(page, 'after approval', signedIn);
    await shoot(page, 'approved');
    // The same roles saved again with scripts on: the confirmation itself passes axe.
    await signedIn.goto(`${url}/portal/admin/accounts/${pat.id}`);
    assert.equal(await signedIn.isChecked('#role-primary-user'), true);
    await signedIn.click('#approve');
    await signedIn.waitForURL(`${url}/portal/admin/accounts/${pat.id}`);
    assert.match(
      (await signedIn.textContent('#flash')) ?? '',
      /Roles of Pat New are now: Primary user\./,
    );
    await assertAccessible(signedIn, 'roles saved');

    await page.click('.portal-nav >> text=Audit log');
    await page.waitForURL(`${url}/portal/admin/audit`);
    await page.fill('#audit-action', 'account.approve');
    await page.click('#audit-submit');
    await page.waitForURL(/\/portal\/admin\/audit\?/);
    assert.match((await page.textContent('#audit-events')) ?? '', new RegExp(`account ${pat.id}`));
    await assertAccessible(page, 'audit log', signedIn);
    await shoot(page, 'audit-log');
    // The print button needs a script: hidden without one, shown (by portal.js) with one.
    assert.equal(await page.locator('button[data-print]').isVisible(), false);
    assert.equal(await signedIn.locator('button[data-print]').isVisible(), true);
    await page.click('.portal-nav >> text=Client credentials');
    await page.waitForURL(`${url}/portal/admin/clients`);
    assert.match(
      (await page.textContent('#state-systems')) ?? '',
      /State systems that upload for TX/,
    );
    await assertAccessible(page, 'client credentials', signedIn);
    await shoot(page, 'client-credentials');
  });

  it('refuses forged posts: no CSRF token, or someone else’s', async () => {
    const page = contexts[1]!.pages()[0]!;
    const pat = await findAccountBySubject(gateway.gateway.store, 'TX', 'pat');
    // Pat's page (still open on "awaiting approval") carries Pat's session token, not Uma's.
    const patsToken = await contexts[0]!.pages()[0]!.inputValue('input[name=_csrf]');
    const forms: Array<Record<string, string>> = [{}, { _csrf: 'forged' }, { _csrf: patsToken }];
    for (const form of forms) {
      const res = await page.request.post(`${url}/portal/admin/accounts/${pat!.id}/disable`, {
        form,
        maxRedirects: 0,
      });
      assert.equal(res.status(), 403);
    }
    const after = await findAccountBySubject(gateway.gateway.store, 'TX', 'pat');
    assert.equal(after!.status, 'active', 'nothing was disabled');
  });

  it('gives the approved newcomer their home page', async () => {
    const page = contexts[0]!.pages()[0]!;
    await page.goto(`${url}/portal`);
    assert.equal(page.url(), `${url}/portal`);
    assert.equal(await page.textContent('#home-roles'), 'Primary user');
    await assertAccessible(page, 'home (primary user)');
  });

  it('answers 403 from the server when a primary user opens or posts to administration', async () => {
    const page = await signIn('ana');
    assert.equal(page.url(), `${url}/portal`);
    assert.equal(await page.locator('a[href^="/portal/admin"]').count(), 0, 'no admin links');
    await assertAccessible(page, 'home (primary user)');
    await shoot(page, 'home-primary-user');
    const res = await page.goto(`${url}/portal/admin/accounts`);
    assert.equal(res?.status(), 403);
    assert.match((await page.textContent('h1')) ?? '', /Not available to your role/);
    await assertAccessible(page, '403 page');
    await shoot(page, 'forbidden');
    // With ana's own valid token the role check still refuses the action.
    await page.goto(`${url}/auth/session`);
    assert.equal(await page.textContent('#roles'), 'primary-user');
    await assertAccessible(page, 'your account');
    const csrf = await page.inputValue('input[name=_csrf]');
    const uma = await findAccountBySubject(gateway.gateway.store, 'TX', 'uma');
    const post = await page.request.post(`${url}/portal/admin/accounts/${uma!.id}/disable`, {
      form: { _csrf: csrf },
      maxRedirects: 0,
    });
    assert.equal(post.status(), 403);
    assert.equal(
      (await findAccountBySubject(gateway.gateway.store, 'TX', 'uma'))!.status,
      'active',
    );

    await page.click('#sign-out');
    await page.waitForURL(`${url}/auth/login?signedOut=1`, { timeout: 30_000 });
    assert.match((await page.textContent('main')) ?? '', /You are signed out/);
    await assertAccessible(page, 'signed out');
    const me = await page.request.get(`${url}/api/v1/me`);
    assert.equal(me.status(), 401);
  });

  it('loaded every style sheet, font, image and script, and broke no CSP rule', () => {
    assert.deepEqual(problems, []);
  });
});
