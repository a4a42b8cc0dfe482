/**
 * The record elements read from the document's text, once libxml2 has parsed it and checked it
 * against its XSD (xml.ts). Copying each record's elements out of libxml2 costs several
 * WebAssembly calls per element; here the text is walked once in JavaScript instead. Because the
 * document is already known to be well-formed, without a DTD (so with no entities but the five
 * predefined ones) and valid, the scanner only has to find tags, not to check them.
 *
 * What it gives is what libxml2 gives: element local names and namespace URIs (from the
 * `xmlns` declarations in scope), attributes by `{namespace}name` with their values normalized
 * (line ends and whitespace to spaces, references decoded), and an element's string value (all
 * its text and CDATA, no comments or processing instructions, line ends as LF, references
 * decoded), read when a field asks. Line numbers and anything else are left to libxml2: the
 * libxml2 element of a copied node is found when first needed (xml-path.ts, elementOf).
 *
 * Only record XPaths of plain steps (`/fl:Extract/fl:Student`, `*` allowed) and documents in
 * UTF-8 are read here; xml.ts copies any other from libxml2 as before.
 */
import type { XmlTree } from './xml-path.js';

/** An element of a record, empty. */
export function newTree(local: string, ns: string, parent: XmlTree | undefined): XmlTree {
  return {
    el: undefined,
    local,
    ns,
    children: [],
    parent,
    path: undefined,
    attrs: undefined,
    text: undefined,
    start: 0,
    end: 0,
  };
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const NAME = /^(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*|\*)$/;

interface RecordStep {
  /** undefined: any namespace (`*`). */
  ns: string | undefined;
  /** '*': any name. */
  local: string;
}

/** The steps of `/p:A/p:B` when the record XPath is only plain steps; otherwise undefined. */
export function recordSteps(
  xpath: string,
  namespaces: Readonly<Record<string, string>>,
): RecordStep[] | undefined {
  if (!xpath.startsWith('/') || xpath.startsWith('//')) return undefined;
  const steps: RecordStep[] = [];
  for (const part of xpath.slice(1).split('/')) {
    const m = NAME.exec(part);
    if (!m) return undefined;
    const local = m[2] ?? '';
    if (m[1] === undefined) steps.push({ ns: local === '*' ? undefined : '', local });
    else {
      const ns = namespaces[m[1]];
      if (ns === undefined) return undefined;
      steps.push({ ns, local });
    }
  }
  return steps;
}

/**
 * The document as text when it is UTF-8 (no declaration, or one that says UTF-8), otherwise
 * undefined. libxml2 has already refused any byte that is not UTF-8 in such a document.
 */
export function documentText(bytes: Buffer): string | undefined {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] !== 0x3c || bytes[1] === 0) return undefined; // UTF-16, UCS-4, EBCDIC
  const head = bytes.subarray(start, start + 200).toString('latin1');
  if (head.startsWith('<?xml')) {
    const end = head.indexOf('?>');
    if (end < 0) return undefined; // a declaration this long is left to libxml2
    const declaration = head.slice(0, end);
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) return undefined;
  }
  return bytes.toString('utf8', start);
}

const REFERENCE = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (_, hex?: string, dec?: string, name?: string) =>
    name !== undefined
      ? (NAMED[name] ?? '')
      : String.fromCodePoint(parseInt(hex ?? dec ?? '', hex ? 16 : 10)),
  );
}

/** Character data: line ends (CRLF, CR) as LF, then references decoded. */
function characters(text: string): string {
  return decode(text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);
}

/** An attribute value as XML normalizes it: each line end, tab or newline one space. */
function attributeValue(raw: string): string {
  return decode(/[\t\n\r]/.test(raw) ? raw.replace(/\r\n?|[\t\n]/g, ' ') : raw);
}

/** Where the tag that starts at `lt` ends (its `>`), stepping over quoted attribute values. */
function tagEnd(text: string, lt: number): number {
  for (let i = lt + 1; ; i++) {
    const c = text.charCodeAt(i);
    if (c === 62) return i;
    if (c === 34 || c === 39) i = text.indexOf(c === 34 ? '"' : "'", i + 1);
    if (Number.isNaN(c) || i < 0) throw new Error('XML text ends inside a tag');
  }
}

/** The string value of an element whose content is `raw`: its text and CDATA, in order. */
export function stringValue(raw: string): string {
  if (!raw.includes('<')) return characters(raw);
  let out = '';
  let i = 0;
  for (;;) {
    const lt = raw.indexOf('<', i);
    out += characters(raw.slice(i, lt < 0 ? raw.length : lt));
    if (lt < 0) return out;
    if (raw.startsWith('<![CDATA[', lt)) {
      const close = raw.indexOf(']]>', lt + 9);
      const data = raw.slice(lt + 9, close);
      out += data.includes('\r') ? data.replace(/\r\n?/g, '\n') : data;
      i = close + 3;
    } else if (raw.startsWith('<!--', lt)) i = raw.indexOf('-->', lt + 4) + 3;
    else if (raw.startsWith('<?', lt)) i = raw.indexOf('?>', lt + 2) + 2;
    else i = tagEnd(raw, lt) + 1;
  }
}

type Scope = ReadonlyMap<string, string>;
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** One start tag, read: its name, its attributes as written, where it ends. */
interface StartTag {
  prefix: string;
  local: string;
  /** Name and value as written, in pairs. */
  attributes: string[];
  end: number;
  empty: boolean;
}

