/**
 * XML records read from the document's text (formats/xml-scan.ts) once libxml2 has parsed it:
 * every element's name, namespace, attributes, string value and path must be libxml2's, whatever
 * the markup (comments, CDATA, references, line ends, prefixes, processing instructions), and
 * rows of problems must still be libxml2's lines.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { XmlElement } from 'libxml2-wasm';
import { XmlDocument } from 'libxml2-wasm';
import { compileMapping, type MappedRecord } from '../../src/mapping/index.js';
import { dtdMarkerAt, elementPath } from '../../src/mapping/formats/xml.js';
import {
  contentOf,
  elementChildren,
  pathOf,
  type XmlTree,
} from '../../src/mapping/formats/xml-path.js';
import { documentText, recordSteps, scanRecords } from '../../src/mapping/formats/xml-scan.js';

const NS = 'urn:example:fl:migrant:v1';
const sample = readFileSync('test/fixtures/mappings/fl-sample.xml', 'utf8');

/** Markup of every kind the scanner must step over or decode. */
const tricky = [
  '<?xml version="1.0" encoding="UTF-8"?>\r\n<?top pi?>\r\n<!-- before the root -->',
  `<x:Extract xmlns:x="${NS}" note='a > b' xmlns:o="urn:other">`,
  '  <x:Student n="1">',
  '    <x:Name\r\n      kind="legal">Ba&#225;r<!-- not < text -->ra<![CDATA[g<&>\r\n]]>án&amp;&lt;&gt;&quot;&apos;&#x1F600;</x:Name>',
  `    <Plain xmlns="" o:a="t\tab\r\nline&#10;&amp;" b = "x"/>`,
  `    <Other xmlns="urn:other"><Inner>in\rner</Inner></Other>`,
  '    <?inside a > b?>',
  `    <y:After xmlns:y="${NS}">after the PI</y:After>`,
  '  </x:Student>',
  `  <x:Student><x:Name/><x:Name></x:Name  ></x:Student>`,
  '</x:Extract>',
].join('\n');

function scanned(text: string, record: string): XmlTree[] {
  const steps = recordSteps(record, { f: NS });
  const decoded = documentText(Buffer.from(text, 'utf8'));
  assert.ok(steps && decoded !== undefined);
  return [...scanRecords(decoded, steps)];
}

function attributesOf(el: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of el.attrs) out[a.namespaceUri ? `{${a.namespaceUri}}${a.name}` : a.name] = a.value;
  return out;
}

/** Every element of `copy` against libxml2's: name, namespace, attributes, value, path. */
function compare(copy: XmlTree, el: XmlElement, seen: string[]): void {
  const where = elementPath(el);
  seen.push(where);
  assert.deepStrictEqual([copy.local, copy.ns], [el.name, el.namespaceUri], where);
  assert.equal(contentOf(copy), el.content, where);
  assert.equal(pathOf(copy), where);
  assert.deepStrictEqual(Object.fromEntries(copy.attrs ?? []), attributesOf(el), where);
  const children = elementChildren(el);
  assert.equal(copy.children.length, children.length, where);
  children.forEach((c, i) => compare(copy.children[i] as XmlTree, c, seen));
}

async function read(yaml: string, text: string): Promise<MappedRecord[]> {
  const mapping = await compileMapping(yaml, 'mappings/scan.yaml');
  const out: MappedRecord[] = [];
  for await (const r of mapping.read(Buffer.from(text, 'utf8'), { fileName: 'in.xml' })) {
    out.push(r);
  }
  return out;
}

const yaml = `
format: xml
input:
  namespaces: { f: '${NS}' }
  record: /f:MigrantStudentExtract/f:Student
fields:
  student:
    stateStudentId: f:StudentId
    stateStudentIdType: { source: f:StudentId/@idType, crosswalk: { FLEID: '01', MEP: '02' } }
    firstName: f:Name/f:FirstName
    lastName1: f:Name/f:PaternalSurname
    sex: { source: f:Gender, crosswalk: { Female: F, Male: M, NotSelected: X } }
    birthDate: f:BirthDate
  enrollments:
    each: f:Enrollments/f:Enrollment
    enrollmentDate: f:EntryDate
    enrollmentType: { value: '01' }
    grade: { value: KG }
`;

