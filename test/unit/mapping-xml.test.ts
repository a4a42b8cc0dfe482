/**
 * XML input: namespaces and XPath selectors, XSD validation (a file that fails it is refused
 * whole, with the XSD error and line), and hostile documents: DTDs, external entities (the marker
 * file must never leak), entity bombs, files that are not XML, files over the size limit.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import {
  ParseOption,
  XmlDocument,
  xmlCleanupInputProvider,
  xmlRegisterInputProvider,
} from 'libxml2-wasm';
import {
  compileMapping,
  FileRefusedError,
  loadMapping,
  type CompiledMapping,
  type MappedRecord,
} from '../../src/mapping/index.js';

const fixtures = fileURLToPath(new URL('../fixtures/mappings/', import.meta.url));
const fixture = (name: string) => readFileSync(path.join(fixtures, name));
const MARKER = 'CONTINUUM-XXE-MARKER-7f3a9c';

async function read(mapping: CompiledMapping, input: Buffer): Promise<MappedRecord[]> {
  const out: MappedRecord[] = [];
  for await (const r of mapping.read(input, { fileName: 'in.xml' })) out.push(r);
  return out;
}

async function refusal(mapping: CompiledMapping, input: Buffer): Promise<FileRefusedError> {
  const error = await read(mapping, input).then(
    () => assert.fail('the file was read'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof FileRefusedError, String(error));
  return error;
}

/** A small mapping of the FL layout with its own prefix for the namespace, and no XSD. */
const smallYaml = `
format: xml
input:
  namespaces: { m: 'urn:example:fl:migrant:v1' }
  record: /m:MigrantStudentExtract/m:Student
fields:
  student:
    stateStudentId: m:StudentId
    stateStudentIdType: { source: m:StudentId/@idType, crosswalk: { FLEID: '01', MEP: '02' } }
    firstName: m:Name/m:FirstName
    lastName1: m:Name/*
    sex: { source: m:Gender, crosswalk: { Female: F, Male: M, NotSelected: X } }
    birthDate: m:BirthDate
  enrollments:
    each: m:Enrollments/m:Enrollment
    enrollmentDate: m:EntryDate
    enrollmentType: { value: '01' }
    grade: { value: KG }
`;

