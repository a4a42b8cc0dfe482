/**
 * Enforces the access matrix on every request: unauthenticated callers get 401 (or, for pages,
 * a redirect to sign-in), callers whose roles the row does not list get 403.
 */
import type { Request, RequestHandler } from 'express';
import { Forbidden, Unauthorized } from '../api/auth-problems.js';
import { findRouteAccess, isAllowed, type RouteAccess } from './access-matrix.js';
import type { ClientPrincipal, Principal } from './principal.js';

/** Routes under this prefix that are missing from the matrix are refused. */
const DEFAULT_DENY_PREFIX = '/api/v1/';

/** Throws the problem the caller sees when `principal` may not use `route`. */
export function checkAccess(route: RouteAccess, principal: Principal | undefined): void {
  if (route.allow === 'public') return;
  if (!principal) throw new Unauthorized();
  if (!isAllowed(route.allow, principal.roles)) {
    throw new Forbidden(`${route.method} ${route.path} is not open to your role.`);
  }
}

export function accessGuard(): RequestHandler {
  return (req, _res, next) => {
    const route = findRouteAccess(req.method, req.path);
    if (!route) {
      if (req.path.startsWith(DEFAULT_DENY_PREFIX)) {
        // Default deny: a new route is closed until it has a row in the matrix.
        throw new Forbidden(`${req.method} ${req.path} is not in the access matrix.`);
      }
      next();
      return;
    }
    if (route.enforcedBy !== 'router') checkAccess(route, req.principal);
    next();
  };
}

/**
 * For the submissions router: only a state system's token, and only for the state the request
 * is about. `stateFrom` reads that state from the request (a path parameter, a form field...).
 * Mount it on the route itself, e.g. `router.post('/submissions', requireStateSystem((req) =>
 * String(req.query.state)), handler)`; `req.principal.state` is then the caller's state.
 */
export function requireStateSystem(
  stateFrom: (req: Request) => string | undefined,
): RequestHandler {
  return (req, _res, next) => {
    const principal = req.principal;
    if (!principal) throw new Unauthorized('Send a client-credentials bearer token.');
    if (principal.kind !== 'client' || !principal.roles.includes('state-system')) {
      throw new Forbidden('Only a state system may upload.');
    }
    if (!principal.scopes.includes('submissions:write')) {
      throw new Forbidden('The token lacks the submissions:write scope.');
    }
    const state = stateFrom(req);
    // A token is bound to one state: it never uploads for another.
    if (!state || state.toUpperCase() !== principal.state) {
      throw new Forbidden(`This client uploads for ${principal.state ?? 'no state'} only.`);
    }
    next();
  };
}

export function isStateSystem(principal: Principal | undefined): principal is ClientPrincipal {
  return principal?.kind === 'client' && principal.roles.includes('state-system');
}

/**
 * Inside a handler whose state is known only after a lookup (GET /submissions/:id): the calling
 * state system, or the 401/403 the caller must see. Compare its `state` with the resource's.
 */
export function stateSystemOf(req: Request): ClientPrincipal {
  const principal = req.principal;
  if (!principal) throw new Unauthorized('Send a client-credentials bearer token.');
  if (!isStateSystem(principal) || !principal.state) {
    throw new Forbidden('Only a state system may do this.');
  }
  return principal;
}
