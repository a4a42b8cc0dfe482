/**
 * Makes the development key pair and self-signed certificate the gateway signs with (SAML
 * AuthnRequests and SP metadata, its OpenID provider's first key) when they do not exist yet.
 * Private keys are never committed (.gitignore); production keys come from the operator.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';

export const certsDir = path.dirname(fileURLToPath(import.meta.url));

export async function ensureDevKeyPair(dir = certsDir, name = 'dev-signing'): Promise<boolean> {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  if (existsSync(keyFile) && existsSync(certFile)) return false;
  mkdirSync(dir, { recursive: true });
  const pems = await generate([{ name: 'commonName', value: 'Continuum development signing' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 825 * 24 * 3600 * 1000),
    algorithm: 'sha256',
  });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const made = await ensureDevKeyPair();
  process.stdout.write(made ? 'certs: made dev-signing.key and dev-signing.crt\n' : '');
}
