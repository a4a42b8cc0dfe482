/**
 * A state's system authenticates its uploads with a client-credentials access token from
 * Continuum's own OpenID provider (scope `submissions:write`, bound to one state), or, during the
 * transition, with the per-state key of the state's config (`submissionKeySha256`,
 * src/ingest/submission-keys.ts). Both travel as `Authorization: Bearer <token>`.
 */
import type { Request, Response } from 'express';
import type { Config } from '../config/index.js';
import { isStateSystem } from '../identity/access-guard.js';
import { stateOfSubmissionKey } from '../ingest/index.js';
import { Forbidden, Unauthorized } from './auth-problems.js';

/** RFC 6750 section 2.1: `Bearer` then the token (b64token characters). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The state whose key the request carries; 401 (with a Bearer challenge) when none. */
export function authenticateState(config: Config, req: Request, res: Response): string {
  // A token the identity layer verified comes first; it names its one state.
  const principal = req.principal;
  if (isStateSystem(principal) && principal.state) {
    if (!principal.scopes.includes('submissions:write')) {
      throw new Forbidden('The token lacks the submissions:write scope.');
    }
    return principal.state;
  }
  const header = req.get('authorization');
  const key = header === undefined ? undefined : BEARER.exec(header)?.[1];
  // RFC 6750 section 3: a 401 names the scheme it wants.
  res.setHeader('WWW-Authenticate', 'Bearer realm="continuum submissions"');
  if (key === undefined) {
    throw new Unauthorized('Send the state submission key as "Authorization: Bearer <key>".');
  }
  const state = stateOfSubmissionKey(config.states, key);
  if (state === undefined) throw new Unauthorized('The submission key is not valid.');
  res.removeHeader('WWW-Authenticate');
  return state;
}

/** A key opens its own state's submissions only. */
export function requireSameState(keyState: string, state: string): void {
  if (keyState !== state) {
    throw new Forbidden(
      `This key is for ${keyState}; it gives no access to ${state}'s submissions.`,
    );
  }
}
