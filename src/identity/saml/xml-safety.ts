/**
 * Checks on SAML XML before any parser or verifier sees it, and the algorithm allow-list.
 * SAML core 2.0 and the bindings forbid nothing here that a conformant IdP sends.
 */
import { DOMParser } from '@xmldom/xmldom';

/** Signature and digest algorithms accepted; SHA-1 is refused (NIST SP 800-131A). */
export const allowedSignatureAlgorithms = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
]);
export const allowedDigestAlgorithms = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

export class UnsafeXml extends Error {
  override readonly name = 'UnsafeXml';
}

/**
 * - No DTD at all: no entity expansion (billion laughs), no external entities (XXE).
 * - No processing instructions beyond the XML declaration.
 * - No comments: a comment inside a signed value splits its text (CVE-2017-11428 family), and
 *   exclusive C14N drops comments, so the signature would not notice.
 */
export function assertPlainXml(xml: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new UnsafeXml('DTDs and entities are not accepted');
  if (/<\?(?!xml\s)[^?]*\?>/i.test(xml.replace(/^\uFEFF?<\?xml[^?]*\?>/, ''))) {
    throw new UnsafeXml('processing instructions are not accepted');
  }
  if (xml.includes('<!--')) throw new UnsafeXml('XML comments are not accepted');
}

/** Every SignatureMethod and DigestMethod anywhere in the document must be on the allow-list. */
export function assertAllowedAlgorithms(doc: Document): void {
  const ds = 'http://www.w3.org/2000/09/xmldsig#';
  for (const el of Array.from(doc.getElementsByTagNameNS(ds, 'SignatureMethod'))) {
    const alg = el.getAttribute('Algorithm') ?? '';
    if (!allowedSignatureAlgorithms.has(alg)) {
      throw new UnsafeXml(`signature algorithm not allowed: ${alg}`);
    }
  }
  // Digests of signature references only; an EncryptedKey's OAEP digest is another matter.
  const references = Array.from(doc.getElementsByTagNameNS(ds, 'Reference'));
  for (const el of references.flatMap((r) =>
    Array.from(r.getElementsByTagNameNS(ds, 'DigestMethod')),
  )) {
    const alg = el.getAttribute('Algorithm') ?? '';
    if (!allowedDigestAlgorithms.has(alg))
      throw new UnsafeXml(`digest algorithm not allowed: ${alg}`);
  }
}

/** Parses after `assertPlainXml`; any parser error or warning refuses the document. */
export function parseStrictXml(xml: string): Document {
  assertPlainXml(xml);
  const problems: string[] = [];
  const record = (msg: string) => problems.push(msg);
  const doc = new DOMParser({
    locator: {},
    errorHandler: { warning: record, error: record, fatalError: record },
  }).parseFromString(xml, 'text/xml');
  if (problems.length > 0 || !doc.documentElement) {
    throw new UnsafeXml(`malformed XML: ${problems[0] ?? 'no root element'}`);
  }
  return doc as unknown as Document;
}
