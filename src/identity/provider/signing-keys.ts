/**
 * The provider's signing keys, kept in the SQL store so every instance signs and publishes the
 * same ones. A new RS256 key is made when the newest is older than the rotation period; older
 * keys stay published (tokens they signed still verify) until twice that age.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Store } from '../../store/index.js';
import {
  addSigningKey,
  listSigningKeys,
  removeSigningKeysBefore,
} from '../../store/repositories/oidc-provider-rows.js';

const DAY_MS = 86_400_000;

export async function currentSigningKeys(
  store: Store,
  rotationDays: number,
  now = new Date(),
): Promise<Record<string, unknown>[]> {
  let keys = await listSigningKeys(store);
  const newest = keys[0];
  if (!newest || now.getTime() - newest.createdAt.getTime() > rotationDays * DAY_MS) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomUUID();
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
    await addSigningKey(store, { kid, jwk, createdAt: now });
    await removeSigningKeysBefore(store, new Date(now.getTime() - 2 * rotationDays * DAY_MS));
    keys = await listSigningKeys(store);
  }
  // The first key signs; the others only verify.
  return keys.map((k) => k.jwk);
}
