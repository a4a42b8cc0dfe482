// The counts and survey-report pages in a real browser (Debian chromium) against a real gateway
// and a real SimpleSAMLphp IdP for Texas: anyone reads a public survey report without signing in
// (in the portal layout and on its public page, styled under the self-only CSP); a federal
// analyst sees the counts of any state but gets 403 from the server for the children behind them
// and for a child's record; the Texas data administrator uploads the state's list as a CSV file
// and reads every child that differs, with the reason. axe-core runs on every page visited (no
// serious or critical violation); screenshots go to test-results/screenshots/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import { storeTestChildren } from '../helpers/child-count-data.js';
import { chromiumArgs, chromiumPath, startGatewayWith } from '../helpers/idp-gateway.js';
import { freePort } from '../helpers/idp-process.js';
import {
  simpleSamlPhpInstalled,
  startSimpleSamlPhp,
  type SimpleSamlPhp,
} from '../helpers/idp-simplesamlphp.js';
import { surveyReportsFromSamples } from '../helpers/survey-data.js';

const screenshots = path.resolve('test-results', 'screenshots');
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
/** A CA sample report, public since the state's 2025 release date (config/states/CA.yaml). */
const REPORT = 'CA/student/2025/district/0699001';

async function assertAccessible(page: Page, label: string): Promise<void> {
  // Evaluated through the debugging protocol: the page's CSP stays as strict as users get it.
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  assert.ok(results.passes.length > 10, `${label}: axe ran its rules`);
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `${label} at ${page.url()}`,
  );
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

