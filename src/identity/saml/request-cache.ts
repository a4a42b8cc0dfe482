/**
 * node-saml's CacheProvider on SQL: the ids of AuthnRequests we sent, so that InResponseTo is
 * checked on whichever instance the answer reaches, and each id answers once.
 */
import type { CacheItem, CacheProvider } from '@node-saml/passport-saml';
import type { Store } from '../../store/index.js';
import {
  findSamlRequestId,
  removeSamlRequestId,
  removeSamlRequestIdsBefore,
  saveSamlRequestId,
} from '../../store/repositories/saml-message-ids.js';

export class SqlRequestCache implements CacheProvider {
  constructor(
    private readonly store: Store,
    private readonly lifetimeMs: number,
  ) {}

  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    const createdAt = new Date(value);
    await saveSamlRequestId(
      this.store,
      key,
      Number.isNaN(createdAt.getTime()) ? new Date() : createdAt,
    );
    return { value, createdAt: createdAt.getTime() };
  }

  async getAsync(key: string): Promise<string | null> {
    const createdAt = await findSamlRequestId(this.store, key);
    // An expired request id is as good as unknown.
    if (!createdAt || createdAt.getTime() + this.lifetimeMs < Date.now()) return null;
    return createdAt.toISOString();
  }

  async removeAsync(key: string | null): Promise<string | null> {
    if (key === null) return null;
    return (await removeSamlRequestId(this.store, key)) ? key : null;
  }

  async sweep(): Promise<void> {
    await removeSamlRequestIdsBefore(this.store, new Date(Date.now() - this.lifetimeMs));
  }
}
