/**
 * Enforces the portal's page table (page-table.ts) on every request under /portal, before any
 * handler: a route missing from the table is refused (default deny); a public row is open to
 * all; otherwise nobody signed in is sent to
 * sign-in (GET) or refused (POST); a pending account is sent to its awaiting-approval page; a
 * role the row does not list gets 403 from the server, whatever the page showed.
 */
import type { RequestHandler } from 'express';
import { Forbidden, Unauthorized } from '../api/auth-problems.js';
import { safeReturnTo } from '../identity/sign-in-method.js';
import { findPortalRoute, mayUse, PORTAL_PREFIX } from './page-table.js';

export function isPortalPath(path: string): boolean {
  return path === PORTAL_PREFIX || path.startsWith(`${PORTAL_PREFIX}/`);
}

export function portalGuard(): RequestHandler {
  return (req, res, next) => {
    if (!isPortalPath(req.path)) {
      next();
      return;
    }
    const route = findPortalRoute(req.method, req.path);
    if (!route) throw new Forbidden(`${req.method} ${req.path} is not in the portal page table.`);
    if (route.allow === 'public') {
      next();
      return;
    }
    const principal = req.principal;
    if (!principal) {
      const signedIn = req.session?.accountId !== undefined;
      if (req.method === 'GET' || req.method === 'HEAD') {
        // A session without an active principal is a pending (or just disabled) account.
        const next = safeReturnTo(req.originalUrl);
        const to = signedIn
          ? '/auth/session'
          : `/auth/login${next ? `?next=${encodeURIComponent(next)}` : ''}`;
        res.redirect(303, to);
        return;
      }
      throw signedIn ? new Forbidden('Your account is awaiting approval.') : new Unauthorized();
    }
    if (principal.kind !== 'person') throw new Forbidden('Only signed-in people use the portal.');
    if (!mayUse(route, principal.roles)) {
      throw new Forbidden(`${route.method} ${route.path} is not open to your role.`);
    }
    next();
  };
}
