/**
 * Sets `req.principal` from a bearer token or the session. The account is read on every request,
 * so disabling it takes effect at once on every instance, for sessions and tokens alike.
 */
import type { Request, RequestHandler } from 'express';
import type { Store } from '../store/index.js';
import { getAccount } from '../store/repositories/accounts.js';
import { principalOf } from './accounts.js';
import type { Principal } from './principal.js';

/** Checks a bearer access token; resolves undefined when it is not valid. */
export type BearerVerifier = (token: string, req: Request) => Promise<Principal | undefined>;

export async function activePrincipal(store: Store, accountId: number) {
  const account = await getAccount(store, accountId);
  return account && account.status === 'active' ? principalOf(account) : undefined;
}

export function authenticate(store: Store, verifyBearer?: BearerVerifier): RequestHandler {
  return async (req, _res, next) => {
    // The OpenID provider reads its own Authorization headers (client auth, userinfo tokens).
    const header = req.path.startsWith('/oidc/') ? undefined : req.get('authorization');
    if (header !== undefined && /^bearer /i.test(header)) {
      const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
      const token = match?.[1];
      // A token we do not know leaves the caller anonymous: protected routes then answer 401
      // (RFC 6750 section 3.1), and a router with credentials of its own may still accept it.
      if (token && verifyBearer) {
        const principal = await verifyBearer(token, req);
        if (principal) req.principal = principal;
      }
      next();
      return;
    }
    const accountId = req.session?.accountId;
    if (accountId !== undefined) {
      const principal = await activePrincipal(store, accountId);
      if (principal) req.principal = principal;
    }
    next();
  };
}
