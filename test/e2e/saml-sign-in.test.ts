// A real browser (Debian chromium) signs in to a real gateway through a real SimpleSAMLphp IdP
// (signed AuthnRequest, signed and encrypted assertion), lands as the mapped role, signs out
// through single logout, and is signed out of the gateway.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { searchAuditEvents } from '../../src/store/index.js';
import { chromiumArgs, chromiumPath, startGatewayWith } from '../helpers/idp-gateway.js';
import { freePort } from '../helpers/idp-process.js';
import {
  simpleSamlPhpInstalled,
  startSimpleSamlPhp,
  type SimpleSamlPhp,
} from '../helpers/idp-simplesamlphp.js';

describe('sign-in through SimpleSAMLphp (SAML state) in chromium', function () {
  this.timeout(120_000);
  let idp: SimpleSamlPhp;
  let gateway: Awaited<ReturnType<typeof startGatewayWith>>;
  let browser: Browser;
  let base: string;

  before(async function () {
    if (!simpleSamlPhpInstalled() || !existsSync(chromiumPath)) {
      // .ci/run installs both; on CI their absence is a failure, not a skip.
      if (process.env['CI']) throw new Error('SimpleSAMLphp or chromium is not installed');
      this.skip();
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}/auth/saml/CA`;
    // The gateway's dev key (made by initIdentity on first run if missing).
    const { ensureDevKeyPair } = await import('../../certs/make-dev-certs.js');
    await ensureDevKeyPair();
    idp = await startSimpleSamlPhp({
      sp: {
        entityId: `${base}/metadata`,
        acsUrl: `${base}/acs`,
        sloUrl: `${base}/slo`,
        certPem: readFileSync('certs/dev-signing.crt', 'utf8'),
      },
      encryptAssertions: true,
    });
    gateway = await startGatewayWith(port, {
      CA: {
        code: 'CA',
        name: 'California',
        mapping: 'ca-csv',
        identityProvider: {
          type: 'saml',
          metadataUrl: idp.metadataUrl,
          signed: 'assertion',
          requireEncryptedAssertions: true,
          attributes: {
            subject: 'uid',
            email: 'mail',
            firstName: 'givenName',
            lastName: 'sn',
            groups: 'memberOf',
            district: 'district',
          },
          roles: { 'msix-primary': ['primary-user'], 'msix-user-admin': ['user-admin'] },
        },
      },
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    await gateway?.stop();
    await idp?.stop();
  });

  it('signs in as the mapped role, and signs out through single logout', async () => {
    const page = await browser.newPage();
    await page.goto(`${gateway.gateway.url}/auth/login`);
    await page.click('a[data-state="CA"]');
    await page.waitForSelector('input[name=username]');
    assert.ok(page.url().startsWith(idp.baseUrl), `at the IdP: ${page.url()}`);
    await page.fill('input[name=username]', 'ana');
    await page.fill('input[name=password]', 'ana-pass');
    await page.click('#submit_button');
    await page.waitForURL(`${gateway.gateway.url}/auth/session`);
    assert.equal(await page.textContent('#state'), 'CA');
    assert.equal(await page.textContent('#roles'), 'primary-user');
    assert.equal(await page.textContent('#email'), 'ana@tx.example.org');
    const me = await page.request.get(`${gateway.gateway.url}/api/v1/me`);
    assert.equal(me.status(), 200);
    assert.deepEqual((await me.json()).roles, ['primary-user']);

    await page.click('#sign-out');
    await page
      .waitForURL(/\/auth\/login\?signedOut=1$/, { timeout: 10_000 })
      .catch(async (err: unknown) => {
        throw new Error(`at ${page.url()}: ${(await page.textContent('body'))?.slice(0, 1500)}`, {
          cause: err,
        });
      });
    assert.match((await page.textContent('body')) ?? '', /You are signed out/);
    const after = await page.request.get(`${gateway.gateway.url}/api/v1/me`);
    assert.equal(after.status(), 401);
    await page.close();
  });

  it('ends the gateway session when the IdP starts single logout', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const url = gateway.gateway.url;
    await page.goto(`${base}/login?next=/auth/session`);
    await page.fill('input[name=username]', 'uma');
    await page.fill('input[name=password]', 'uma-pass');
    await page.click('#submit_button');
    await page.waitForURL(`${url}/auth/session`);
    assert.equal(await page.textContent('#roles'), 'user-admin');
    const done = `${url}/auth/login?signedOut=1`;
    await page.goto(
      `${idp.baseUrl}/saml2/idp/SingleLogoutService.php?ReturnTo=${encodeURIComponent(done)}`,
    );
    await page.waitForURL(done, { timeout: 45_000 }).catch(async (err: unknown) => {
      const [last] = await searchAuditEvents(gateway.gateway.store, { limit: 1 });
      const html = ((await page.textContent('#content')) ?? (await page.content()))
        .replace(/\s+/g, ' ')
        .slice(0, 1500);
      throw new Error(`at ${page.url()}: ${html} ${JSON.stringify(last)}`, {
        cause: err,
      });
    });
    const me = await page.request.get(`${url}/api/v1/me`);
    assert.equal(me.status(), 401, 'the IdP-initiated logout ended the gateway session');
    await context.close();
  });

  it('leaves an account with no mapped role pending approval', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('input[name=username]', 'pat');
    await page.fill('input[name=password]', 'pat-pass');
    await page.click('#submit_button');
    await page.waitForURL(`${gateway.gateway.url}/auth/session`);
    assert.match((await page.textContent('#pending')) ?? '', /pending/);
    const me = await page.request.get(`${gateway.gateway.url}/api/v1/me`);
    assert.equal(me.status(), 401);
    await context.close();
  });
});
