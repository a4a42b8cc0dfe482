/**
 * The XPaths mappings use most (`fl:Name/fl:FirstName`, `fl:StudentId/@idType`,
 * `fl:Guardians/fl:Guardian[@sequence='1']`, `fl:Enrollments/fl:Enrollment`), evaluated in
 * JavaScript over a light copy of each record's element tree. A libxml2 XPath evaluation costs
 * tens of microseconds through WebAssembly, and a record reads hundreds of fields: walking the
 * record's elements once and answering these paths from the copy is an order of magnitude faster.
 * Any other XPath (functions, `//`, axes) is evaluated by libxml2 itself (xml.ts).
 *
 * Semantics are XPath 1.0's: a prefixed name matches an element in that namespace, an unprefixed
 * name one in no namespace, `*` any element; a value is the element's string value (all its text).
 */
import type { XmlElement, XmlNode } from 'libxml2-wasm';
import { XmlElement as Element } from 'libxml2-wasm';
import { newTree, stringValue } from './xml-scan.js';

/**
 * One element of a record, copied once: from libxml2 (treeOf), or from the document's text
 * (xml-scan.ts), which leaves `el` to be found when first needed (elementOf).
 */
export interface XmlTree {
  el: XmlElement | undefined;
  local: string;
  ns: string;
  children: XmlTree[];
  parent: XmlTree | undefined;
  /** Where the element is, for a person: `/MigrantStudentExtract/Student[3]` (the record's is given). */
  path: string | undefined;
  /** Attributes by `{namespace}name` (`name` when in no namespace), read when first asked for. */
  attrs: Map<string, string> | undefined;
  /** Copied from the text: the document, and where the element's content is in it. */
  text: string | undefined;
  start: number;
  end: number;
}

/** A copy of the element structure under `el` (text is read from libxml2 when a field asks). */
export function treeOf(el: XmlElement, path?: string, parent?: XmlTree): XmlTree {
  const node = newTree(el.name, el.namespaceUri, parent);
  node.el = el;
  if (path !== undefined) node.path = path;
  for (const c of elementChildren(el)) node.children.push(treeOf(c, undefined, node));
  return node;
}

/**
 * The elements under `el`, in order. libxml2-wasm gives a processing instruction no `next`, so a
 * walk of the siblings would stop there: the children after one are found by XPath.
 */
export function elementChildren(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let c: XmlNode | null = el.firstChild; c;) {
    if (c instanceof Element) out.push(c);
    const next = (c as { next?: XmlNode | null }).next;
    if (next === undefined) return el.find('*').filter((n) => n instanceof Element);
    c = next;
  }
  return out;
}

/** The libxml2 element of `node`; for a copy from the text, found under its parent's element. */
export function elementOf(node: XmlTree): XmlElement {
  if (node.el) return node.el;
  const parent = node.parent;
  if (!parent) throw new Error('an XML record without its libxml2 element');
  // All the parent's children at once: a walk of the parent's children per child would be quadratic.
  const elements = elementChildren(elementOf(parent));
  if (elements.length !== parent.children.length) throw differs(parent);
  for (let i = 0; i < elements.length; i++) {
    const c = elements[i] as XmlElement;
    const child = parent.children[i] as XmlTree;
    if (child.local !== c.name || child.ns !== c.namespaceUri) throw differs(parent);
    child.el = c;
  }
  if (!node.el) throw differs(parent);
  return node.el;
}

const differs = (node: XmlTree) =>
  new Error(`the XML copy of ${pathOf(node)} differs from libxml2's document`);

/** The string value of `node`: all its text. */
export function contentOf(node: XmlTree): string {
  if (node.text === undefined) return elementOf(node).content;
  if (node.start === node.end) return '';
  return stringValue(node.text.slice(node.start, node.end));
}

/** `/MigrantStudentExtract/Student[3]/Enrollments[1]/Enrollment[2]`, from the record's path. */
export function pathOf(node: XmlTree): string {
  if (node.path === undefined) {
    const parent = node.parent;
    if (!parent) return `/${node.local}`;
    let index = 0;
    for (const sibling of parent.children) {
      if (sibling.local === node.local) index++;
      if (sibling === node) break;
    }
    node.path = `${pathOf(parent)}/${node.local}[${index}]`;
  }
  return node.path;
}

