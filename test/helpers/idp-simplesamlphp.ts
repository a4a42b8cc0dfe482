/**
 * SimpleSAMLphp (Debian package) as a state's SAML IdP on 127.0.0.1, for tests and the demo:
 * its own config folder (SIMPLESAMLPHP_CONFIG_DIR, nothing under /etc changed), served by
 * `php -S` from the package's www folder, with test users and the SP it trusts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { freePort, stopProcess, waitUntilReady } from './idp-process.js';

export const SIMPLESAMLPHP_WWW = '/usr/share/simplesamlphp/www';

export interface SamlTestUser {
  username: string;
  password: string;
  attributes: Record<string, string[]>;
}

export const samlDemoUsers: SamlTestUser[] = [
  {
    username: 'ana',
    password: 'ana-pass',
    attributes: {
      uid: ['ana'],
      mail: ['ana@tx.example.org'],
      givenName: ['Ana'],
      sn: ['Ruiz'],
      memberOf: ['msix-primary'],
      district: ['0612345'],
    },
  },
  {
    username: 'uma',
    password: 'uma-pass',
    attributes: {
      uid: ['uma'],
      mail: ['uma@tx.example.org'],
      givenName: ['Uma'],
      sn: ['Admin'],
      memberOf: ['msix-user-admin'],
    },
  },
  {
    username: 'pat',
    password: 'pat-pass',
    attributes: { uid: ['pat'], mail: ['pat@tx.example.org'], givenName: ['Pat'], sn: ['New'] },
  },
  {
    username: 'dana',
    password: 'dana-pass',
    attributes: {
      uid: ['dana'],
      mail: ['dana@tx.example.org'],
      givenName: ['Dana'],
      sn: ['Data'],
      memberOf: ['msix-data-admin'],
    },
  },
  {
    username: 'fay',
    password: 'fay-pass',
    attributes: {
      uid: ['fay'],
      mail: ['fay@ed.example.gov'],
      givenName: ['Fay'],
      sn: ['Analyst'],
      memberOf: ['msix-federal-analyst'],
    },
  },
];

export interface SimpleSamlPhpOptions {
  /** The gateway's SP for this state. */
  sp: { entityId: string; acsUrl: string; sloUrl: string; certPem: string };
  encryptAssertions?: boolean;
  port?: number;
  users?: SamlTestUser[];
  /** Keep config and keys here (the demo); a temp folder otherwise, removed at stop. */
  dir?: string;
}

export interface SimpleSamlPhp {
  baseUrl: string;
  metadataUrl: string;
  stop(): Promise<void>;
}

const php = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(php).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `[${Object.entries(value)
      .map(([k, v]) => `${php(k)} => ${php(v)}`)
      .join(', ')}]`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
};

export function simpleSamlPhpInstalled(): boolean {
  return existsSync(SIMPLESAMLPHP_WWW) && existsSync('/usr/bin/php');
}

export async function startSimpleSamlPhp(opts: SimpleSamlPhpOptions): Promise<SimpleSamlPhp> {
  const port = opts.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'continuum-ssp-'));
  for (const sub of ['config', 'metadata', 'cert', 'data', 'tmp', 'log', 'sessions']) {
    mkdirSync(path.join(dir, sub), { recursive: true });
  }
  if (!existsSync(path.join(dir, 'cert', 'idp.key'))) {
    const pems = await generate([{ name: 'commonName', value: 'SimpleSAMLphp test IdP' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    writeFileSync(path.join(dir, 'cert', 'idp.key'), pems.private);
    writeFileSync(path.join(dir, 'cert', 'idp.crt'), pems.cert);
  }
  const at = (sub: string) => `${path.join(dir, sub)}/`;
  // Every server on 127.0.0.1 shares one cookie jar whatever the port: names carry the port.
  writeFileSync(
    path.join(dir, 'config', 'config.php'),
    `<?php
require '/etc/simplesamlphp/config.php';
$overrides = ${php({
      baseurlpath: `${baseUrl}/`,
      secretsalt: 'continuum-test-salt-not-secret',
      'auth.adminpassword': 'continuum-test-admin',
      technicalcontact_email: 'test@example.org',
      timezone: 'UTC',
      'enable.saml20-idp': true,
      'module.enable': { exampleauth: true, core: true, saml: true },
      certdir: at('cert'),
      metadatadir: at('metadata'),
      datadir: at('data'),
      tempdir: at('tmp'),
      loggingdir: at('log'),
      'logging.handler': 'file',
      'logging.logfile': 'simplesamlphp.log',
      'store.type': 'phpsession',
      'session.phpsession.savepath': at('sessions'),
      'session.cookie.secure': false,
      'session.cookie.samesite': 'Lax',
      'session.cookie.name': `SimpleSAMLSessionID-${port}`,
      'session.phpsession.cookiename': `SimpleSAML-${port}`,
      'session.authtoken.cookiename': `SimpleSAMLAuthToken-${port}`,
      'language.cookie.name': `ssp-language-${port}`,
      'language.cookie.secure': false,
      'admin.checkforupdates': false,
      production: false,
      // ReturnTo targets it may redirect to: its SP (host with port).
      'trusted.url.domains': ['127.0.0.1', new URL(opts.sp.acsUrl).host],
    })};
$config = array_merge($config, $overrides);
$config['authproc.idp'] = [];
`,
  );
  const users = Object.fromEntries(
    (opts.users ?? samlDemoUsers).map((u) => [`${u.username}:${u.password}`, u.attributes]),
  );
  writeFileSync(
    path.join(dir, 'config', 'authsources.php'),
    `<?php\n$config = ${php({
      admin: ['core:AdminPassword'],
      'example-userpass': { 0: 'exampleauth:UserPass', ...users },
    })};\n`,
  );
  writeFileSync(
    path.join(dir, 'metadata', 'saml20-idp-hosted.php'),
    `<?php\n$metadata['__DYNAMIC:1__'] = ${php({
      host: '__DEFAULT__',
      privatekey: 'idp.key',
      certificate: 'idp.crt',
      auth: 'example-userpass',
      'signature.algorithm': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      'userid.attribute': 'uid',
    })};\n`,
  );
  const certData = opts.sp.certPem.replace(/-----[^-]+-----|\s+/g, '');
  writeFileSync(
    path.join(dir, 'metadata', 'saml20-sp-remote.php'),
    `<?php\n$metadata[${php(opts.sp.entityId)}] = ${php({
      AssertionConsumerService: opts.sp.acsUrl,
      SingleLogoutService: opts.sp.sloUrl,
      certData,
      'validate.authnrequest': true,
      'validate.logout': true,
      'sign.logout': true,
      'redirect.sign': true,
      'assertion.encryption': opts.encryptAssertions ?? false,
      'signature.algorithm': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      NameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
    })};\n`,
  );
  // The harness's own records of the output, for errors.
  let output = '';
  // `php` itself, not a shell: its pid is the server's (stopping it stops the server).
  const child: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', SIMPLESAMLPHP_WWW], {
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: path.join(dir, 'config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const metadataUrl = `${baseUrl}/saml2/idp/metadata.php`;
  try {
    await waitUntilReady(metadataUrl, child, () => output);
  } catch (err) {
    await stopProcess(child);
    throw err;
  }
  return {
    baseUrl,
    metadataUrl,
    async stop() {
      await stopProcess(child);
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
