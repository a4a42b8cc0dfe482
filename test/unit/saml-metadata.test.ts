// IdP metadata: signed metadata is checked with the configured certificate, then only the signed
// bytes are read; unsigned, wrongly signed or modified metadata is refused when a cert is set.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MetadataError, parseIdpMetadata } from '../../src/identity/saml/metadata.js';

const read = (name: string) =>
  readFileSync(new URL(`../fixtures/saml/${name}`, import.meta.url), 'utf8');
const signerCert = read('metadata-signer.crt');

describe('SAML IdP metadata', () => {
  it('reads entity ID, redirect endpoints and the signing certificate', () => {
    const md = parseIdpMetadata(read('idp-ca.metadata.xml'));
    assert.equal(md.entityId, 'https://idp.ca.test/saml2/idp/metadata.php');
    assert.equal(md.ssoRedirectUrl, 'http://127.0.0.1:9/ca/sso');
    assert.equal(md.sloRedirectUrl, 'http://127.0.0.1:9/ca/slo');
    assert.match(md.signingCerts[0]!, /^-----BEGIN CERTIFICATE-----\n/);
  });

  it('accepts metadata signed by the configured certificate', () => {
    const md = parseIdpMetadata(read('metadata.signed.xml'), signerCert);
    assert.equal(md.ssoRedirectUrl, 'http://127.0.0.1:9/ca/sso');
  });

  const refused: Array<[string, string | undefined, RegExp]> = [
    ['unsigned metadata when a signing cert is set', 'idp-ca.metadata.xml', /must be signed/],
    ['metadata signed by another key', 'metadata.signed-by-attacker.xml', /not valid/],
    ['metadata modified after signing', 'metadata.modified-after-signing.xml', /not valid/],
  ];
  for (const [what, file, reason] of refused) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => parseIdpMetadata(read(file!), signerCert),
        (err: Error) => {
          assert.ok(err instanceof MetadataError);
          assert.match(err.message, reason);
          return true;
        },
      );
    });
  }

  it('refuses signed metadata it has no certificate to check with', () => {
    assert.throws(() => parseIdpMetadata(read('metadata.signed.xml')), /metadataSigningCertFile/);
  });

  it('refuses a DTD in metadata', () => {
    const xml = read('idp-ca.metadata.xml').replace(
      '<?xml version="1.0"?>',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    );
    assert.throws(() => parseIdpMetadata(xml), /DTDs/);
  });
});
