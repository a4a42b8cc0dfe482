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
  // Children (issue 6): the consolidated record's readers (never the federal analyst); the
  // pages read and audit through the children router's functions.
  {
    method: 'GET',
    path: '/portal/children',
    allow: sameAsApi('GET /api/v1/children'),
    why: 'search children; results tell children apart, nothing more; audited',
    nav: { key: 'search', order: 10 },
  },
  {
    method: 'GET',
    path: '/portal/children/:childId',
    allow: sameAsApi('GET /api/v1/children/:childId'),
    why: 'the consolidated record (notification payloads link here); audited',
  },
  {
    method: 'GET',
    path: '/portal/children/:childId/print',
    allow: sameAsApi('GET /api/v1/children/:childId/print'),
    why: 'the consolidated record for printing; audited',
  },
  {
    method: 'POST',
    path: '/portal/children/:childId/move-notices',
    allow: sameAsApi('POST /api/v1/children/:childId/move-notices'),
    why: 'a primary user sends a move notice',
  },
  // The worklist: data administrators; scope and the second administrator in worklist.ts.
  {
    method: 'GET',
    path: '/portal/worklist',
    allow: sameAsApi('GET /api/v1/worklist'),
    why: 'near matches, merges and splits in own scope',
    nav: { key: 'worklist', order: 20 },
  },
  {
    method: 'GET',
    path: '/portal/worklist/:id',
    allow: sameAsApi('GET /api/v1/worklist'),
    why: 'one item: the two children side by side and the explanation',
  },
  {
    method: 'POST',
    path: '/portal/worklist/:id/resolve',
    allow: sameAsApi('POST /api/v1/worklist/:id/resolve'),
    why: 'same or different child',
  },
  {
    method: 'POST',
    path: '/portal/worklist/:id/validate',
    allow: sameAsApi('POST /api/v1/worklist/:id/validate'),
    why: 'a second administrator approves or rejects',
  },
  {
    method: 'POST',
    path: '/portal/worklist/:id/reassign',
    allow: sameAsApi('POST /api/v1/worklist/:id/reassign'),
    why: 'down or sideways',
  },
  {
    method: 'POST',
    path: '/portal/worklist/merges',
    allow: sameAsApi('POST /api/v1/worklist/merges'),
    why: 'start a merge',
  },
  {
    method: 'POST',
    path: '/portal/worklist/splits',
    allow: sameAsApi('POST /api/v1/worklist/splits'),
    why: 'start a split',
  },
  // Moves and deadlines (issue 7).
  {
    method: 'GET',
    path: '/portal/move-notices',
    allow: sameAsApi('GET /api/v1/move-notices'),
    why: "recruiters' leads: notices to the viewer's state",
    nav: { key: 'moveNotices', order: 30 },
  },
  {
    method: 'GET',
    path: '/portal/deadlines',
    allow: sameAsApi('GET /api/v1/deadlines'),
    why: 'due, met and overdue deadlines of the own state',
    nav: { key: 'deadlines', order: 40 },
  },
  // Jobs and notifications administration (issue 7): the routers' rows, own state only.
  {
    method: 'GET',
    path: '/portal/admin/clients',
    allow: ['user-admin'],
    why: "the state's systems' OAuth client credentials (status only, never a secret)",
    nav: { key: 'clients', order: 97 },
  },
  {
    method: 'GET',
    path: '/portal/admin/jobs',
    allow: sameAsApi('GET /api/v1/jobs'),
    why: 'job schedules and recent runs',
    nav: { key: 'jobs', order: 96 },
  },
  {
    method: 'GET',
    path: '/portal/admin/subscriptions',
    allow: sameAsApi('GET /api/v1/subscriptions'),
    why: "the state's webhook and e-mail subscribers",
    nav: { key: 'subscriptions', order: 97 },
  },
  {
    method: 'POST',
    path: '/portal/admin/subscriptions',
    allow: sameAsApi('POST /api/v1/subscriptions'),
    why: 'register a subscriber; its secret shown once',
  },
  {
    method: 'POST',
    path: '/portal/admin/subscriptions/:id/rotate-secret',
    allow: sameAsApi('POST /api/v1/subscriptions/:id/rotate-secret'),
    why: 'a new secret, shown once',
  },
  {
    method: 'GET',
    path: '/portal/admin/deliveries',
    allow: sameAsApi('GET /api/v1/notifications/deliveries'),
    why: 'delivery status and dead letters',
    nav: { key: 'deliveries', order: 98 },
  },
  {
    method: 'POST',
    path: '/portal/admin/deliveries/:id/resend',
    allow: sameAsApi('POST /api/v1/notifications/deliveries/:id/resend'),
    why: 'resend a dead letter',
  },
  // Child counts (DESIGN.md section 8): the same rows as the API; the pages bind the state as
  // the reports router does (analysts every state, state users their own).
  {
    method: 'GET',
    path: '/portal/counts',
    allow: sameAsApi('GET /api/v1/reports/child-count'),
    why: 'Category 1/2 numbers and breakdowns of a state and period',
    nav: { key: 'counts', order: 50 },
  },
  {
    method: 'GET',
    path: '/portal/counts/children',
    allow: sameAsApi('GET /api/v1/reports/child-count/children'),
    why: 'the children behind the numbers, own state; audited; never the federal analyst',
  },
  {
    method: 'GET',
    path: '/portal/counts/reconciliation',
    allow: sameAsApi('GET /api/v1/reports/child-count/reconciliation'),
    why: 'upload form and the differences with the latest state list, own state',
  },
  {
    method: 'POST',
    path: '/portal/counts/reconciliation',
    allow: sameAsApi('POST /api/v1/reports/child-count/reconciliation'),
    why: "upload the state's own list (CSV file), own state",
  },
  {
    method: 'POST',
    path: '/portal/counts/freeze',
    allow: sameAsApi('POST /api/v1/reports/child-count/freeze'),
    why: 'freeze the count as of a date, own state',
  },
  {
    method: 'POST',
    path: '/portal/counts/certify',
    allow: sameAsApi('POST /api/v1/reports/child-count/certify'),
    why: 'certify a frozen count, own state',
  },
  // Survey reports (DESIGN.md section 9): public; the embargo is the survey module's (a report
  // before release only for a person of its state who accepted the agreement).
  {
    method: 'GET',
    path: '/portal/survey-reports',
    allow: 'public',
    why: 'the survey reports the viewer may read',
    nav: { key: 'surveyReports', order: 60 },
  },
  {
    method: 'GET',
    path: '/portal/survey-reports/agreement',
    allow: sameAsApi('GET /api/v1/survey-reports/agreement'),
    why: 'read the confidentiality agreement and whether it is accepted',
  },
  {
    method: 'POST',
    path: '/portal/survey-reports/agreement',
    allow: sameAsApi('POST /api/v1/survey-reports/agreement'),
    why: 'accept the confidentiality agreement',
  },
  {
    method: 'GET',
    path: '/portal/survey-reports/:state/:survey/:year/:scope/:id',
    allow: 'public',
    why: 'one survey report in the portal layout; embargo checked by the survey module',
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
