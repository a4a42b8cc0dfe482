/**
 * Test sign-ins without an IdP, for route tests: an account row and a session row written to the
 * store, and the cookie express-session would have set (same secret, same signature scheme).
 * Sign-in itself is tested through real IdPs and real SAML/OIDC crypto elsewhere.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Config } from '../../src/config/index.js';
import { loadConfig } from '../../src/config/index.js';
import type { Role } from '../../src/identity/roles.js';
import { sessionSecret } from '../../src/identity/session.js';
import type { Store } from '../../src/store/index.js';
import {
  closeStore,
  createSubmission,
  initStore,
  migrate,
  saveStudentDocuments,
  upsertStates,
} from '../../src/store/index.js';
import {
  createAccount,
  recordAccessGrants,
  type StoredAccount,
} from '../../src/store/repositories/accounts.js';
import { writeWebSession } from '../../src/store/repositories/web-sessions.js';
import { exampleExchangeDocument } from '../../src/exchange/example-document.js';

export const silentLogger = pino({ level: 'silent' });

export interface IdentityTestStore {
  config: Config;
  store: Store;
  close(): Promise<void>;
}

/** A migrated SQLite store in a temp folder, with the configured states; env adds settings. */
export async function identityTestStore(
  env: Record<string, string> = {},
  configDir = 'config',
): Promise<IdentityTestStore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'continuum-identity-'));
  const config = loadConfig({
    configDir,
    env: { NODE_ENV: 'test', DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, ...env },
  });
  const store = await initStore({ url: config.database.url });
  await migrate(store.sequelize);
  await upsertStates(
    store,
    config.states.map((s) => ({ code: s.code, name: s.name })),
  );
  return {
    config,
    store,
    async close() {
      await closeStore(store);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** express-session's cookie value: `s:` + id + `.` + HMAC-SHA256 (cookie-signature). */
export function sessionCookie(config: Config, sid: string): string {
  const mac = createHmac('sha256', sessionSecret(config))
    .update(sid)
    .digest('base64')
    .replace(/=+$/, '');
  return `${config.identity.session.cookieName}=${encodeURIComponent(`s:${sid}.${mac}`)}`;
}

export interface SignedIn {
  account: StoredAccount;
  cookie: string;
  csrfToken: string;
}

export async function signedInAs(
  t: IdentityTestStore,
  opts: { state: string; roles: Role[]; district?: string; status?: 'active' | 'pending' },
): Promise<SignedIn> {
  const account = await createAccount(t.store, {
    stateCode: opts.state,
    idpSubject: `test-${randomBytes(6).toString('hex')}`,
    status: opts.status ?? 'active',
    email: 'someone@example.org',
    firstName: 'Test',
    lastName: opts.roles.join('+') || 'none',
    district: opts.district ?? null,
    idpRoles: [],
    grantedRoles: opts.roles,
  });
  await recordAccessGrants(t.store, {
    accountId: account.id,
    roles: opts.roles,
    source: 'administrator',
    by: 'test',
  });
  const sid = randomBytes(24).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const maxAge = t.config.identity.session.maxAgeMinutes * 60_000;
  const expires = new Date(Date.now() + maxAge);
  await writeWebSession(t.store, sid, {
    accountId: account.id,
    expiresAt: expires,
    data: JSON.stringify({
      cookie: { originalMaxAge: maxAge, expires, httpOnly: true, path: '/', sameSite: 'lax' },
      accountId: account.id,
      csrfToken,
    }),
  });
  return { account, cookie: sessionCookie(t.config, sid), csrfToken };
}

/** One stored student record of `state`; returns its id. */
export async function storedStudentRecord(t: IdentityTestStore, state: string): Promise<number> {
  const submission = await createSubmission(t.store, {
    stateCode: state,
    fileName: 'records.csv',
    fileSha256: randomBytes(32).toString('hex'),
  });
  const stateStudentId = randomBytes(5).toString('hex');
  const document = structuredClone(exampleExchangeDocument);
  document.student.stateStudentId = stateStudentId;
  const ids = await t.store.sequelize.transaction((tx) =>
    saveStudentDocuments(t.store, tx, submission, [{ row: 2, document }]),
  );
  return ids.get(stateStudentId)!;
}
