/**
 * `npm run demo:idps`: the demo states' identity providers for `npm start`, on 127.0.0.1 —
 * SimpleSAMLphp for Texas (SAML) on port 8081 and LemonLDAP::NG for Washington (OpenID
 * Connect) on port 8082 — until Ctrl-C. Their keys and settings are kept under data/demo-idps/.
 * Needs the Debian packages that .ci/run installs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDevKeyPair } from '../../certs/make-dev-certs.js';
import { lemonLdapInstalled, startLemonLdap } from './idp-lemonldap.js';
import { samlDemoUsers, simpleSamlPhpInstalled, startSimpleSamlPhp } from './idp-simplesamlphp.js';

const gateway = process.env['CONTINUUM_SERVER__PUBLIC_URL'] ?? 'http://127.0.0.1:8080';
const dataDir = path.resolve('data', 'demo-idps');
const stops: Array<() => Promise<void>> = [];

await ensureDevKeyPair();
if (simpleSamlPhpInstalled()) {
  const sp = `${gateway}/auth/saml/TX`;
  const ssp = await startSimpleSamlPhp({
    port: 8081,
    dir: path.join(dataDir, 'simplesamlphp'),
    sp: {
      entityId: `${sp}/metadata`,
      acsUrl: `${sp}/acs`,
      sloUrl: `${sp}/slo`,
      certPem: readFileSync('certs/dev-signing.crt', 'utf8'),
    },
    encryptAssertions: true,
  });
  stops.push(() => ssp.stop());
  const users = samlDemoUsers.map((u) => `${u.username}/${u.password}`).join(', ');
  console.log(`Texas (SAML): SimpleSAMLphp at ${ssp.baseUrl}  users: ${users}`);
} else {
  console.log('SimpleSAMLphp is not installed (see .ci/run): Texas sign-in unavailable');
}
if (lemonLdapInstalled()) {
  const llng = await startLemonLdap({
    port: 8082,
    dir: path.join(dataDir, 'lemonldap-ng'),
    rp: {
      clientId: 'continuum-demo',
      redirectUri: `${gateway}/auth/oidc/WA/callback`,
      postLogoutRedirectUri: `${gateway}/auth/login?signedOut=1`,
    },
  });
  stops.push(() => llng.stop());
  console.log(
    `Washington (OIDC): LemonLDAP::NG at ${llng.issuer}  users: rtyler/rtyler (primary user), dwho/dwho (user administrator), msmith/msmith`,
  );
} else {
  console.log('LemonLDAP::NG is not installed (see .ci/run): Washington sign-in unavailable');
}
console.log(`Now run \`npm start\` and open ${gateway}/auth/login. Ctrl-C stops the IdPs.`);

const stop = () => {
  Promise.all(stops.map((s) => s())).then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
