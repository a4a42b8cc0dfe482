/**
 * XML through libxml2-wasm: namespaces, XPath selectors, validation against the state's XSD.
 *
 * Limits, by design:
 * - XSD validation needs the whole document, so the file is read into memory (never more than
 *   `input.maxBytes`, default 64 MiB; a larger file is refused before it is parsed).
 * - A document with a DTD is refused before parsing: no internal subset, no entity, so no entity
 *   expansion (billion laughs) and no external entity (XXE). The parser also runs with network
 *   access and external entity loading disabled (XML_PARSE_NONET, XML_PARSE_NO_XXE) and without
 *   entity substitution, in case a DTD is ever missed by the byte scan.
 * - A document that fails its XSD is refused whole, with the XSD error and its line.
 */
import {
  ParseOption,
  XmlDocument,
  XmlElement,
  XmlValidateError,
  XmlXPath,
  XsdValidator,
  type XmlNode,
  type XmlParseError,
} from 'libxml2-wasm';
import { z } from 'zod';
import { positiveInt, strict } from '../definition.js';
import { FileRefusedError, MappingValueError } from '../errors.js';
import { byteChunks, type Input } from '../input/decode.js';
import type { FormatAdapter, Reader, SourceRow, Value } from '../types.js';

export const xmlInput = strict({
  /** Prefixes used in the XPaths, e.g. { fl: 'urn:example:fl:migrant:v1' }. */
  namespaces: z.record(z.string(), z.string()).default({}),
  /** XPath of the record elements (one child each), from the document root. */
  record: z.string().min(1),
  /** The state's XSD, relative to the mapping file. */
  schema: z.string().min(1).optional(),
  maxBytes: positiveInt.default(64 * 1024 * 1024),
});

export type XmlInput = z.infer<typeof xmlInput>;

// Never: NOENT (entity substitution), DTDLOAD, DTDATTR, DTDVALID, XINCLUDE.
const SAFE_PARSE =
  ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_BIG_LINES;

/** Parses and compiles an XSD; answers why when it cannot. */
export function compileXsd(bytes: Uint8Array): XsdValidator | string {
  let doc: XmlDocument | undefined;
  try {
    doc = XmlDocument.fromBuffer(bytes, { option: SAFE_PARSE });
    return XsdValidator.fromDoc(doc);
  } catch (e) {
    const detail = (e as XmlParseError).details?.[0];
    return `is not a usable XSD: ${(detail?.message ?? (e as Error).message).trim()}${detail ? ` (line ${detail.line})` : ''}`;
  } finally {
    doc?.dispose();
  }
}

/** `/MigrantStudentExtract/Student[3]/Enrollments/Enrollment[2]`: where a node is, for a person. */
export function elementPath(node: XmlNode): string {
  const parts: string[] = [];
  for (let n: XmlNode | null = node; n instanceof XmlElement; n = n.parent) {
    let index = 1;
    for (let p = n.prev; p; p = p.prev) if (p instanceof XmlElement && p.name === n.name) index++;
    parts.push(n.parent instanceof XmlElement ? `${n.name}[${index}]` : n.name);
  }
  return `/${parts.reverse().join('/')}`;
}

const DTD_MARKERS = ['<!DOCTYPE', '<!ENTITY'].flatMap((m) => [
  Buffer.from(m, 'utf8'),
  Buffer.from(m, 'utf16le'),
  Buffer.from(m, 'utf16le').swap16(),
]);

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}

export class XmlAdapter implements FormatAdapter<XmlElement> {
  readonly shape = 'tree';
  readonly kinds: readonly string[] = [];
  private readonly probe = XmlDocument.fromString('<probe/>');

  constructor(
    private readonly input: XmlInput,
    private readonly validator: XsdValidator | undefined,
  ) {}

  /** Why the record XPath cannot be used, or undefined; checked when the mapping loads. */
  checkRecord(): string | undefined {
    const xpath = this.compile(this.input.record);
    if (typeof xpath === 'string') return xpath;
    xpath.dispose();
    return undefined;
  }

  private compile(ref: string): XmlXPath | string {
    try {
      const xpath = XmlXPath.compile(ref, this.input.namespaces);
      // Evaluated once against an empty element so that an undeclared prefix fails at load time.
      this.probe.root.eval(xpath);
      return xpath;
    } catch (e) {
      return `is not a usable XPath: ${(e as Error).message}`;
    }
  }

  source(ref: string): Reader<XmlElement> | string {
    const xpath = this.compile(ref);
    if (typeof xpath === 'string') return xpath;
    return {
      read: (node): Value => {
        const result = node.eval(xpath);
        if (!Array.isArray(result))
          return typeof result === 'string' && result === '' ? undefined : result;
        if (result.length > 1)
          throw new MappingValueError(`matches ${result.length} nodes; a field takes one value`);
        const found = result[0];
        return found === undefined ? undefined : found.content;
      },
      label: (node) => `${elementPath(node)}/${ref}`,
    };
  }

  select(ref: string): ((scope: XmlElement) => XmlElement[]) | string {
    const xpath = this.compile(ref);
    if (typeof xpath === 'string') return xpath;
    return (node) => {
      const result = node.eval(xpath);
      if (!Array.isArray(result)) throw new MappingValueError(`${ref} does not select elements`);
      return result.filter((n): n is XmlElement => n instanceof XmlElement);
    };
  }

  rowOf(scope: XmlElement): number {
    return scope.line;
  }

  async *rows(input: Input): AsyncGenerator<SourceRow<XmlElement>> {
    const chunks: Buffer[] = [];
    for await (const chunk of byteChunks(input, this.input.maxBytes)) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    if (bytes.length === 0) throw new FileRefusedError('is empty: it is not an XML document');
    // Refused before parsing, so that no entity is ever declared, expanded or fetched.
    for (const marker of DTD_MARKERS) {
      const at = bytes.indexOf(marker);
      if (at >= 0) {
        throw new FileRefusedError(
          'has a DTD (<!DOCTYPE or <!ENTITY), which is not accepted',
          lineAt(bytes, at),
        );
      }
    }
    let doc: XmlDocument;
    try {
      doc = XmlDocument.fromBuffer(bytes, { option: SAFE_PARSE });
    } catch (e) {
      const detail = (e as XmlParseError).details?.[0];
      const message = (detail?.message ?? (e as Error).message).trim();
      throw new FileRefusedError(`is not well-formed XML: ${message}`, detail?.line);
    }
    try {
      if (doc.dtd !== null) throw new FileRefusedError('has a DTD, which is not accepted');
      if (this.validator) {
        try {
          this.validator.validate(doc);
        } catch (e) {
          if (!(e instanceof XmlValidateError)) throw e;
          const first = e.details[0];
          const messages = e.details.slice(0, 3).map((d) => `line ${d.line}: ${d.message.trim()}`);
          const more = e.details.length > 3 ? ` (and ${e.details.length - 3} more)` : '';
          throw new FileRefusedError(
            `does not validate against its XSD: ${messages.join('; ')}${more}`,
            first?.line,
          );
        }
      }
      const records = doc.find(this.input.record, this.input.namespaces);
      for (const node of records) {
        if (node instanceof XmlElement) yield { row: node.line, scope: node };
      }
    } finally {
      doc.dispose();
    }
  }
}
