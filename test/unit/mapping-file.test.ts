/**
 * A mapping file is checked when it loads: every problem at once, each with its line and column
 * in the YAML, and crosswalk targets against the exchange code sets.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { compileMapping, loadMapping, MappingFileError } from '../../src/mapping/index.js';

async function problemsOf(yaml: string, file = 'mappings/test.yaml') {
  try {
    await compileMapping(yaml, file);
  } catch (e) {
    assert.ok(e instanceof MappingFileError, String(e));
    return e.problems;
  }
  assert.fail('the mapping compiled');
}

/** `line:column: path: message` of each problem, for compact assertions. */
async function shown(yaml: string): Promise<string[]> {
  return (await problemsOf(yaml)).map((p) => `${p.line}:${p.column}: ${p.path}: ${p.message}`);
}

const csvStudent = `
format: csv
fields:
  student:
    stateStudentId: SSID
    stateStudentIdType: { value: '01' }
    firstName: FIRST
    lastName1: LAST
    sex: { value: F }
    birthDate: DOB
`;

describe('mapping file validation', () => {
  it('reports every problem of a bad mapping at once, each at its line and column', async () => {
    const file = fileURLToPath(
      new URL('../fixtures/mappings/bad-several-problems.yaml', import.meta.url),
    );
    const error = await loadMapping(file).then(
      () => assert.fail('loaded'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof MappingFileError);
    const at = error.problems.map((p) => [p.line, p.column, p.path]);
    assert.deepStrictEqual(at, [
      [3, 1, 'state'],
      [6, 3, 'input.bogus'],
      [8, 21, 'crosswalks.yesNo'],
      [12, 66, 'fields.student.stateStudentIdType.crosswalk'],
      [15, 28, 'fields.student.sex.crosswalk'],
      [16, 46, 'fields.student.birthDate.transforms[0].date'],
      [18, 45, 'fields.student.lastName1.transforms[0]'],
      [19, 5, 'fields.student.nickname'],
      [21, 3, 'fields.enrollments'],
      [23, 23, 'fields.enrollments.enrollmentDate.value'],
      [24, 29, 'fields.enrollments.grade.crosswalk'],
      [25, 3, 'fields.hobbies'],
    ]);
    assert.ok(error.problems.every((p) => p.file === file));
    const byPath = new Map(error.problems.map((p) => [p.path, p.message]));
    assert.equal(byPath.get('fields.student.sex.crosswalk'), "'Z' maps to unknown sex code 'Q'");
    assert.equal(
      byPath.get('fields.student.stateStudentIdType.crosswalk'),
      "'B' maps to unknown state student ID type '07'",
    );
    assert.match(
      byPath.get('crosswalks.yesNo') ?? '',
      /'N' maps to 'maybe', which is not true or false \(used by fields\.student\.multipleBirth\.crosswalk\)/,
    );
    assert.match(byPath.get('fields.enrollments') ?? '', /enrollmentType is required/);
    assert.match(
      byPath.get('fields.enrollments.enrollmentDate.value') ?? '',
      /not a real calendar date/,
    );
    assert.match(
      byPath.get('fields.enrollments.grade.crosswalk') ?? '',
      /no crosswalk 'noSuchTable'/,
    );
    // The message prints each problem as file:line:column: path: message.
    assert.ok(
      error.message.includes(
        `${file}:15:28: fields.student.sex.crosswalk: 'Z' maps to unknown sex code 'Q'`,
      ),
    );
  });

  it('reports YAML syntax errors and duplicate keys with their line', async () => {
    const syntax = await problemsOf('format: csv\nfields:\n  student: [a, b\n');
    assert.equal(syntax.length, 1);
    assert.equal(syntax[0]?.line, 4);
    const duplicate = await problemsOf('format: csv\nformat: json\nfields: {}\n');
    assert.equal(duplicate[0]?.line, 2);
    assert.match(duplicate[0]?.message ?? '', /unique/);
  });

  it('names a missing file', async () => {
    await assert.rejects(loadMapping('mappings/no-such-mapping.yaml'), (e: unknown) => {
      assert.ok(e instanceof MappingFileError);
      assert.equal(e.problems[0]?.file, 'mappings/no-such-mapping.yaml');
      assert.match(e.problems[0]?.message ?? '', /cannot read/);
      return true;
    });
  });

  it('requires a format, fields and the exchange-required student fields', async () => {
    assert.deepStrictEqual(await shown('fields: {}\n'), [
      `1:1: format: must be one of csv, fixed-width, xml, json, jsonl`,
    ]);
    const missing = await shown('format: csv\nfields:\n  student:\n    firstName: F\n');
    assert.deepStrictEqual(missing, [
      '3:3: fields.student: stateStudentId is required by the exchange schema but not mapped',
      '3:3: fields.student: stateStudentIdType is required by the exchange schema but not mapped',
      '3:3: fields.student: lastName1 is required by the exchange schema but not mapped',
      '3:3: fields.student: sex is required by the exchange schema but not mapped',
      '3:3: fields.student: birthDate is required by the exchange schema but not mapped',
    ]);
    assert.deepStrictEqual(await shown('format: csv\nfields: {}\n'), [
      '2:1: fields.student: is required',
    ]);
  });

  it('checks crosswalk targets of every type, and lets null map a code to no value', async () => {
    const problems = await shown(`${csvStudent}
  enrollments:
    each: rows
    enrollmentDate: D
    enrollmentType: { source: T, crosswalk: { R: '01', X: null, Q: '99' } }
    grade: G
    iep: { source: IEP, crosswalk: { Y: true, N: 'no' } }
  courses:
    each: rows
    title: TITLE
    beginYear: { source: Y, crosswalk: { A: 2024, B: 2024.5 } }
`);
    assert.deepStrictEqual(problems, [
      "15:65: fields.enrollments.enrollmentType.crosswalk: 'Q' maps to unknown enrollment type '99'",
      "17:47: fields.enrollments.iep.crosswalk: 'N' maps to 'no', which is not true or false",
      "21:51: fields.courses.beginYear.crosswalk: 'B' maps to 2024.5, which is not a whole number",
    ]);
  });

  it('keeps codes such as 01 as written, though YAML reads them as numbers', async () => {
    const mapping = await compileMapping(
      `${csvStudent.replace("{ value: '01' }", '{ source: T, crosswalk: { 01: 01, 02: 02 } }')}`,
      'm.yaml',
    );
    const out = [];
    const csv = 'SSID,T,FIRST,LAST,DOB\n1,01,A,B,2010-01-01\n2,02,C,D,2010-01-01\n';
    for await (const r of mapping.read(Buffer.from(csv), { fileName: 'f.csv' })) out.push(r);
    assert.deepStrictEqual(
      out.map((r) => (r.kind === 'document' ? r.document.student.stateStudentIdType : r.errors)),
      ['01', '02'],
    );
  });

  it('checks sources against declared columns and refuses nested selections in CSV', async () => {
    const problems = await shown(`
format: csv
input: { header: false, columns: [SSID, FIRST, LAST, DOB] }
fields:
  student:
    stateStudentId: SSID
    stateStudentIdType: { value: '01' }
    firstName: FIRST
    lastName1: SURNAME
    sex: { value: F }
    birthDate: DOB
    parent1:
      from: parents[0]
      firstName: FIRST
grouping: { start: S, sorted: false }
`);
    assert.deepStrictEqual(problems, [
      "9:5: fields.student.lastName1: no column 'SURNAME' in input.columns",
      '13:7: fields.student.parent1.from: selects nothing inside a row: CSV and fixed-width rows have no nested items',
      '15:13: grouping.start: is for fixed-width files with record types',
      '15:23: grouping.sorted: sorted: false needs a grouping key',
    ]);
  });

  it('checks a fixed-width layout: positions, record types, names', async () => {
    const problems = await shown(`
format: fixed-width
input:
  recordLength: 20
  recordType: 1-1
  records:
    S: { ID: 2-11, NAME: 12-30, BAD: 9-5 }
fields:
  student:
    stateStudentId: ID
    stateStudentIdType: { value: '01' }
    firstName: NAME
    lastName1: SURNAME
    sex: { value: F }
    birthDate: 15-22
  enrollments:
    each: X
    enrollmentDate: 1-8
    enrollmentType: { value: '01' }
    grade: { value: KG }
`);
    assert.deepStrictEqual(problems, [
      '7:20: input.records.S.NAME: runs to 30, past the record length 20',
      '7:33: input.records.S.BAD: ends (5) before it starts (9)',
      '9:3: fields.student: needs from: the record type (S) it comes from',
      '17:5: fields.enrollments.each: must be one of rows, S for fixed-width input',
    ]);
  });

  it('checks XML: the XSD file, and each XPath against the declared namespaces', async () => {
    const problems = await shown(`
format: xml
input:
  namespaces: { fl: 'urn:example:fl:migrant:v1' }
  record: /fl:MigrantStudentExtract/fl:Student
  schema: schemas/no-such.xsd
fields:
  student:
    stateStudentId: fl:StudentId
    stateStudentIdType: { value: '01' }
    firstName: 'fl:Name/fl:FirstName['
    lastName1: tx:Name
    sex: { value: F }
    birthDate: fl:BirthDate
`);
    assert.equal(problems.length, 1, 'no XSD: the rest cannot be checked against the format');
    assert.match(problems[0] ?? '', /^6:3: input\.schema: cannot read .*no-such\.xsd$/);
    const xpaths = await shown(`
format: xml
input: { namespaces: { fl: 'urn:x' }, record: /fl:E/fl:S }
fields:
  student:
    stateStudentId: fl:StudentId
    stateStudentIdType: { value: '01' }
    firstName: 'fl:Name/fl:FirstName['
    lastName1: tx:Name
    sex: { value: F }
    birthDate: fl:BirthDate
`);
    assert.equal(xpaths.length, 2);
    assert.match(xpaths[0] ?? '', /^8:5: fields\.student\.firstName: is not a usable XPath/);
    assert.match(
      xpaths[1] ?? '',
      /^9:5: fields\.student\.lastName1: is not a usable XPath.*Undefined namespace prefix/,
    );
  });

  it('checks the XML record XPath and the JSON records path', async () => {
    const xml = await shown(`
format: xml
input: { record: /zz:Extract/zz:Student }
fields: { student: { stateStudentId: a } }
`);
    assert.equal(xml.length, 1);
    assert.match(
      xml[0] ?? '',
      /^3:10: input\.record: is not a usable XPath.*Undefined namespace prefix/,
    );
    const json = await shown(`
format: json
input: { records: "data['students']" }
fields: { student: { stateStudentId: a } }
`);
    assert.match(json[0] ?? '', /^3:10: input\.records: must be a dotted path of keys/);
  });

  it('checks the record action: its crosswalk targets and its default', async () => {
    const problems = await shown(`${csvStudent}
action:
  source: ACT
  crosswalk: { D: delete, A: upsert, X: remove }
  default: never
`);
    assert.deepStrictEqual(problems, [
      "14:38: action.crosswalk: 'X' maps to 'remove'; a record action is upsert or delete",
      '15:3: action.default: must be upsert or delete',
    ]);
  });
});
