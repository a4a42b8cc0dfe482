/**
 * What every portal browser test shares: a real SimpleSAMLphp IdP for Texas and a gateway that
 * trusts it, Debian's chromium, axe-core run inside the page (no serious or critical violation),
 * screenshots under test-results/screenshots/, and a watch on each page for CSP refusals, script
 * errors and failed asset loads.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parse } from 'yaml';
import { chromiumArgs, chromiumPath, startGatewayWith } from './idp-gateway.js';
import { freePort } from './idp-process.js';
import {
  simpleSamlPhpInstalled,
  startSimpleSamlPhp,
  type SamlTestUser,
  type SimpleSamlPhp,
} from './idp-simplesamlphp.js';

export const screenshots = path.resolve('test-results', 'screenshots');
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/**
 * Runs axe-core in the page; fails on any serious or critical violation, naming each. A page shown
 * with scripts off is checked in a `twin` profile with scripts on (same session).
 */
export async function assertAccessible(page: Page, label: string, twin?: Page): Promise<void> {
  if (twin) await twin.goto(page.url());
  const target = twin ?? page;
  // Evaluated through the browser's debugging protocol, so the page's CSP (no inline scripts)
  // stays as strict as users get it.
  await target.evaluate(axeSource);
  const results = await target.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  assert.ok(results.passes.length > 10, `${label}: axe ran its rules`);
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `${label} at ${target.url()}`,
  );
}

export async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

/**
 * Collects CSP refusals, script errors and failed asset loads on the gateway's pages. With
 * `failedLoadsExpected`, console "Failed to load resource" lines (the 403 pages a suite asks for)
 * are left to the asset check.
 */
export function pageWatcher(
  gatewayUrl: () => string,
  options: { failedLoadsExpected?: boolean } = {},
): { problems: string[]; watch(page: Page): Page } {
  const problems: string[] = [];
  return {
    problems,
    watch(page) {
      const url = gatewayUrl();
      page.on('console', (msg) => {
        const at = msg.location().url;
        const expected =
          options.failedLoadsExpected === true && /^Failed to load resource/.test(msg.text());
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
    },
  };
}

/** A state's settings file as the repository ships it. */
export function stateFile(code: string): Record<string, unknown> {
  return parse(readFileSync(`config/states/${code}.yaml`, 'utf8')) as Record<string, unknown>;
}

/** The demo Texas file's mapping of IdP groups to roles. */
export function texasRoles(): Record<string, string[]> {
  return (stateFile('TX') as { identityProvider: { roles: Record<string, string[]> } })
    .identityProvider.roles;
}

export interface TexasPortal {
  idp: SimpleSamlPhp;
  gateway: Awaited<ReturnType<typeof startGatewayWith>>;
  url: string;
  browser: Browser;
  stop(): Promise<void>;
}

/**
 * SimpleSAMLphp for Texas (encrypted, signed assertions), a gateway trusting it with `roles`, and
 * chromium. Skips on a developer machine without SimpleSAMLphp or chromium; fails on CI.
 */
export async function startTexasPortal(
  ctx: Mocha.Context,
  options: {
    roles: Record<string, string[]>;
    users?: SamlTestUser[];
    otherStates?: Record<string, Record<string, unknown>>;
  },
): Promise<TexasPortal> {
  if (!simpleSamlPhpInstalled() || !existsSync(chromiumPath)) {
    // .ci/run installs both; on CI their absence is a failure, not a skip.
    if (process.env['CI']) throw new Error('SimpleSAMLphp or chromium is not installed');
    ctx.skip();
  }
  mkdirSync(screenshots, { recursive: true });
  const port = await freePort();
  const sp = `http://127.0.0.1:${port}/auth/saml/TX`;
  const { ensureDevKeyPair } = await import('../../certs/make-dev-certs.js');
  await ensureDevKeyPair();
  const idp = await startSimpleSamlPhp({
    sp: {
      entityId: `${sp}/metadata`,
      acsUrl: `${sp}/acs`,
      sloUrl: `${sp}/slo`,
      certPem: readFileSync('certs/dev-signing.crt', 'utf8'),
    },
    encryptAssertions: true,
    ...(options.users ? { users: options.users } : {}),
  });
  const gateway = await startGatewayWith(port, {
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
        roles: options.roles,
      },
    },
    ...options.otherStates,
  });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  return {
    idp,
    gateway,
    url: gateway.gateway.url,
    browser,
    async stop() {
      await browser.close();
      await gateway.stop();
      await idp.stop();
    },
  };
}
