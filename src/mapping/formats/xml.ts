/**
 * XML through libxml2-wasm: namespaces, XPath selectors, validation against the state's XSD.
 * Common XPaths are answered in JavaScript from a copy of each record's elements (xml-path.ts),
 * read from the document's text once libxml2 has parsed and validated it (xml-scan.ts), or copied
 * out of libxml2 where the scanner does not apply; the rest by libxml2.
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
import { FileRefusedError, MappingValueError } from '../errors.js';
import { byteChunks, type Input } from '../input/decode.js';
import type { FormatAdapter, Reader, SourceRow, Value } from '../types.js';
import type { XmlInput } from './xml-input.js';
import { compileSimplePath, elementOf, pathOf, treeOf, valueOf, type XmlTree } from './xml-path.js';
import { documentText, recordSteps, scanRecords } from './xml-scan.js';

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
/** Where the `!` byte is in each marker. */
const BANG = DTD_MARKERS.map((m) => m.indexOf(0x21));

/**
 * Where the first DTD marker of the list that occurs at all first occurs, or -1: the answer of
 * an `indexOf` per marker, in one pass over the `!` bytes (every marker has one) instead of six.
 */
export function dtdMarkerAt(bytes: Buffer): number {
  const first = DTD_MARKERS.map(() => -1);
  let left = DTD_MARKERS.length;
  for (let i = bytes.indexOf(0x21); i >= 0 && left > 0; i = bytes.indexOf(0x21, i + 1)) {
    for (let k = 0; k < DTD_MARKERS.length; k++) {
      const marker = DTD_MARKERS[k] as Buffer;
      const at = i - (BANG[k] as number);
      if (first[k] !== -1 || at < 0 || at + marker.length > bytes.length) continue;
      if (bytes.compare(marker, 0, marker.length, at, at + marker.length) === 0) {
        first[k] = at;
        left--;
      }
    }
  }
  return first.find((at) => at >= 0) ?? -1;
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}

/**
 * The path of each record, in document order, in linear time: from the record before it under the
 * same parent, the same-named siblings between the two are counted (elementPath counts them all).
 */
function recordPaths(): (node: XmlElement) => string {
  let previous: { node: XmlElement; index: number; parentPath: string } | undefined;
  return (node) => {
    const parent = node.parent;
    let index: number | undefined;
    if (previous && parent && previous.node.parent?.isSameNode(parent)) {
      let count = previous.index;
      for (let n = previous.node.next; n; n = n.next) {
        if (n instanceof XmlElement && n.name === node.name) count++;
        if (n.isSameNode(node)) {
          index = count;
          break;
        }
      }
    }
    let parentPath = previous?.parentPath ?? '';
    if (index === undefined) {
      parentPath = parent ? elementPath(parent) : '';
      index = 1;
      for (let p = node.prev; p; p = p.prev)
        if (p instanceof XmlElement && p.name === node.name) index++;
    }
    previous = { node, index, parentPath };
    return `${parentPath}/${node.name}[${index}]`;
  };
}

export class XmlAdapter implements FormatAdapter<XmlTree> {
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

  source(ref: string): Reader<XmlTree> | string {
    const label = (node: XmlTree) => `${pathOf(node)}/${ref}`;
    const many = (n: number) =>
      new MappingValueError(`matches ${n} nodes; a field takes one value`);
    const simple = compileSimplePath(ref, this.input.namespaces);
    if (typeof simple === 'string') return `is not a usable XPath: ${simple}`;
    if (simple) return { read: (node) => valueOf(simple, node, many), label };
    const xpath = this.compile(ref);
    if (typeof xpath === 'string') return xpath;
    return {
      read: (node): Value => {
        const result = elementOf(node).eval(xpath);
        if (!Array.isArray(result)) {
          return typeof result === 'string' && result === '' ? undefined : result;
        }
        if (result.length > 1) throw many(result.length);
        return result[0]?.content;
      },
      label,
    };
  }

  select(ref: string): ((scope: XmlTree) => XmlTree[]) | string {
    const simple = compileSimplePath(ref, this.input.namespaces);
    if (typeof simple === 'string') return `is not a usable XPath: ${simple}`;
    if (simple?.attribute !== undefined) return `${ref} selects attributes, not elements`;
    if (simple) return (node) => simple.select(node);
    const xpath = this.compile(ref);
    if (typeof xpath === 'string') return xpath;
    return (node) => {
      const result = elementOf(node).eval(xpath);
      if (!Array.isArray(result)) throw new MappingValueError(`${ref} does not select elements`);
      return result
        .filter((n): n is XmlElement => n instanceof XmlElement)
        .map((n) => treeOf(n, elementPath(n)));
    };
  }

  rowOf(scope: XmlTree): number {
    return elementOf(scope).line;
  }

  async *rows(input: Input): AsyncGenerator<SourceRow<XmlTree>> {
    const chunks: Buffer[] = [];
    for await (const chunk of byteChunks(input, this.input.maxBytes)) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    if (bytes.length === 0) throw new FileRefusedError('is empty: it is not an XML document');
    // Refused before parsing, so that no entity is ever declared, expanded or fetched.
    const at = dtdMarkerAt(bytes);
    if (at >= 0) {
      throw new FileRefusedError(
        'has a DTD (<!DOCTYPE or <!ENTITY), which is not accepted',
        lineAt(bytes, at),
      );
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
      // Each record's elements are copied once, so that its fields are read in JavaScript: from
      // the text where the scanner reads it (xml-scan.ts), otherwise from libxml2.
      const steps = recordSteps(this.input.record, this.input.namespaces);
      const text = steps && documentText(bytes);
      const scanned = steps && text !== undefined ? scanRecords(text, steps) : undefined;
      const paths = recordPaths();
      for (const node of records) {
        if (!(node instanceof XmlElement)) continue;
        const copy = scanned?.next().value;
        if (!copy || copy.local !== node.name || copy.ns !== node.namespaceUri) {
          if (scanned) throw new Error(`the XML text and libxml2 differ at line ${node.line}`);
          yield { row: node.line, scope: treeOf(node, paths(node)) };
          continue;
        }
        copy.el = node;
        yield { row: node.line, scope: copy };
      }
      if (scanned && !scanned.next().done) throw new Error('the XML text has more records');
    } finally {
      doc.dispose();
    }
  }
}
