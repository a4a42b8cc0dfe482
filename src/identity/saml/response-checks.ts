/**
 * What Continuum checks on a SAML Response beyond node-saml (which verifies the signature,
 * InResponseTo against our request ids, NotBefore/NotOnOrAfter with the clock skew, audience):
 * before verification, that the XML is plain and the algorithms strong; after it, reading only
 * the verified assertion, that issuer, recipient and assertion ID are right. One reason per check.
 */
import { promisify } from 'node:util';
import type { Profile } from '@node-saml/passport-saml';
import xmlenc from 'xml-encryption';
import { assertAllowedAlgorithms, parseStrictXml } from './xml-safety.js';

const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const MAX_RESPONSE_BYTES = 512 * 1024;

export interface ExpectedResponse {
  /** Our ACS URL for this state: Destination and Recipient must name it. */
  acsUrl: string;
  /** The state IdP's entity ID: the assertion's Issuer must be it. */
  idpEntityId: string;
  requireEncrypted: boolean;
}

export class SamlResponseRefused extends Error {
  override readonly name = 'SamlResponseRefused';
}

function refuse(reason: string): never {
  throw new SamlResponseRefused(reason);
}

/** Checks on the raw, not yet verified, Response. It decides nothing in its favour. */
export async function preflightSamlResponse(
  samlResponse: unknown,
  expected: ExpectedResponse,
  decryptionKey: string,
): Promise<void> {
  if (typeof samlResponse !== 'string' || samlResponse.length === 0) refuse('no SAMLResponse');
  if (samlResponse.length > (MAX_RESPONSE_BYTES * 4) / 3) refuse('SAMLResponse too large');
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  // DTDs (XXE, entity expansion), comments (NameID truncation), malformed XML: refused.
  const doc = parseStrictXml(xml);
  // SHA-1 or unknown algorithms anywhere: refused before any signature is computed.
  assertAllowedAlgorithms(doc);
  const root = doc.documentElement;
  if (root.namespaceURI !== PROTOCOL || root.localName !== 'Response')
    refuse('not a samlp:Response');
  // SAML bindings 3.5.5.2: the Destination must be the endpoint that received it.
  if (root.getAttribute('Destination') !== expected.acsUrl) refuse('wrong Destination');
  const children = Array.from(root.childNodes).filter((n) => n.nodeType === 1) as Element[];
  const plain = children.filter((c) => c.namespaceURI === ASSERTION && c.localName === 'Assertion');
  const encrypted = children.filter(
    (c) => c.namespaceURI === ASSERTION && c.localName === 'EncryptedAssertion',
  );
  // Exactly one assertion, directly under the Response: a second one is a wrapping attempt.
  if (plain.length + encrypted.length !== 1) refuse('the response must hold exactly one assertion');
  if (expected.requireEncrypted && encrypted.length !== 1)
    refuse('the assertion must be encrypted');
  const [sealed] = encrypted;
  if (sealed) {
    // The signature inside an encrypted assertion gets the same algorithm and XML checks.
    const decrypt = promisify(xmlenc.decrypt).bind(xmlenc) as (
      xml: string,
      o: object,
    ) => Promise<string>;
    let inner: string;
    try {
      inner = await decrypt(sealed.toString(), { key: decryptionKey });
    } catch (err) {
      refuse(`cannot decrypt the assertion: ${(err as Error).message}`);
    }
    assertAllowedAlgorithms(parseStrictXml(inner));
  }
  // Duplicate IDs let a signature reference one element while the reader reads another.
  const ids = new Set<string>();
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    if (!el.hasAttribute('ID')) continue;
    const id = el.getAttribute('ID') ?? '';
    if (ids.has(id)) refuse('duplicate ID attributes');
    ids.add(id);
  }
}

type XmlJs = Record<string, unknown> & { $?: Record<string, string>; _?: string };

function first(value: unknown): XmlJs | undefined {
  return Array.isArray(value) ? (value[0] as XmlJs | undefined) : undefined;
}

function text(value: unknown): string | undefined {
  const node = Array.isArray(value) ? (value[0] as unknown) : value;
  if (typeof node === 'string') return node;
  return (node as XmlJs | undefined)?._;
}

export interface VerifiedAssertion {
  id: string;
  issuer: string;
  /** Until when a replay must be recognised. */
  notOnOrAfter: Date;
}

/** Checks on the assertion node-saml verified (profile.getAssertion() is built from it). */
export function checkVerifiedAssertion(
  profile: Profile,
  expected: ExpectedResponse,
  maxLifetimeMs: number,
): VerifiedAssertion {
  const parsed = profile.getAssertion?.() as { Assertion?: XmlJs } | undefined;
  const assertion = parsed?.Assertion;
  if (!assertion) refuse('no verified assertion');
  const id = assertion.$?.['ID'];
  if (!id) refuse('assertion without ID');
  const issuer = text(assertion['Issuer']);
  // Another state's IdP (or anyone else) may not sign in people for this state.
  if (issuer !== expected.idpEntityId) refuse('assertion issued by another IdP');
  const subject = first(assertion['Subject']);
  const confirmations = (subject?.['SubjectConfirmation'] as XmlJs[] | undefined) ?? [];
  const bearer = confirmations.filter(
    (c) => c.$?.['Method'] === 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  );
  // SAML profiles 4.1.4.2: a bearer confirmation whose Recipient is our ACS URL.
  const data = bearer.map((c) => first(c['SubjectConfirmationData'])?.$ ?? {});
  if (!data.some((d) => d['Recipient'] === expected.acsUrl)) refuse('wrong Recipient');
  const conditions = first(assertion['Conditions'])?.$ ?? {};
  const until = conditions['NotOnOrAfter'] ?? data[0]?.['NotOnOrAfter'];
  const untilMs = until ? Date.parse(until) : NaN;
  // Remembered for as long as the assertion could be accepted again.
  const notOnOrAfter = new Date(Number.isNaN(untilMs) ? Date.now() + maxLifetimeMs : untilMs);
  return { id, issuer, notOnOrAfter };
}