function startTag(text: string, lt: number): StartTag {
  let j = lt + 1;
  while (!isSpace(text.charCodeAt(j)) && text.charCodeAt(j) !== 47 && text.charCodeAt(j) !== 62)
    j++;
  const qname = text.slice(lt + 1, j);
  const colon = qname.indexOf(':');
  const tag: StartTag = {
    prefix: colon < 0 ? '' : qname.slice(0, colon),
    local: colon < 0 ? qname : qname.slice(colon + 1),
    attributes: [],
    end: 0,
    empty: false,
  };
  for (;;) {
    while (isSpace(text.charCodeAt(j))) j++;
    const c = text.charCodeAt(j);
    if (c === 62 || c === 47) {
      tag.empty = c === 47;
      tag.end = c === 47 ? j + 1 : j;
      return tag;
    }
    const a = j;
    while (text.charCodeAt(j) !== 61 && !isSpace(text.charCodeAt(j))) j++;
    const name = text.slice(a, j);
    j = text.indexOf('=', j) + 1;
    while (isSpace(text.charCodeAt(j))) j++;
    const close = text.indexOf(text.charAt(j), j + 1);
    tag.attributes.push(name, text.slice(j + 1, close));
    j = close + 1;
  }
}

/** The namespaces in scope inside the element of `tag`. */
function scopeOf(tag: StartTag, outer: Scope): Scope {
  let scope: Map<string, string> | undefined;
  const a = tag.attributes;
  for (let i = 0; i < a.length; i += 2) {
    const name = a[i] as string;
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      scope ??= new Map(outer);
      scope.set(name === 'xmlns' ? '' : name.slice(6), attributeValue(a[i + 1] as string));
    }
  }
  return scope ?? outer;
}

function attributesOf(tag: StartTag, scope: Scope): ReadonlyMap<string, string> {
  const a = tag.attributes;
  let out: Map<string, string> | undefined;
  for (let i = 0; i < a.length; i += 2) {
    const name = a[i] as string;
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const colon = name.indexOf(':');
    const key =
      colon < 0 ? name : `{${scope.get(name.slice(0, colon)) ?? ''}}${name.slice(colon + 1)}`;
    (out ??= new Map()).set(key, attributeValue(a[i + 1] as string));
  }
  return out ?? NO_ATTRIBUTES;
}

/**
 * The record elements of the document, in document order, each with its elements below it; its
 * path (`/Extract/Student[3]`) is set, its libxml2 element is left for the caller to give.
 */
export function* scanRecords(text: string, steps: RecordStep[]): Generator<XmlTree> {
  interface Frame {
    scope: Scope;
    path: string;
    /** Element children seen so far, by local name (element paths count same-named siblings). */
    seen: Map<string, number>;
    /** The steps matched down to this element. */
    matched: boolean;
  }
  const top = new Map([['xml', XML_NS]]);
  const frames: Frame[] = [];
  let at = 0;
  for (;;) {
    const lt = text.indexOf('<', at);
    if (lt < 0) return;
    const c = text.charCodeAt(lt + 1);
    if (c === 47) {
      frames.pop();
      at = text.indexOf('>', lt) + 1;
      continue;
    }
    if (c === 33) {
      if (text.startsWith('<!--', lt)) at = text.indexOf('-->', lt + 4) + 3;
      else if (text.startsWith('<![CDATA[', lt)) at = text.indexOf(']]>', lt + 9) + 3;
      else throw new Error('XML text has a declaration the scanner does not read');
      continue;
    }
    if (c === 63) {
      at = text.indexOf('?>', lt + 2) + 2;
      continue;
    }
    const tag = startTag(text, lt);
    const outer = frames[frames.length - 1];
    const scope = scopeOf(tag, outer?.scope ?? top);
    const ns = scope.get(tag.prefix) ?? '';
    const depth = frames.length;
    // The root's path has no index, but a record's always has one (`/Student[1]`, as before).
    let path = depth === steps.length - 1 ? `/${tag.local}[1]` : `/${tag.local}`;
    if (outer) {
      const index = (outer.seen.get(tag.local) ?? 0) + 1;
      outer.seen.set(tag.local, index);
      path = `${outer.path}/${tag.local}[${index}]`;
    }
    const step = steps[depth];
    const matched =
      (depth === 0 || outer?.matched === true) &&
      step !== undefined &&
      (step.local === '*' || step.local === tag.local) &&
      (step.ns === undefined || step.ns === ns);
    if (matched && depth === steps.length - 1) {
      const record = newTree(tag.local, ns, undefined);
      record.path = path;
      at = element(text, tag, record, scope);
      yield record;
      continue;
    }
    at = tag.end + 1;
    if (!tag.empty) frames.push({ scope, path, seen: new Map(), matched });
  }
}

/** Fills `node` (its attributes, content and elements) from `tag` on; where its end tag ends. */
function element(text: string, tag: StartTag, node: XmlTree, scope: Scope): number {
  node.attrs = attributesOf(tag, scope) as Map<string, string>;
  node.text = text;
  if (tag.empty) {
    node.start = node.end = 0;
    return tag.end + 1;
  }
  node.start = tag.end + 1;
  let at = node.start;
  for (;;) {
    const lt = text.indexOf('<', at);
    const c = text.charCodeAt(lt + 1);
    if (c === 47) {
      node.end = lt;
      return text.indexOf('>', lt) + 1;
    }
    if (c === 33) {
      at = text.startsWith('<!--', lt)
        ? text.indexOf('-->', lt + 4) + 3
        : text.indexOf(']]>', lt + 9) + 3;
    } else if (c === 63) at = text.indexOf('?>', lt + 2) + 2;
    else {
      const child = startTag(text, lt);
      const inner = scopeOf(child, scope);
      const kid = newTree(child.local, inner.get(child.prefix) ?? '', node);
      node.children.push(kid);
      at = element(text, child, kid, inner);
    }
  }
}
