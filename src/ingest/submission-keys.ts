/**
 * Per-state submission keys, until machine sign-in (OAuth client credentials, DESIGN.md section
 * 1) lands. A state's config holds only the SHA-256 of its key (`submissionKeySha256`), so the
 * config carries no secret; the key presented is hashed and compared with each state's hash in
 * constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { StateConfig } from '../config/index.js';

export function submissionKeyHash(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/**
 * The state whose key this is, or undefined. Every configured hash is compared, whatever matched
 * before, so the time taken does not tell which state (or whether any) holds the key.
 */
export function stateOfSubmissionKey(
  states: readonly Pick<StateConfig, 'code' | 'submissionKeySha256'>[],
  key: string,
): string | undefined {
  const presented = submissionKeyHash(key);
  let found: string | undefined;
  for (const state of states) {
    if (!state.submissionKeySha256) continue;
    const expected = Buffer.from(state.submissionKeySha256, 'hex');
    // Both are 32 bytes (the schema checks 64 hex digits), as timingSafeEqual requires.
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) {
      found ??= state.code;
    }
  }
  return found;
}