describe('XML input', () => {
  let fl: CompiledMapping;
  before(async () => {
    fl = await loadMapping('mappings/fl-xml.yaml');
  });

  it('reads records by XPath, whatever prefix the mapping gives the namespace', async () => {
    const small = await compileMapping(
      smallYaml.replace('lastName1: m:Name/*', 'lastName1: m:Name/m:PaternalSurname'),
      'mappings/small.yaml',
    );
    const records = await read(small, fixture('fl-sample.xml'));
    assert.equal(records.length, 3);
    const first = records[0];
    assert.equal(first?.kind, 'document');
    assert.equal(
      first?.kind === 'document' && first.row,
      3,
      'the row is the line of the Student element',
    );
    assert.equal(first?.kind === 'document' && first.document.student.firstName, 'Marcos');
  });

  it('answers positions and predicates itself, and any other XPath through libxml2', async () => {
    const yaml = smallYaml
      .replace('firstName: m:Name/m:FirstName', 'firstName: \'concat(m:Name/m:FirstName, "!")\'')
      .replace('lastName1: m:Name/*', "lastName1: 'm:Name/*[2]'")
      .replace('birthDate: m:BirthDate', 'birthDate: \'m:BirthDate[. != ""]\'');
    const small = await compileMapping(yaml, 'mappings/small.yaml');
    const [first] = await read(small, fixture('fl-sample.xml'));
    assert.equal(first?.kind, 'document');
    const student = first?.kind === 'document' ? first.document.student : undefined;
    assert.equal(student?.firstName, 'Marcos!');
    assert.equal(student?.lastName1, 'Barragán');
    assert.equal(student?.birthDate, '2009-11-09');
  });

  it('rejects a field whose XPath matches several nodes, naming where it is', async () => {
    const small = await compileMapping(smallYaml, 'mappings/small.yaml');
    const [first] = await read(small, fixture('fl-sample.xml'));
    assert.equal(first?.kind, 'reject');
    assert.deepStrictEqual(first?.kind === 'reject' && first.errors, [
      {
        row: 3,
        field: '/MigrantStudentExtract/Student[1]/m:Name/*',
        target: 'student.lastName1',
        reason: 'matches 3 nodes; a field takes one value',
      },
    ]);
  });

  it('refuses the whole file when it fails its XSD, with the XSD error and its line', async () => {
    const error = await refusal(fl, fixture('fl-invalid-against-xsd.xml'));
    assert.equal(error.line, 11);
    assert.match(
      error.reason,
      /does not validate against its XSD: line 11: Element '\{urn:example:fl:migrant:v1\}Gendr': This element is not expected/,
    );
  });

  describe('a DTD, an external entity', () => {
    const opened: string[] = [];
    before(() => {
      // A permissive libxml2: any file it asks for is served from the fixtures folder. If the
      // reader let the parser load external entities, the marker would reach the document.
      xmlRegisterInputProvider({
        match: (name) => (opened.push(name), true),
        open: (name) => {
          try {
            const bytes = readFileSync(
              path.join(fixtures, path.basename(name.replace(/^file:\/\//, ''))),
            );
            served.push(bytes);
            return served.length;
          } catch {
            return undefined;
          }
        },
        read: (fd, buf) => {
          const bytes = served[fd - 1];
          if (!bytes) return -1;
          const n = Math.min(buf.byteLength, bytes.length);
          buf.set(bytes.subarray(0, n));
          served[fd - 1] = bytes.subarray(n);
          return n;
        },
        close: () => true,
      });
    });
    const served: Buffer[] = [];
    after(() => xmlCleanupInputProvider());
    beforeEach(() => (opened.length = 0));

    it('would leak the marker through a parser that substitutes entities (the control)', () => {
      const doc = XmlDocument.fromBuffer(fixture('fl-xxe-external-entity.xml'), {
        option: ParseOption.XML_PARSE_NOENT,
      });
      try {
        assert.ok(doc.root.content.includes(MARKER), 'the test provider serves the marker');
      } finally {
        doc.dispose();
      }
      assert.ok(opened.some((n) => n.endsWith('xxe-marker.txt')));
    });

    it('refuses a document with an external entity, without reading it', async () => {
      const error = await refusal(fl, fixture('fl-xxe-external-entity.xml'));
      assert.match(error.reason, /has a DTD/);
      assert.equal(error.line, 3);
      assert.ok(!error.message.includes(MARKER));
      assert.deepStrictEqual(opened, [], 'nothing was opened');
    });

    it('refuses it in UTF-16 too, where a byte scan for ASCII would miss it', async () => {
      const utf16 = iconv.encode(
        fixture('fl-xxe-external-entity.xml')
          .toString('utf8')
          .replace('encoding="UTF-8"', 'encoding="UTF-16"'),
        'utf16le',
        { addBOM: true },
      );
      const error = await refusal(fl, utf16);
      assert.match(error.reason, /has a DTD/);
      assert.deepStrictEqual(opened, []);
    });

    it('refuses an entity bomb', async () => {
      assert.match((await refusal(fl, fixture('fl-billion-laughs.xml'))).reason, /has a DTD/);
    });

    it('parses without network or external entities even where a DTD got through the scan', () => {
      const safe = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;
      const doc = XmlDocument.fromBuffer(fixture('fl-xxe-external-entity.xml'), { option: safe });
      try {
        assert.ok(!doc.root.content.includes(MARKER));
      } finally {
        doc.dispose();
      }
      assert.deepStrictEqual(opened, []);
    });
  });

  it('refuses files that are not XML, empty files, and files over input.maxBytes', async () => {
    const notXml = await refusal(fl, Buffer.from('{"ssid": "1"}\n'));
    assert.match(notXml.reason, /not well-formed XML/);
    assert.equal(notXml.line, 1);
    await refusal(fl, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]));
    assert.match((await refusal(fl, Buffer.alloc(0))).reason, /empty/);
    const tiny = await compileMapping(
      readFileSync('mappings/fl-xml.yaml', 'utf8').replace('maxBytes: 67108864', 'maxBytes: 1000'),
      'mappings/fl-xml.yaml',
    );
    assert.match(
      (await refusal(tiny, fixture('fl-sample.xml'))).reason,
      /larger than the mapping's limit of 1000 bytes/,
    );
  });
});
