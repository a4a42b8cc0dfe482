/** Who is calling: a signed-in person (session) or a machine client (bearer token). */
import type {} from 'express-serve-static-core';
import type {} from 'express-session';
import type { Role } from './roles.js';

export interface PersonPrincipal {
  kind: 'person';
  accountId: number;
  /** The state whose identity provider vouched for the person. */
  state: string;
  roles: Role[];
  district: string | null;
  name: string;
  email: string | null;
  /** What audit events name as the actor. */
  actor: string;
}

export interface ClientPrincipal {
  kind: 'client';
  clientId: string;
  /** The state the client is bound to (state systems upload for that state only). */
  state: string | null;
  roles: Role[];
  scopes: string[];
  actor: string;
  /** Set when the token was issued to a partner app on behalf of a person. */
  accountId?: number;
}

export type Principal = PersonPrincipal | ClientPrincipal;

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authenticate` when the caller has a valid session or token. */
    principal?: Principal;
  }
}

declare module 'express-session' {
  interface SessionData {
    accountId?: number;
    /** Synchronizer token for forms and cookie-authenticated API calls. */
    csrfToken?: string;
    /** SAML session facts kept for single logout. */
    saml?: { state: string; nameID: string; nameIDFormat: string; sessionIndex?: string };
    /** OIDC id_token kept for RP-initiated logout. */
    oidc?: { state: string; idToken: string };
    /** Pending OIDC sign-in: PKCE verifier, state and nonce. */
    oidcPending?: { state: string; codeVerifier: string; nonce: string; oauthState: string };
    /** Where to go after sign-in (a local path). */
    returnTo?: string;
  }
}
