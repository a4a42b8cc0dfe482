/**
 * The web portal (issue 10): server-rendered USWDS pages for school staff, data administrators,
 * user administrators and analysts. Routes only wire handlers (pages/); the app mounts the guard
 * (guard.ts) before every router, so each /portal request is checked against the page table
 * (page-table.ts) first, and a handler cannot be registered here without a row there. The app
 * also mounts the static files (assets.ts) and the HTML error pages (errors.ts).
 *
 * A new page is: a row in page-table.ts, its words in text/en.ts, a handler in pages/, and one
 * `route(...)` line below.
 */
import { Router, type RequestHandler } from 'express';
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import { findPortalRoute, PORTAL_PREFIX, type PortalRoute } from './page-table.js';
import {
  accountDetailPage,
  accountListPage,
  approveAction,
  disableAction,
} from './pages/admin-accounts.js';
import { auditLogPage } from './pages/admin-audit.js';
import { clientsPage } from './pages/admin-clients.js';
import {
  deliveriesPage,
  jobsPage,
  registerSubscriptionAction,
  resendAction,
  rotateSecretAction,
  subscriptionsPage,
} from './pages/admin-notifications.js';
import { certifyAction, countsPage, freezeAction } from './pages/counts.js';
import {
  countedChildrenPage,
  reconciliationPage,
  reconciliationUpload,
} from './pages/counts-lists.js';
import {
  childPrintPage,
  childRecordPage,
  childSearchPage,
  sendMoveNoticeAction,
} from './pages/children.js';
import { homePage } from './pages/home.js';
import { deadlinesPage, moveNoticesPage } from './pages/moves-deadlines.js';
import { worklistItemPage, worklistPage } from './pages/worklist.js';
import {
  reassignAction,
  resolveAction,
  startMergeAction,
  startSplitAction,
  validateAction,
} from './pages/worklist-actions.js';
import {
  acceptAgreementAction,
  agreementPage,
  surveyReportListPage,
  surveyReportPage,
} from './pages/survey-reports.js';

export { portalAssetsRouter } from './assets.js';
export { portalErrorHandler } from './errors.js';
export { portalGuard } from './guard.js';

export interface PortalOptions {
  config: Config;
  /** The clock survey-report embargoes and count periods are judged by (tests move it). */
  now?: () => Date;
}

export function portalRouter(store: Store, options: PortalOptions): Router {
  const router = Router();
  const deps = { store, config: options.config, now: options.now ?? (() => new Date()) };
  const route = (method: PortalRoute['method'], path: string, handler: RequestHandler) => {
    // The exact row, not just any match: a handler's path must be the table's path.
    const row = findPortalRoute(method, path.replace(/:[^/]+/g, '1'));
    if (!row || row.path !== path) throw new Error(`${method} ${path} has no row in page-table.ts`);
    if (method === 'GET') router.get(path, handler);
    else router.post(path, handler);
  };

  router.get('/', (_req, res) => res.redirect(303, PORTAL_PREFIX));

  route('GET', '/portal', homePage(deps));
  route('GET', '/portal/admin/accounts', accountListPage(store));
  route('GET', '/portal/admin/accounts/:id', accountDetailPage(store));
  route('POST', '/portal/admin/accounts/:id/approve', approveAction(store));
  route('POST', '/portal/admin/accounts/:id/disable', disableAction(store));
  route('GET', '/portal/admin/audit', auditLogPage(store));
  route('GET', '/portal/admin/jobs', jobsPage(deps));
  route('GET', '/portal/admin/clients', clientsPage(deps));
  route('GET', '/portal/admin/subscriptions', subscriptionsPage(deps));
  route('POST', '/portal/admin/subscriptions', registerSubscriptionAction(deps));
  route('POST', '/portal/admin/subscriptions/:id/rotate-secret', rotateSecretAction(deps));
  route('GET', '/portal/admin/deliveries', deliveriesPage(deps));
  route('POST', '/portal/admin/deliveries/:id/resend', resendAction(deps));
  route('GET', '/portal/children', childSearchPage(deps));
  route('GET', '/portal/children/:childId', childRecordPage(deps));
  route('GET', '/portal/children/:childId/print', childPrintPage(deps));
  route('POST', '/portal/children/:childId/move-notices', sendMoveNoticeAction(deps));
  route('GET', '/portal/worklist', worklistPage(deps));
  route('GET', '/portal/worklist/:id', worklistItemPage(deps));
  route('POST', '/portal/worklist/:id/resolve', resolveAction(deps));
  route('POST', '/portal/worklist/:id/validate', validateAction(deps));
  route('POST', '/portal/worklist/:id/reassign', reassignAction(deps));
  route('POST', '/portal/worklist/merges', startMergeAction(deps));
  route('POST', '/portal/worklist/splits', startSplitAction(deps));
  route('GET', '/portal/move-notices', moveNoticesPage(deps));
  route('GET', '/portal/deadlines', deadlinesPage(deps));
  route('GET', '/portal/counts', countsPage(deps));
  route('GET', '/portal/counts/children', countedChildrenPage(deps));
  route('GET', '/portal/counts/reconciliation', reconciliationPage(deps));
  route('POST', '/portal/counts/reconciliation', reconciliationUpload(deps));
  route('POST', '/portal/counts/freeze', freezeAction(deps));
  route('POST', '/portal/counts/certify', certifyAction(deps));
  route('GET', '/portal/survey-reports', surveyReportListPage(deps));
  route('GET', '/portal/survey-reports/agreement', agreementPage(deps));
  route('POST', '/portal/survey-reports/agreement', acceptAgreementAction(deps));
  route('GET', '/portal/survey-reports/:state/:survey/:year/:scope/:id', surveyReportPage(deps));
  return router;
}
