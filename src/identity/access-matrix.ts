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

function compile(path: string): RegExp {
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

const compiled: CompiledRoute[] = accessMatrix.map((r) => ({ ...r, pattern: compile(r.path) }));

/** The matrix row for a request, or undefined. HEAD is answered as GET. */
export function findRouteAccess(method: string, path: string): RouteAccess | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return compiled.find((r) => r.method === m && r.pattern.test(path));
}

export function isAllowed(allow: Allow, held: readonly Role[]): boolean {
  return allow === 'public' || held.some((role) => allow.includes(role));
}
