/** The end of every successful sign-in, whatever the protocol: account, new session, redirect. */
import type { Request, Response } from 'express';
import type { SessionData } from 'express-session';
import { safeReturnTo } from './sign-in-method.js';
import type { Store } from '../store/index.js';
import { rolesFromGroups, signInFromIdp, type IdpIdentity } from './accounts.js';
import type { Role } from './roles.js';

/** Attribute values arrive as a string, an array of strings, or not at all. */
export function valuesOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(valuesOf);
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return [];
}

export function firstValue(value: unknown): string | null {
  return valuesOf(value)[0] ?? null;
}

export async function completeSignIn(
  req: Request,
  res: Response,
  store: Store,
  identity: IdpIdentity,
  grants: Record<string, readonly Role[]>,
  facts: Pick<SessionData, 'saml' | 'oidc'>,
  returnTo?: string,
): Promise<void> {
  const idpRoles = rolesFromGroups(grants, identity.groups);
  const account = await signInFromIdp(store, identity, idpRoles, {
    ip: req.ip ?? null,
    requestId: String(req.id),
  });
  // A new session id at sign-in: a session fixed by someone else before it is worth nothing.
  await new Promise<void>((resolve, reject) =>
    req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())),
  );
  req.session.accountId = account.id;
  if (facts.saml) req.session.saml = facts.saml;
  if (facts.oidc) req.session.oidc = facts.oidc;
  await new Promise<void>((resolve, reject) =>
    req.session.save((err: unknown) => (err ? reject(err) : resolve())),
  );
  res.redirect(303, safeReturnTo(returnTo) ?? '/auth/session');
}
