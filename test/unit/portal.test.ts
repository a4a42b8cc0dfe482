// The portal's building blocks without a server: escaping by default, the page table's rules
// (under /portal, the same roles as the API rows it mirrors, words for every navigation entry),
// the navigation per role, and a layout with no inline script or style.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { accessMatrix } from '../../src/identity/access-matrix.js';
import { uswdsDistDir } from '../../src/portal/assets.js';
import { html, raw } from '../../src/portal/html.js';
import { layout } from '../../src/portal/layout.js';
import {
  findPortalRoute,
  navFor,
  PORTAL_PREFIX,
  portalTable,
} from '../../src/portal/page-table.js';
import { en } from '../../src/portal/text/en.js';

describe('portal building blocks', () => {
  it('escapes every value unless it is already HTML', () => {
    const name = `<script>alert("x")</script> & 'co'`;
    const out = html`<p title="${name}">${name}${html`<b>${name}</b>`}${[name, null, false]}</p>`;
    assert.doesNotMatch(out.value, /<script>|"x"/);
    assert.match(out.value, /<b>&#60;script&#62;/);
    assert.equal(html`${undefined}${null}${false}${0}`.value, '0');
    assert.equal(html`${raw('<i>ok</i>')}`.value, '<i>ok</i>');
  });

  it('keeps every page-table row under /portal, for signed-in roles or public', () => {
    for (const row of portalTable) {
      assert.ok(row.path === PORTAL_PREFIX || row.path.startsWith(`${PORTAL_PREFIX}/`), row.path);
      assert.ok(row.allow === 'public' || row.allow.length > 0, `${row.path} allows nobody`);
      assert.ok(!(row.allow !== 'public' && row.allow.includes('state-system')), row.path);
    }
  });

  it('gives administration pages exactly the roles of the API routes they mirror', () => {
    const mirrors: Array<[string, string]> = [
      ['GET /portal/admin/accounts', 'GET /api/v1/accounts'],
      ['GET /portal/admin/accounts/:id', 'GET /api/v1/accounts/:id/access-grants'],
      ['POST /portal/admin/accounts/:id/approve', 'POST /api/v1/accounts/:id/approve'],
      ['POST /portal/admin/accounts/:id/disable', 'POST /api/v1/accounts/:id/disable'],
      ['GET /portal/admin/audit', 'GET /api/v1/audit-events'],
    ];
    const rowOf = (rows: ReadonlyArray<{ method: string; path: string }>, key: string) =>
      rows.find((r) => `${r.method} ${r.path}` === key) as { allow: unknown } | undefined;
    for (const [page, api] of mirrors) {
      assert.deepEqual(rowOf(portalTable, page)?.allow, rowOf(accessMatrix, api)?.allow, page);
    }
  });

  it('has words for every navigation entry', () => {
    for (const row of portalTable.filter((r) => r.nav)) {
      assert.ok(en.nav[row.nav!.key], `nav.${row.nav!.key}`);
      assert.ok(en.navSummary[row.nav!.key], `navSummary.${row.nav!.key}`);
    }
  });

  it('matches requests to rows (HEAD as GET), and nothing else', () => {
    assert.equal(
      findPortalRoute('HEAD', '/portal/admin/accounts/12')?.path,
      '/portal/admin/accounts/:id',
    );
    assert.equal(findPortalRoute('GET', '/portal/admin/accounts/12/approve'), undefined);
    assert.equal(findPortalRoute('DELETE', '/portal/admin/accounts/12'), undefined);
    assert.equal(findPortalRoute('GET', '/portalx'), undefined);
  });

  it('shows each role only the navigation it may open', () => {
    const keys = (roles: Parameters<typeof navFor>[0]) => navFor(roles).map((r) => r.nav.key);
    // Survey reports are public: listed even for someone signed out.
    assert.deepEqual(keys([]), ['surveyReports']);
    assert.deepEqual(keys(['primary-user']), ['home', 'search', 'moveNotices', 'surveyReports']);
    // A secondary user reads records and sends nothing: no move notices.
    assert.deepEqual(keys(['secondary-user']), ['home', 'search', 'surveyReports']);
    assert.deepEqual(keys(['state-data-admin']), [
      'home',
      'search',
      'worklist',
      'moveNotices',
      'deadlines',
      'counts',
      'surveyReports',
      'auditLog',
      'jobs',
      'subscriptions',
      'deliveries',
    ]);
    // Aggregates only: no search, no record.
    assert.deepEqual(keys(['federal-analyst']), ['home', 'counts', 'surveyReports']);
    assert.deepEqual(keys(['user-admin']), [
      'home',
      'surveyReports',
      'pendingAccounts',
      'auditLog',
      'jobs',
      'clients',
      'deliveries',
    ]);
  });

  it('draws a page with the banner, no inline script or style, and assets from this origin', () => {
    const page = layout({
      title: 'T',
      body: html`<p>b</p>`,
      viewer: { name: 'Ana', state: 'TX', roles: ['primary-user'] },
      csrfToken: 'tok',
      flash: { kind: 'success', text: 'Done <now>' },
    });
    assert.match(page, /^<!doctype html>\s*<html lang="en">/);
    assert.match(page, /An official website of/);
    assert.match(page, /role="status"[^]*Done &#60;now&#62;/);
    assert.match(page, /name="_csrf" value="tok"/);
    assert.doesNotMatch(page, /<script>|<script [^>]*>[^<]|<style|\sstyle="|\son[a-z]+="/);
    for (const [, url] of page.matchAll(/(?:href|src)="([^"]+)"/g)) {
      assert.ok(url!.startsWith('/') || url === '#main-content', url);
    }
  });

  it('finds the USWDS package’s compiled files through module resolution', () => {
    const dist = uswdsDistDir();
    assert.ok(existsSync(path.join(dist, 'css', 'uswds.min.css')), dist);
    assert.ok(existsSync(path.join(dist, 'js', 'uswds.min.js')), dist);
  });
});
