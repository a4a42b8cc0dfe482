/**
 * The portal's role × page table: who may open or post to each portal route, and which routes
 * appear in the navigation. The portal guard enforces it on every request under /portal; a route
 * missing from it is refused (default deny), and the portal router will not register a handler
 * without a row. Pages that mirror an API route take that route's row from the access matrix
 * (`sameAsApi`), so the page and the API can never disagree.
 *
 * Adding a page: a row here (with `nav` to list it), its text in text/en.ts, its handler in
 * pages/, one `route(...)` line in index.ts.
 */
import { accessMatrix, isAllowed, routePattern, type Allow } from '../identity/access-matrix.js';
import { personRoles, type Role } from '../identity/roles.js';
import type { PortalText } from './text/en.js';

/** A navigation entry: its label is `text.nav[key]`, its home-page line `text.navSummary[key]`. */
export type NavKey = keyof PortalText['navSummary'];

export const PORTAL_PREFIX = '/portal';

export interface PortalRoute {
  method: 'GET' | 'POST';
  /** Express-style, under /portal: `:name` is one segment. */
  path: string;
  /**
   * The roles that may use the route, or `public` for pages anyone may read without signing in
   * (published survey reports, DESIGN.md section 1); a public page never shows a child's data.
   */
  allow: Allow;
  why: string;
  /** Listed in the navigation and on the home page for the roles that may open it. */
  nav?: { key: NavKey; order: number };
}

/** The row of an API route: a page that shows the same data answers to the same roles. */
function sameAsApi(key: string): readonly Role[] {
  const row = accessMatrix.find((r) => `${r.method} ${r.path}` === key);
  if (!row || row.allow === 'public') throw new Error(`no role row for ${key} in the matrix`);
  return row.allow;
}

export const portalTable: readonly PortalRoute[] = [
  {
    method: 'GET',
    path: '/portal',
    allow: personRoles,
    why: 'home page: what this role can do',
    nav: { key: 'home', order: 0 },
  },
  {
    method: 'GET',
    path: '/portal/admin/accounts',
    allow: sameAsApi('GET /api/v1/accounts'),
    why: 'pending and all accounts of the administrator’s state',
    nav: { key: 'pendingAccounts', order: 90 },
  },
  {
    method: 'GET',
    path: '/portal/admin/accounts/:id',
    allow: sameAsApi('GET /api/v1/accounts/:id/access-grants'),
    why: 'one account: roles and their history',
  },
  {
    method: 'POST',
    path: '/portal/admin/accounts/:id/approve',
    allow: sameAsApi('POST /api/v1/accounts/:id/approve'),
    why: 'grant roles',
  },
  {
    method: 'POST',
    path: '/portal/admin/accounts/:id/disable',
    allow: sameAsApi('POST /api/v1/accounts/:id/disable'),
    why: 'end access',
  },
  {
    method: 'GET',
    path: '/portal/admin/audit',
    allow: sameAsApi('GET /api/v1/audit-events'),
    why: 'audit log search, own state',
    nav: { key: 'auditLog', order: 95 },
  },
];

const compiled = portalTable.map((r) => ({ ...r, pattern: routePattern(r.path) }));

/** The row for a request, or undefined. HEAD is answered as GET. */
export function findPortalRoute(method: string, path: string): PortalRoute | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return compiled.find((r) => r.method === m && r.pattern.test(path));
}

export function mayUse(route: PortalRoute, held: readonly Role[]): boolean {
  return isAllowed(route.allow, held);
}

/** The navigation for these roles, in order. */
export function navFor(
  held: readonly Role[],
): Array<PortalRoute & { nav: NonNullable<PortalRoute['nav']> }> {
  return portalTable
    .filter((r): r is PortalRoute & { nav: NonNullable<PortalRoute['nav']> } =>
      Boolean(r.nav && r.method === 'GET' && mayUse(r, held)),
    )
    .sort((a, b) => a.nav.order - b.nav.order);
}