describe('counts and survey reports in chromium (SimpleSAMLphp for Texas)', function () {
  this.timeout(180_000);
  let idp: SimpleSamlPhp;
  let gateway: Awaited<ReturnType<typeof startGatewayWith>>;
  let browser: Browser;
  let url: string;
  const contexts: BrowserContext[] = [];
  /** CSP refusals and failed asset loads on the gateway's pages, over the whole run. */
  const problems: string[] = [];

  function watch(page: Page): Page {
    page.on('console', (msg) => {
      const at = msg.location().url;
      // The 403 pages this suite asks for are logged as failed loads: assets are checked below.
      const expected = /^Failed to load resource/.test(msg.text());
      if (msg.type() === 'error' && at.startsWith(url) && !expected) {
        problems.push(`${at}: ${msg.text()}`);
      }
    });
    page.on('pageerror', (err) => problems.push(`${page.url()}: ${err.message}`));
    page.on('response', (res) => {
      if (res.url().startsWith(`${url}/assets/`) && res.status() >= 400) {
        problems.push(`${res.url()}: ${res.status()}`);
      }
    });
    return page;
  }

  before(async function () {
    if (!simpleSamlPhpInstalled() || !existsSync(chromiumPath)) {
      if (process.env['CI']) throw new Error('SimpleSAMLphp or chromium is not installed');
      this.skip();
    }
    mkdirSync(screenshots, { recursive: true });
    const port = await freePort();
    const sp = `http://127.0.0.1:${port}/auth/saml/TX`;
    const { ensureDevKeyPair } = await import('../../certs/make-dev-certs.js');
    await ensureDevKeyPair();
    idp = await startSimpleSamlPhp({
      sp: {
        entityId: `${sp}/metadata`,
        acsUrl: `${sp}/acs`,
        sloUrl: `${sp}/slo`,
        certPem: readFileSync('certs/dev-signing.crt', 'utf8'),
      },
      encryptAssertions: true,
    });
    const tx = parse(readFileSync('config/states/TX.yaml', 'utf8')) as {
      identityProvider: { roles: Record<string, string[]> };
    };
    gateway = await startGatewayWith(port, {
      TX: {
        code: 'TX',
        name: 'Texas',
        mapping: 'tx-fixed-width',
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
          // The demo state's own mapping of IdP groups to roles.
          roles: tx.identityProvider.roles,
        },
      },
      // California for its survey regions and release dates; nobody signs in there.
      CA: parse(readFileSync('config/states/CA.yaml', 'utf8')) as Record<string, unknown>,
    });
    url = gateway.gateway.url;
    const { store, config } = gateway.gateway;
    // Seeded through the repositories: Texas children for the counts, CA survey reports.
    await storeTestChildren(store, 'TX', [
      { id: 'E2E-RESIDENT', enrollments: [{ enrollmentType: '06', grade: '03' }] },
      {
        id: 'E2E-SUMMER',
        enrollments: [
          { enrollmentDate: '2025-06-20', withdrawalDate: '2025-07-30', enrollmentType: '03' },
        ],
      },
      { id: 'E2E-TOOYOUNG', birthDate: '2023-01-01' },
    ]);
    // The indicators are the repository's settings (config/default.yaml); the gateway above
    // reads its settings from a folder of its own.
    const settings = loadConfig({ env: { NODE_ENV: 'test' } });
    await surveyReportsFromSamples(store, { ...config, survey: settings.survey });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await gateway?.stop();
    await idp?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return watch(await context.newPage());
  }

  async function signIn(user: string): Promise<Page> {
    const page = await newPage();
    await page.goto(`${url}/portal`);
    assert.equal(page.url(), `${url}/auth/login?next=%2Fportal`);
    await assertAccessible(page, 'sign-in');
    await page.click('a[data-state="TX"]');
    await page.waitForSelector('input[name=username]');
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', `${user}-pass`);
    await page.click('#submit_button');
    await page.waitForURL(`${url}/portal`);
    return page;
  }

  it('shows a public survey report without sign-in, styled under the CSP', async () => {
    const page = await newPage();
    await page.goto(`${url}/portal/survey-reports`);
    assert.equal(page.url(), `${url}/portal/survey-reports`, 'no sign-in asked');
    assert.ok((await page.locator('#survey-reports tbody tr').count()) > 3);
    await assertAccessible(page, 'survey reports (signed out)');
    await shoot(page, 'survey-reports');

    await page.click(`a[href="/portal/survey-reports/${REPORT}"]`);
    await page.waitForURL(`${url}/portal/survey-reports/${REPORT}`);
    assert.match((await page.textContent('h1')) ?? '', /District report 2025/);
    assert.equal(await page.locator('.usa-banner').count(), 1, 'inside the portal layout');
    assert.ok((await page.locator('svg[role="img"] rect').count()) > 4, 'a chart with bars');
    // The linked sheet applies: a table cell of the report is right-aligned.
    const align = await page
      .locator('.survey-report td')
      .first()
      .evaluate((el) => getComputedStyle(el).textAlign);
    assert.equal(align, 'right');
    await assertAccessible(page, 'survey report in the portal');
    await shoot(page, 'survey-report');

    await page.goto(`${url}/reports/survey/${REPORT}`);
    const width = await page
      .locator('main.survey-page')
      .evaluate((el) => getComputedStyle(el).maxWidth);
    assert.notEqual(width, 'none', 'the public page is styled by its linked sheet');
    await assertAccessible(page, 'public survey report');
    await shoot(page, 'survey-report-public');
  });

  it('shows a federal analyst the counts of any state, and refuses the children behind them', async () => {
    const page = await signIn('fay');
    assert.equal(await page.textContent('#home-roles'), 'Federal analyst');
    assert.equal(await page.locator('#latest-counts a').count(), 2);
    await assertAccessible(page, 'home (federal analyst)');
    await shoot(page, 'home-federal-analyst');

    await page.click('.portal-nav >> text=Child counts');
    await page.waitForURL(/\/portal\/counts/);
    await assertAccessible(page, 'counts (current period)');
    await page.selectOption('#count-state', 'TX');
    await page.selectOption('#count-period', '2024-25');
    await page.click('#count-show');
    await page.waitForURL(`${url}/portal/counts?state=TX&period=2024-25`);
    const total = page.locator('#count-totals tr[data-row="total"] td');
    assert.deepEqual(await total.allTextContents(), ['2', '1']);
    assert.equal(await page.locator('a[href^="/portal/counts/children"]').count(), 0);
    assert.equal(await page.locator('#freeze-form, #reconciliation-link').count(), 0);
    await assertAccessible(page, 'counts (federal analyst)');
    await shoot(page, 'counts-federal-analyst');

    const children = await page.goto(`${url}/portal/counts/children?state=TX&period=2024-25`);
    assert.equal(children?.status(), 403);
    assert.match((await page.textContent('h1')) ?? '', /Not available to your role/);
    assert.doesNotMatch((await page.textContent('body')) ?? '', /E2E-/);
    await assertAccessible(page, '403 (children, federal analyst)');
    await shoot(page, 'counts-children-forbidden');
    const record = await page.request.get(`${url}/api/v1/student-records/1`);
    assert.equal(record.status(), 403, 'no child record through the API either');
    const list = await page.request.get(
      `${url}/api/v1/reports/child-count/children?state=TX&period=2024-25`,
    );
    assert.equal(list.status(), 403);
  });

  it('lets the Texas data administrator upload the state’s list and read every difference', async () => {
    const page = await signIn('dana');
    await page.goto(`${url}/portal/counts?state=TX&period=2024-25`);
    await assertAccessible(page, 'counts (state data administrator)');
    await shoot(page, 'counts-state-data-admin');

    await page.click('#children-1');
    await page.waitForURL(/\/portal\/counts\/children\?/);
    assert.equal(await page.locator('tr[data-child="E2E-RESIDENT"]').count(), 1);
    await assertAccessible(page, 'counted children');
    await shoot(page, 'counted-children');

    await page.goto(`${url}/portal/counts/reconciliation?state=TX&period=2024-25`);
    assert.equal(await page.locator('#no-list').count(), 1);
    await assertAccessible(page, 'reconciliation (no list yet)');
    await page.setInputFiles('#state-list', {
      name: 'tx-2024-25.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'stateStudentId,category\nE2E-RESIDENT,1\nE2E-TOOYOUNG,1\nNOT-OURS,1\nE2E-SUMMER,2\n',
      ),
    });
    await page.click('#upload');
    await page.waitForURL(`${url}/portal/counts/reconciliation?state=TX&period=2024-25`);
    assert.match(
      (await page.textContent('#flash')) ?? '',
      /Your list of 4 IDs is stored and compared\. Category 1: 1 matched, 3 differ\./,
    );
    const reasons = await page
      .locator('#differences-1 tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reason')));
    assert.deepEqual([...reasons].sort(), ['counted-by-continuum', 'too-young', 'unknown-id']);
    await assertAccessible(page, 'reconciliation result');
    await shoot(page, 'reconciliation-result');
  });

  it('loaded every style sheet, font, image and script, and broke no CSP rule', () => {
    assert.deepEqual(problems, []);
  });
});
