/**
 * oidc-provider's storage adapter on the SQL store: one adapter instance per model (Session,
 * Grant, AuthorizationCode, AccessToken, ClientCredentials, Interaction...), all in one table.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Store } from '../../store/index.js';
import {
  consumeProviderRow,
  destroyProviderRow,
  destroyProviderRowsOfGrant,
  findProviderRow,
  findProviderRowBy,
  upsertProviderRow,
} from '../../store/repositories/oidc-provider-rows.js';

export function sqlAdapter(store: Store) {
  return class SqlAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      await upsertProviderRow(store, {
        model: this.model,
        id,
        payload,
        grantId: payload.grantId,
        userCode: payload.userCode,
        uid: payload.uid,
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return findProviderRow(store, this.model, id);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return findProviderRowBy(store, this.model, 'userCode', userCode);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return findProviderRowBy(store, this.model, 'uid', uid);
    }

    async consume(id: string): Promise<void> {
      await consumeProviderRow(store, this.model, id);
    }

    async destroy(id: string): Promise<void> {
      await destroyProviderRow(store, this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await destroyProviderRowsOfGrant(store, grantId);
    }
  };
}