describe('XML records read from the text', () => {
  it('gives every element as libxml2 has it, whatever the markup', () => {
    const doc = XmlDocument.fromString(tricky);
    try {
      const records = doc.find('/f:Extract/f:Student', { f: NS });
      const copies = scanned(tricky, '/f:Extract/f:Student');
      assert.equal(copies.length, 2);
      const seen: string[] = [];
      records.forEach((r, i) => compare(copies[i] as XmlTree, r as XmlElement, seen));
      assert.equal(seen.length, 9, seen.join(' '));
      const name = copies[0]?.children[0] as XmlTree;
      assert.equal(contentOf(name), 'Baárrag<&>\nán&<>"\'\u{1F600}');
      assert.equal(contentOf(copies[0]?.children[3] as XmlTree), 'after the PI');
    } finally {
      doc.dispose();
    }
  });

  it('numbers a record that is the root element, as paths of records always are', () => {
    const [root] = scanned(sample, '/f:MigrantStudentExtract');
    assert.equal(root?.path, '/MigrantStudentExtract[1]');
    assert.equal(pathOf(root?.children[1] as XmlTree), '/MigrantStudentExtract[1]/Student[2]');
  });

  it('reads only records of plain steps, and only UTF-8 text', () => {
    assert.deepStrictEqual(recordSteps('/f:A/*', { f: NS }), [
      { ns: NS, local: 'A' },
      { ns: undefined, local: '*' },
    ]);
    assert.equal(recordSteps('/f:A/f:B[2]', { f: NS }), undefined);
    assert.equal(recordSteps('//f:B', { f: NS }), undefined);
    assert.equal(recordSteps('/g:A', { f: NS }), undefined);
    const latin1 = Buffer.from(
      sample.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
      'latin1',
    );
    assert.equal(documentText(latin1), undefined);
    assert.equal(documentText(Buffer.from(sample, 'utf16le')), undefined);
    const padded = sample.replace('encoding=', `${' '.repeat(300)}encoding=`);
    assert.equal(documentText(Buffer.from(padded, 'utf8')), undefined);
    assert.equal(documentText(Buffer.from(`\uFEFF${sample}`, 'utf8')), sample);
  });

  it('maps a document written in another encoding as its UTF-8 twin', async () => {
    const utf8 = await read(yaml, sample);
    const mapping = await compileMapping(yaml, 'mappings/scan.yaml');
    const latin1: MappedRecord[] = [];
    const bytes = Buffer.from(
      sample.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
      'latin1',
    );
    for await (const r of mapping.read(bytes, { fileName: 'in.xml' })) latin1.push(r);
    assert.equal(utf8.length, 3);
    assert.deepStrictEqual(latin1, utf8);
  });

  it('reads the elements after a processing instruction', async () => {
    const plain = await read(yaml, sample);
    const withPi = await read(yaml, sample.replace(/<Gender>/g, '<?note x?><Gender>'));
    assert.equal(plain[0]?.kind, 'document');
    assert.deepStrictEqual(withPi, plain);
  });

  it("names libxml2's line for a problem deep in a record", async () => {
    const text = sample.replace(/<EntryDate>[^<]*/, '<EntryDate>02/30/2024');
    const lines = text.split('\n');
    const entry = lines.findIndex((l) => l.includes('02/30/2024'));
    const enrollment = lines.slice(0, entry).findLastIndex((l) => l.includes('<Enrollment>'));
    const [first] = await read(yaml, text);
    assert.equal(first?.kind, 'reject');
    const errors = first?.kind === 'reject' ? first.errors : [];
    assert.deepStrictEqual(
      errors.map((e) => [e.row, e.field, e.value]),
      [
        [
          enrollment + 1,
          '/MigrantStudentExtract/Student[1]/Enrollments[1]/Enrollment[1]/f:EntryDate',
          '02/30/2024',
        ],
      ],
    );
  });

  it('finds a DTD marker where one indexOf per marker would, in any of its encodings', () => {
    const markers = ['<!DOCTYPE', '<!ENTITY'].flatMap((m) => [
      Buffer.from(m, 'utf8'),
      Buffer.from(m, 'utf16le'),
      Buffer.from(m, 'utf16le').swap16(),
    ]);
    const expected = (b: Buffer) => {
      for (const m of markers) if (b.indexOf(m) >= 0) return b.indexOf(m);
      return -1;
    };
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = [
      ...markers,
      Buffer.from('<!-- ! -->'),
      Buffer.from('!!<!DOC'),
      Buffer.from([0x21]),
    ];
    let found = 0;
    for (let t = 0; t < 500; t++) {
      const parts: Buffer[] = [];
      for (let p = random(6); p > 0; p--) {
        parts.push(Buffer.from(sample.slice(random(2000), random(2000) + random(50))));
        if (random(3) === 0) parts.push(pieces[random(pieces.length)] as Buffer);
      }
      const bytes = Buffer.concat(parts);
      const at = expected(bytes);
      if (at >= 0) found++;
      assert.equal(dtdMarkerAt(bytes), at, bytes.toString('latin1'));
    }
    assert.ok(found > 50 && found < 450, `${found} of 500 with a marker`);
  });
});