function attributes(node: XmlTree): Map<string, string> {
  if (!node.attrs) {
    node.attrs = new Map();
    for (const a of elementOf(node).attrs) {
      node.attrs.set(a.namespaceUri ? `{${a.namespaceUri}}${a.name}` : a.name, a.value);
    }
  }
  return node.attrs;
}

interface Step {
  ns: string | undefined; // undefined: any namespace (`*`)
  local: string; // '*': any name
  attr?: { key: string; value: string };
  index?: number;
}

export interface SimplePath {
  /** The elements the path reaches from `node`, in document order. */
  select(node: XmlTree): XmlTree[];
  /** Set when the path ends in `@name`: the attribute key to read on each element reached. */
  attribute?: string;
}

const NAME = '[A-Za-z_][\\w.-]*';
const QNAME = `(?:(${NAME}):)?(${NAME}|\\*)`;
const PREDICATE = `\\[(?:@(?:(${NAME}):)?(${NAME})\\s*=\\s*(?:'([^']*)'|"([^"]*)")|(\\d+))\\]`;
const STEP = new RegExp(`^${QNAME}(?:${PREDICATE})?$`);
const ATTRIBUTE = new RegExp(`^@(?:(${NAME}):)?(${NAME})$`);

/**
 * Compiles `path` when it is in the subset; undefined when it is not (libxml2 then evaluates it);
 * a reason when it names a prefix the mapping does not declare.
 */
export function compileSimplePath(
  path: string,
  namespaces: Readonly<Record<string, string>>,
): SimplePath | string | undefined {
  const parts = path.replace(/^\.\//, '').split('/');
  if (path === '.' || parts.some((p) => p === ''))
    return path === '.' ? { select: (n) => [n] } : undefined;
  let unknown: string | undefined;
  const uri = (prefix: string | undefined): string => {
    if (prefix === undefined) return '';
    const found = namespaces[prefix];
    if (found === undefined) unknown ??= prefix;
    return found ?? '';
  };
  let attribute: string | undefined;
  const last = parts[parts.length - 1] ?? '';
  const attr = ATTRIBUTE.exec(last);
  if (attr) {
    const ns = uri(attr[1]);
    attribute = ns ? `{${ns}}${attr[2]}` : attr[2];
    parts.pop();
  }
  const steps: Step[] = [];
  for (const part of parts) {
    const m = STEP.exec(part);
    if (!m) return undefined;
    const local = m[2] ?? '';
    const step: Step = { ns: local === '*' && m[1] === undefined ? undefined : uri(m[1]), local };
    if (m[4] !== undefined) {
      const ns = uri(m[3]);
      step.attr = { key: ns ? `{${ns}}${m[4]}` : m[4], value: m[5] ?? m[6] ?? '' };
    } else if (m[7] !== undefined) step.index = Number(m[7]);
    steps.push(step);
  }
  if (unknown !== undefined) return `Undefined namespace prefix: ${unknown}`;
  const matches = (step: Step, node: XmlTree) =>
    (step.local === '*' || node.local === step.local) &&
    (step.ns === undefined || node.ns === step.ns);
  const select = (start: XmlTree): XmlTree[] => {
    let nodes = [start];
    for (const step of steps) {
      const next: XmlTree[] = [];
      for (const node of nodes) {
        let position = 0;
        for (const child of node.children) {
          if (!matches(step, child)) continue;
          position++;
          if (step.index !== undefined && position !== step.index) continue;
          if (step.attr && attributes(child).get(step.attr.key) !== step.attr.value) continue;
          next.push(child);
        }
      }
      nodes = next;
    }
    return nodes;
  };
  return attribute === undefined ? { select } : { select, attribute };
}

/** The value of `path` at `node`: undefined when absent; throws `many` when it has several. */
export function valueOf(
  path: SimplePath,
  node: XmlTree,
  many: (n: number) => Error,
): string | undefined {
  const found = path.select(node);
  if (path.attribute === undefined) {
    if (found.length > 1) throw many(found.length);
    const first = found[0];
    return first === undefined ? undefined : contentOf(first);
  }
  const values: string[] = [];
  for (const n of found) {
    const v = attributes(n).get(path.attribute);
    if (v !== undefined) values.push(v);
  }
  if (values.length > 1) throw many(values.length);
  return values[0];
}
