// A real browser (Debian chromium) signs in to a real gateway through a real LemonLDAP::NG OpenID
// provider (code + PKCE, its `aud` array, its advertised-but-refused `none`), lands as the mapped
// role, and signs out through the provider's end-session endpoint.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { searchAuditEvents } from '../../src/store/index.js';
import { chromiumArgs, chromiumPath, startGatewayWith } from '../helpers/idp-gateway.js';
import { lemonLdapInstalled, startLemonLdap, type LemonLdap } from '../helpers/idp-lemonldap.js';
import { freePort } from '../helpers/idp-process.js';

describe('sign-in through LemonLDAP::NG (OIDC state) in chromium', function () {
  this.timeout(120_000);
  let idp: LemonLdap;
  let gateway: Awaited<ReturnType<typeof startGatewayWith>>;
  let browser: Browser;

  before(async function () {
    if (!lemonLdapInstalled() || !existsSync(chromiumPath)) {
      // .ci/run installs both; on CI their absence is a failure, not a skip.
      if (process.env['CI']) throw new Error('LemonLDAP::NG or chromium is not installed');
      this.skip();
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    process.env['E2E_WA_OIDC_SECRET'] = 'e2e-client-secret';
    idp = await startLemonLdap({
      rp: {
        clientId: 'continuum',
        redirectUri: `${base}/auth/oidc/WA/callback`,
        postLogoutRedirectUri: `${base}/auth/login?signedOut=1`,
      },
      clientSecret: 'e2e-client-secret',
    });
    gateway = await startGatewayWith(port, {
      WA: {
        code: 'WA',
        name: 'Washington',
        mapping: 'wa-jsonl',
        identityProvider: {
          type: 'oidc',
          issuer: idp.issuer,
          clientId: 'continuum',
          clientSecretEnv: 'E2E_WA_OIDC_SECRET',
          scopes: ['openid', 'email', 'profile', 'groups'],
          idTokenAlgorithms: ['RS256'],
          claims: { groups: 'groups' },
          roles: { earthlings: ['primary-user'], timelords: ['user-admin'] },
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

  it('signs in as the mapped role; sign-out ends the session and calls the end-session endpoint', async () => {
    const page = await browser.newPage();
    const url = gateway.gateway.url;
    await page.goto(`${url}/auth/login`);
    await page.click('a[data-state="WA"]');
    await page.waitForSelector('#userfield');
    assert.ok(page.url().startsWith(idp.issuer), `at the provider: ${page.url()}`);
    await page.fill('#userfield', 'rtyler');
    await page.fill('#passwordfield', 'rtyler');
    await page.click('button[type=submit]');
    await page
      .waitForURL(`${url}/auth/session`, { timeout: 45_000 })
      .catch(async (err: unknown) => {
        const [refusal] = await searchAuditEvents(gateway.gateway.store, {
          action: 'account.sign-in',
          limit: 1,
        });
        throw new Error(`at ${page.url()}: ${JSON.stringify(refusal?.detail)}`, { cause: err });
      });
    assert.equal(await page.textContent('#state'), 'WA');
    assert.equal(await page.textContent('#roles'), 'primary-user');
    assert.equal(await page.textContent('#email'), 'rtyler@badwolf.org');

    const statuses: string[] = [];
    page.on('response', (r) => statuses.push(`${r.status()} ${r.url().slice(0, 60)}`));
    const endSession = page.waitForRequest(/\/oauth2\/logout\?/, { timeout: 45_000 });
    await page.click('#sign-out');
    // RP-initiated logout: the gateway sends the browser to the provider's end-session endpoint
    // with the ID token as hint and its own post-logout address.
    const logout = new URL((await endSession).url());
    assert.ok(logout.searchParams.get('id_token_hint'), 'id_token_hint sent');
    assert.match(
      logout.searchParams.get('post_logout_redirect_uri') ?? '',
      /\/auth\/login\?signedOut=1$/,
    );
    // LemonLDAP::NG may ask the user to confirm on its own page; under heavy load its confirmation
    // sometimes answers with its own error page (seen in CI), so coming back is best effort and
    // the gateway side below is what must hold.
    const confirm = page.locator('form.confirm button.positive');
    await Promise.race([
      confirm.waitFor({ timeout: 20_000 }).catch(() => undefined),
      page.waitForURL(/\/auth\/login\?signedOut=1$/, { timeout: 20_000 }).catch(() => undefined),
    ]);
    if (await confirm.isVisible().catch(() => false)) await confirm.click().catch(() => undefined);
    await page.waitForURL(/\/auth\/login\?signedOut=1$/, { timeout: 20_000 }).catch(() => {
      console.warn(`      note: provider did not redirect back (${statuses.slice(-3).join(', ')})`);
    });
    const after = await page.request.get(`${url}/api/v1/me`);
    assert.equal(after.status(), 401);
    await page.close();
  });
});
