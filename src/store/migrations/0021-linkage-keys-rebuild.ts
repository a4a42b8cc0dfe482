/**
 * Blocking keys in their second form: the birth-date key carried a phonetic name code and the
 * first-name key a birth year. This migration made every stored record's keys again in that
 * form. It does nothing now: 0022 makes the key table again with integer keys and computes every
 * record's keys itself, so a store upgraded past both would only do the same work twice.
 * A store that ran it keeps it recorded; no table changes either way.
 */
import type { Migration } from './context.js';

async function up(): Promise<void> {
  // Superseded by 0022-linkage-integer-keys (see above).
}

async function down(): Promise<void> {
  // Nothing to undo in the schema.
}

export const linkageKeysRebuild: Migration = { name: '0021-linkage-keys-rebuild', up, down };
