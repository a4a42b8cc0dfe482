/**
 * A state IdP's SAML metadata (from a file or a URL): entity ID, single sign-on and logout
 * endpoints (HTTP-Redirect binding), and signing certificates. Signed metadata is verified with
 * the configured certificate, and then only the signed bytes are read.
 */
import { readFileSync } from 'node:fs';
import { SignedXml } from 'xml-crypto';
import { assertAllowedAlgorithms, parseStrictXml } from './xml-safety.js';

export interface IdpMetadata {
  entityId: string;
  ssoRedirectUrl: string;
  sloRedirectUrl: string | null;
  /** PEM certificates the IdP signs with. */
  signingCerts: string[];
  /** When the metadata itself says to stop trusting it (validUntil), if it does. */
  validUntil: Date | null;
}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

export class MetadataError extends Error {
  override readonly name = 'MetadataError';
}

function pem(base64: string): string {
  const body = base64.replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function childrenNS(parent: Element, ns: string, local: string): Element[] {
  return Array.from(parent.childNodes).filter(
    (n): n is Element =>
      n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local,
  );
}

/** The signed bytes of the root element, or an error; never the unsigned document. */
function verifiedRoot(xml: string, doc: Document, signingCert: string): string {
  const root = doc.documentElement;
  const signatures = childrenNS(root, DS, 'Signature');
  if (signatures.length !== 1) throw new MetadataError('metadata must carry exactly one signature');
  assertAllowedAlgorithms(doc);
  const sig = new SignedXml({ publicCert: signingCert, getCertFromKeyInfo: () => null });
  sig.loadSignature(signatures[0] as unknown as Node);
  const refs = sig.getReferences();
  const id = root.getAttribute('ID');
  // The signature must cover the root itself (enveloped), not some other element.
  if (refs.length !== 1 || !id || refs[0]?.uri !== `#${id}`) {
    throw new MetadataError('metadata signature must reference the root element');
  }
  let valid: boolean;
  try {
    valid = sig.checkSignature(xml);
  } catch (err) {
    throw new MetadataError(`metadata signature is not valid: ${(err as Error).message}`);
  }
  const signed = sig.getSignedReferences();
  if (!valid || signed.length !== 1) throw new MetadataError('metadata signature is not valid');
  return signed[0] as string;
}

/**
 * `signingCert`: PEM the metadata must be signed with. Given, the metadata must be signed by it;
 * not given, signed metadata is refused (its signature could not be checked) — configure
 * `metadataSigningCertFile`.
 */
export function parseIdpMetadata(xml: string, signingCert?: string): IdpMetadata {
  let doc: Document;
  try {
    doc = parseStrictXml(xml);
  } catch (err) {
    throw new MetadataError((err as Error).message);
  }
  const isSigned = childrenNS(doc.documentElement, DS, 'Signature').length > 0;
  if (signingCert) {
    if (!isSigned)
      throw new MetadataError('metadata must be signed (metadataSigningCertFile is set)');
    doc = parseStrictXml(verifiedRoot(xml, doc, signingCert));
  } else if (isSigned) {
    throw new MetadataError('metadata is signed: set metadataSigningCertFile to check it');
  }
  const root = doc.documentElement;
  if (root.namespaceURI !== MD || root.localName !== 'EntityDescriptor') {
    throw new MetadataError('metadata root must be one md:EntityDescriptor');
  }
  const entityId = root.getAttribute('entityID');
  const [idp] = childrenNS(root, MD, 'IDPSSODescriptor');
  if (!entityId || !idp) throw new MetadataError('metadata has no entityID or IDPSSODescriptor');
  const endpoint = (local: string) =>
    childrenNS(idp, MD, local)
      .find((e) => e.getAttribute('Binding') === REDIRECT)
      ?.getAttribute('Location') ?? null;
  const ssoRedirectUrl = endpoint('SingleSignOnService');
  if (!ssoRedirectUrl) throw new MetadataError('metadata has no HTTP-Redirect SingleSignOnService');
  const signingCerts = childrenNS(idp, MD, 'KeyDescriptor')
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, 'X509Certificate')))
    .map((c) => pem(c.textContent ?? ''));
  if (signingCerts.length === 0) throw new MetadataError('metadata has no signing certificate');
  const validUntilText = root.getAttribute('validUntil');
  const validUntil = validUntilText ? new Date(validUntilText) : null;
  if (validUntil && validUntil.getTime() < Date.now())
    throw new MetadataError('metadata has expired');
  return {
    entityId,
    ssoRedirectUrl,
    sloRedirectUrl: endpoint('SingleLogoutService'),
    signingCerts,
    validUntil,
  };
}

/** Reads metadata from its file or URL (no redirects to other schemes, 1 MB at most). */
export async function loadIdpMetadata(
  source: { metadataFile?: string | undefined; metadataUrl?: string | undefined },
  signingCertFile?: string,
): Promise<IdpMetadata> {
  const cert = signingCertFile ? readFileSync(signingCertFile, 'utf8') : undefined;
  let xml: string;
  if (source.metadataFile) xml = readFileSync(source.metadataFile, 'utf8');
  else if (source.metadataUrl) {
    const res = await fetch(source.metadataUrl, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new MetadataError(`metadata URL answered ${res.status}`);
    xml = await res.text();
    if (xml.length > 1_000_000) throw new MetadataError('metadata is larger than 1 MB');
  } else throw new MetadataError('no metadataFile or metadataUrl');
  return parseIdpMetadata(xml, cert);
}
