/**
 * The role × route matrix: the one table that says who may call what. The access guard enforces
 * it on every request, before any router runs; under /api/v1 a route missing from the table is
 * refused (default deny). test/integration/roles-matrix.test.ts walks every row with every role.
 */
import { personRoles, recordReaders, type Role } from './roles.js';

export type Allow = 'public' | readonly Role[];

export interface RouteAccess {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express-style: `:name` is one segment, a trailing `*` any rest. */
  path: string;
  allow: Allow;
  /**
   * `guard` (default): the access guard enforces the row. `router`: the owning router mounts the
   * middleware named in `why` (a state-bound check the guard cannot make alone).
   */
  enforcedBy?: 'guard' | 'router';
  why: string;
}

const userAdmins: readonly Role[] = ['user-admin'];
const stateAdmins: readonly Role[] = ['state-data-admin', 'user-admin'];
const dataAdmins: readonly Role[] = [
  'district-data-admin',
  'region-data-admin',
  'state-data-admin',
];

export const accessMatrix: readonly RouteAccess[] = [
  // Public: documents and the list of states the sign-in page shows.
  { method: 'GET', path: '/api/v1/openapi.json', allow: 'public', why: 'API description' },
  { method: 'GET', path: '/api/v1/schema/exchange.json', allow: 'public', why: 'JSON Schema' },
  { method: 'GET', path: '/api/v1/states', allow: 'public', why: 'sign-in page lists states' },
  // Any signed-in person: who am I, which roles.
  { method: 'GET', path: '/api/v1/me', allow: personRoles, why: 'own account' },
  // A child's record: staff who serve children; never the federal analyst (aggregates only),
  // a partner agency (its notifications only) or a state system (uploads only).
  {
    method: 'GET',
    path: '/api/v1/student-records/:id',
    allow: recordReaders,
    why: 'consolidated record; every read audited',
  },
  // The consolidated record of a child (issue 6): search, read, print; every one audited.
  {
    method: 'GET',
    path: '/api/v1/children',
    allow: recordReaders,
    why: 'find a child; every search audited',
  },
  {
    method: 'GET',
    path: '/api/v1/children/:childId',
    allow: recordReaders,
    why: 'consolidated record; every read audited',
  },
  {
    method: 'GET',
    path: '/api/v1/children/:childId/print',
    allow: recordReaders,
    why: 'printable consolidated record; every print audited',
  },
  // The near-match worklist, merges and splits: data administrators, scoped to their district,
  // region or state in src/linkage/worklist.ts; a second administrator validates.
  { method: 'GET', path: '/api/v1/worklist', allow: dataAdmins, why: 'items in own scope' },
  {
    method: 'POST',
    path: '/api/v1/worklist/:id/resolve',
    allow: dataAdmins,
    why: 'same child or different',
  },
  {
    method: 'POST',
    path: '/api/v1/worklist/:id/validate',
    allow: dataAdmins,
    why: 'second administrator approves or rejects',
  },
  {
    method: 'POST',
    path: '/api/v1/worklist/:id/reassign',
    allow: dataAdmins,
    why: 'down or sideways only',
  },
  { method: 'POST', path: '/api/v1/worklist/merges', allow: dataAdmins, why: 'start a merge' },
  { method: 'POST', path: '/api/v1/worklist/splits', allow: dataAdmins, why: 'start a split' },
  {
    method: 'POST',
    path: '/api/v1/linkage-changes/:id/revert',
    allow: ['state-data-admin'],
    why: 'undo a merge or split',
  },
  // The audit log, the administrator's own state only.
  {
    method: 'GET',
    path: '/api/v1/audit-events',
    allow: ['user-admin', 'state-data-admin'],
    why: 'state administrators review who read what',
  },
  // Child counts (DESIGN.md section 8). The numbers: federal analysts for every state, the state
  // data administrator for their own (the router binds the state). The children behind them,
  // reconciliation, freezing and certifying are child-level or the state's own submission: the
  // state data administrator of that state only, never the federal analyst (aggregates only).
  // District and region administrators and primary/secondary users serve children; the
  // statewide federal count is not their work, so they are not listed.
  {
    method: 'GET',
    path: '/api/v1/reports/child-count',
    allow: ['federal-analyst', 'state-data-admin'],
    why: 'Category 1/2 counts; state users their own state (reports router)',
  },
  {
    method: 'GET',
    path: '/api/v1/reports/child-count/children',
    allow: ['state-data-admin'],
    why: 'children behind the count, own state; audited',
  },
  {
    method: 'POST',
    path: '/api/v1/reports/child-count/reconciliation',
    allow: ['state-data-admin'],
    why: "upload the state's own list, own state; audited",
  },
  {
    method: 'GET',
    path: '/api/v1/reports/child-count/reconciliation',
    allow: ['state-data-admin'],
    why: 'differences with the latest list, own state; audited',
  },
  {
    method: 'POST',
    path: '/api/v1/reports/child-count/freeze',
    allow: ['state-data-admin'],
    why: 'freeze the count as of a date, own state; audited',
  },
  {
    method: 'POST',
    path: '/api/v1/reports/child-count/certify',
    allow: ['state-data-admin'],
    why: 'certify a frozen count, own state; audited',
  },
  // Accounts of the administrator's own state.
  { method: 'GET', path: '/api/v1/accounts', allow: userAdmins, why: 'list, find pending' },
  {
    method: 'GET',
    path: '/api/v1/accounts/:id/access-grants',
    allow: userAdmins,
    why: 'grant history',
  },
  { method: 'POST', path: '/api/v1/accounts/:id/approve', allow: userAdmins, why: 'grant roles' },
  { method: 'POST', path: '/api/v1/accounts/:id/disable', allow: userAdmins, why: 'end access' },
  // Survey reports (MESIS): public rows, the embargo is enforced in the survey-reports router
  // (before release only a person of the state who accepted the agreement; everyone else 404).
  {
    method: 'GET',
    path: '/api/v1/survey-reports',
    allow: 'public',
    why: 'list of the reports the caller may read',
  },
  {
    method: 'GET',
    path: '/api/v1/survey-reports/agreement',
    allow: personRoles,
    why: 'own confidentiality agreement',
  },
  {
    method: 'POST',
    path: '/api/v1/survey-reports/agreement',
    allow: personRoles,
    why: 'accept the confidentiality agreement (reports before release)',
  },
  {
    method: 'POST',
    path: '/api/v1/survey-reports/generate',
    allow: ['state-data-admin'],
    why: "regenerate the own state's survey reports on demand",
  },
  {
    method: 'GET',
    path: '/api/v1/survey-reports/:state/:survey/:year/:scope/:id',
    allow: 'public',
    why: 'a survey report as JSON or CSV; embargo checked in the router',
  },
  // Jobs and notifications (issue 7): administrators of a state; subscriptions and deliveries
  // of their own state only (checked in the notifications router).
  { method: 'GET', path: '/api/v1/jobs', allow: stateAdmins, why: 'job runs and schedules' },
  {
    method: 'GET',
    path: '/api/v1/subscriptions',
    allow: ['state-data-admin'],
    why: "the state's webhook and e-mail subscribers",
  },
  {
    method: 'POST',
    path: '/api/v1/subscriptions',
    allow: ['state-data-admin'],
    why: 'register a partner agency or state subscriber',
  },
  {
    method: 'POST',
    path: '/api/v1/subscriptions/:id/rotate-secret',
    allow: ['state-data-admin'],
    why: 'new signing secret; the old one overlaps',
  },
  {
    method: 'GET',
    path: '/api/v1/notifications/deliveries',
    allow: stateAdmins,
    why: 'dead letters shown to administrators',
  },
  {
    method: 'POST',
    path: '/api/v1/notifications/deliveries/:id/resend',
    allow: stateAdmins,
    why: 'resend a dead letter',
  },
  // Moves: a primary user sends a notice (MSIX notify); the receiving state's staff see leads.
  {
    method: 'POST',
    path: '/api/v1/children/:childId/move-notices',
    allow: ['primary-user'],
    why: 'primary users send move notices',
  },
  {
    method: 'GET',
    path: '/api/v1/move-notices',
    allow: ['primary-user', ...dataAdmins],
    why: "recruiters' leads: notices to their state",
  },
  // 34 CFR 200.85 deadlines of the administrator's own state (checked in the router).
  { method: 'GET', path: '/api/v1/deadlines', allow: dataAdmins, why: 'due, met, overdue' },
  // Uploads: a state system's client-credentials token, bound to its state.
  {
    method: 'POST',
    path: '/api/v1/submissions',
    allow: ['state-system'],
    enforcedBy: 'router',
    why: 'requireStateSystem(stateFrom) in the submissions router',
  },
  {
    method: 'GET',
    path: '/api/v1/submissions/*',
    allow: ['state-system'],
    enforcedBy: 'router',
    why: 'requireStateSystem(stateFrom) in the submissions router',
  },
];

interface CompiledRoute extends RouteAccess {
  pattern: RegExp;
}

/** An Express-style path as a whole-path pattern (the portal's page table uses it too). */
export function routePattern(path: string): RegExp {
  const body = path
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.+';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${body}/?$`);
}

const compiled: CompiledRoute[] = accessMatrix.map((r) => ({
  ...r,
  pattern: routePattern(r.path),
}));

/** The matrix row for a request, or undefined. HEAD is answered as GET. */
export function findRouteAccess(method: string, path: string): RouteAccess | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return compiled.find((r) => r.method === m && r.pattern.test(path));
}

export function isAllowed(allow: Allow, held: readonly Role[]): boolean {
  return allow === 'public' || held.some((role) => allow.includes(role));
}
