/**
 * The web portal (issue 10): server-rendered USWDS pages for school staff, data administrators,
 * user administrators and analysts. Routes only wire handlers (pages/); the app mounts the guard
 * (guard.ts) before every router, so each /portal request is checked against the page table
 * (page-table.ts) first, and a handler cannot be registered here without a row there. The app
 * also mounts the static files (assets.ts) and the HTML error pages (errors.ts).
 *
 * A later page (search, consolidated record, worklists, notices, deadlines, counts, survey
 * reports) is: a row in page-table.ts, its words in text/en.ts, a handler in pages/, and one
 * `route(...)` line below.
 */
import { Router, type RequestHandler } from 'express';
import type { Store } from '../store/index.js';
import { findPortalRoute, PORTAL_PREFIX, type PortalRoute } from './page-table.js';
import {
  accountDetailPage,
  accountListPage,
  approveAction,
  disableAction,
} from './pages/admin-accounts.js';
import { auditLogPage } from './pages/admin-audit.js';
import { homePage } from './pages/home.js';

export { portalAssetsRouter } from './assets.js';
export { portalErrorHandler } from './errors.js';
export { portalGuard } from './guard.js';

export function portalRouter(store: Store): Router {
  const router = Router();
  const route = (method: PortalRoute['method'], path: string, handler: RequestHandler) => {
    // The exact row, not just any match: a handler's path must be the table's path.
    const row = findPortalRoute(method, path.replace(/:[^/]+/g, '1'));
    if (!row || row.path !== path) throw new Error(`${method} ${path} has no row in page-table.ts`);
    if (method === 'GET') router.get(path, handler);
    else router.post(path, handler);
  };

  router.get('/', (_req, res) => res.redirect(303, PORTAL_PREFIX));

  route('GET', '/portal', homePage(store));
  route('GET', '/portal/admin/accounts', accountListPage(store));
  route('GET', '/portal/admin/accounts/:id', accountDetailPage(store));
  route('POST', '/portal/admin/accounts/:id/approve', approveAction(store));
  route('POST', '/portal/admin/accounts/:id/disable', disableAction(store));
  route('GET', '/portal/admin/audit', auditLogPage(store));
  return router;
}
