/**
 * LemonLDAP::NG (Debian package) as a state's OpenID provider on 127.0.0.1, for tests and the
 * demo: its portal PSGI app under `plackup`, with a configuration of its own (one JSON file made
 * from the package's demo one; LLNG_DEFAULTCONFFILE points at our ini) and its demo users
 * (dwho/dwho, rtyler/rtyler, msmith/msmith). Its ID tokens carry `aud` as an array and its
 * discovery document advertises `none`: the gateway must cope with the first, refuse the second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, stopProcess, waitUntilReady } from './idp-process.js';

export const LLNG_PSGI = '/usr/share/lemonldap-ng/portal/htdocs/index.psgi';
const DEMO_CONF = '/var/lib/lemonldap-ng/conf/lmConf-1.json';

export function lemonLdapInstalled(): boolean {
  return existsSync(LLNG_PSGI) && existsSync(DEMO_CONF) && existsSync('/usr/bin/plackup');
}

export interface LemonLdapOptions {
  /** The gateway's RP for this state. */
  rp: { clientId: string; redirectUri: string; postLogoutRedirectUri: string };
  /** Absent: a public client (PKCE only). */
  clientSecret?: string;
  port?: number;
  dir?: string;
}

export interface LemonLdap {
  issuer: string;
  stop(): Promise<void>;
}

export async function startLemonLdap(opts: LemonLdapOptions): Promise<LemonLdap> {
  const port = opts.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'continuum-llng-'));
  for (const sub of ['conf', 'cache', 'sessions/lock', 'psessions/lock', 'notifications']) {
    mkdirSync(path.join(dir, sub), { recursive: true });
  }
  const keyFile = path.join(dir, 'oidc-signing.key');
  if (!existsSync(keyFile)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  }
  const privatePem = readFileSync(keyFile, 'utf8');
  const publicPem = createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();

  const conf = JSON.parse(readFileSync(DEMO_CONF, 'utf8')) as Record<string, unknown>;
  Object.assign(conf, {
    cfgNum: 1,
    portal: `${issuer}/`,
    // LLNG needs a domain; the cookie's Domain is then the IP itself.
    domain: '127.0.0.1',
    // Unique per port: servers on 127.0.0.1 share one cookie jar whatever the port.
    cookieName: `llng${port}`,
    securedCookie: 0,
    // Chromium drops SameSite=None cookies without Secure.
    sameSite: 'Lax',
    https: 0,
    passwordDB: 'Null',
    registerDB: 'Null',
    notification: 0,
    loginHistoryEnabled: 0,
    locationRules: { '127.0.0.1': { default: 'accept' } },
    reloadUrls: {},
    globalStorageOptions: {
      Directory: path.join(dir, 'sessions'),
      LockDirectory: path.join(dir, 'sessions/lock'),
      generateModule: 'Lemonldap::NG::Common::Apache::Session::Generate::SHA256',
    },
    persistentStorageOptions: {
      Directory: path.join(dir, 'psessions'),
      LockDirectory: path.join(dir, 'psessions/lock'),
    },
    localSessionStorageOptions: {
      cache_depth: 3,
      cache_root: path.join(dir, 'cache'),
      default_expires_in: 600,
      directory_umask: '007',
      namespace: 'lemonldap-ng-sessions',
    },
    notificationStorageOptions: { dirName: path.join(dir, 'notifications') },
    samlServiceMetadata: undefined,
    issuerDBOpenIDConnectActivation: 1,
    oidcServiceMetaDataIssuer: issuer,
    oidcServicePrivateKeySig: privatePem,
    oidcServicePublicKeySig: publicPem,
    oidcServiceKeyIdSig: 'continuum-test',
    oidcRPMetaDataOptions: {
      continuum: {
        oidcRPMetaDataOptionsClientID: opts.rp.clientId,
        ...(opts.clientSecret
          ? { oidcRPMetaDataOptionsClientSecret: opts.clientSecret, oidcRPMetaDataOptionsPublic: 0 }
          : { oidcRPMetaDataOptionsPublic: 1 }),
        oidcRPMetaDataOptionsRedirectUris: opts.rp.redirectUri,
        oidcRPMetaDataOptionsPostLogoutRedirectUris: opts.rp.postLogoutRedirectUri,
        oidcRPMetaDataOptionsIDTokenSignAlg: 'RS256',
        oidcRPMetaDataOptionsRequirePKCE: 1,
        oidcRPMetaDataOptionsBypassConsent: 1,
        oidcRPMetaDataOptionsIDTokenExpiration: 300,
        oidcRPMetaDataOptionsAccessTokenExpiration: 300,
      },
    },
    oidcRPMetaDataExportedVars: {
      continuum: { email: 'mail', name: 'cn', groups: 'groups;string;always' },
    },
    oidcRPMetaDataOptionsExtraClaims: { continuum: { groups: 'groups' } },
  });
  writeFileSync(path.join(dir, 'conf', 'lmConf-1.json'), JSON.stringify(conf, null, 2));
  writeFileSync(
    path.join(dir, 'lemonldap-ng.ini'),
    `[all]
logLevel = ${process.env['LLNG_LOG_LEVEL'] ?? 'warn'}
checkTime = 1
[configuration]
type = File
dirName = ${path.join(dir, 'conf')}
localStorage = Cache::FileCache
localStorageOptions = { 'namespace' => 'lemonldap-ng-config', 'default_expires_in' => 600, 'directory_umask' => '007', 'cache_root' => '${path.join(dir, 'cache')}', 'cache_depth' => 3 }
[portal]
staticPrefix = /static
templateDir = /usr/share/lemonldap-ng/portal/templates
languages = en
`,
  );
  let output = '';
  // plackup itself (a perl script, no shell): its pid is the server's.
  const child: ChildProcess = spawn(
    'plackup',
    ['--host', '127.0.0.1', '--port', String(port), LLNG_PSGI],
    {
      env: { ...process.env, LLNG_DEFAULTCONFFILE: path.join(dir, 'lemonldap-ng.ini') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  try {
    await waitUntilReady(`${issuer}/.well-known/openid-configuration`, child, () => output, 60_000);
  } catch (err) {
    await stopProcess(child);
    throw err;
  }
  return {
    issuer,
    async stop() {
      await stopProcess(child);
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
