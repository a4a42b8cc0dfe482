/** What every sign-in protocol provides to the /auth pages, and how a sign-in is refused. */
import type { Request, Router } from 'express';

/** One state's sign-in: its routes, and how to end its session at the IdP (single logout). */
export interface SignInMethod {
  state: string;
  protocol: 'saml' | 'oidc';
  router: Router;
  /** The IdP URL to send the browser to at sign-out, or null to just end the local session. */
  logoutUrl(req: Request): Promise<string | null>;
}

/** A sign-in refused for a reason the user must not see in detail (it is logged and audited). */
export class SignInRefused extends Error {
  override readonly name = 'SignInRefused';
  constructor(
    readonly state: string,
    readonly reason: string,
    readonly status = 401,
  ) {
    super(reason);
  }
}

/** A path on this gateway, never another site (open-redirect guard). */
export function safeReturnTo(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : undefined;
}
