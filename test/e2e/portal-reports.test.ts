// The counts and survey-report pages in a real browser (Debian chromium) against a real gateway
// and a real SimpleSAMLphp IdP for Texas: anyone reads a public survey report without signing in
// (in the portal layout and on its public page, styled under the self-only CSP); a federal
// analyst sees the counts of any state but gets 403 from the server for the children behind them
// and for a child's record; the Texas data administrator uploads the state's list as a CSV file
// and reads every child that differs, with the reason. axe-core runs on every page visited (no
// serious or critical violation); screenshots go to test-results/screenshots/.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../src/config/index.js';
import { storeTestChildren } from '../helpers/child-count-data.js';
import {
  assertAccessible,
  pageWatcher,
  shoot,
  startTexasPortal,
  stateFile,
  texasRoles,
  type TexasPortal,
} from '../helpers/portal-browser.js';
import { surveyReportsFromSamples } from '../helpers/survey-data.js';

/** A CA sample report, public since the state's 2025 release date (config/states/CA.yaml). */
const REPORT = 'CA/student/2025/district/0699001';

describe('counts and survey reports in chromium (SimpleSAMLphp for Texas)', function () {
  this.timeout(180_000);
  let portal: TexasPortal | undefined;
  let gateway: TexasPortal['gateway'];
  let browser: Browser;
  let url: string;
  const contexts: BrowserContext[] = [];
  const { problems, watch } = pageWatcher(() => url, { failedLoadsExpected: true });

  before(async function () {
    portal = await startTexasPortal(this, {
      roles: texasRoles(),
      // California for its survey regions and release dates; nobody signs in there.
      otherStates: { CA: stateFile('CA') },
    });
    ({ gateway, url, browser } = portal);
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
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await portal?.stop();
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
