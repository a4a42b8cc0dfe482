/**
 * CSV input: delimiters, quotes, header or declared columns, encodings; grouping rows into
 * children; the record action; and hostile files (short rows, JSON, binary junk, bad bytes).
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import {
  compileMapping,
  FileRefusedError,
  type CompiledMapping,
  type MappedRecord,
} from '../../src/mapping/index.js';

function mappingYaml(input: string, extra = ''): string {
  return `
format: csv
input: ${input}
grouping: { key: ID }
${extra}
fields:
  student:
    stateStudentId: ID
    stateStudentIdType: { value: '01' }
    firstName: FIRST
    lastName1: LAST
    sex: { source: SEX, crosswalk: { '1': M, '2': F } }
    birthDate: { source: DOB, transforms: [{ date: MM/DD/YYYY }] }
  enrollments:
    each: rows
    enrollmentDate: { source: ENROLLED, transforms: [{ date: MM/DD/YYYY }] }
    enrollmentType: { value: '01' }
    grade: { source: GRADE, crosswalk: { K: KG, '1': '01', '2': '02' } }
`;
}

const HEADER = 'ID,FIRST,LAST,SEX,DOB,ENROLLED,GRADE';

async function read(
  mapping: CompiledMapping,
  input: Buffer | NodeJS.ReadableStream,
): Promise<MappedRecord[]> {
  const out: MappedRecord[] = [];
  for await (const r of mapping.read(input, { fileName: 'in.csv' })) out.push(r);
  return out;
}

async function refused(mapping: CompiledMapping, input: Buffer): Promise<FileRefusedError> {
  const error = await read(mapping, input).then(
    () => assert.fail('the file was read'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof FileRefusedError, String(error));
  return error;
}

const summary = (records: MappedRecord[]) =>
  records.map((r) =>
    r.kind === 'document'
      ? {
          row: r.row,
          rows: r.rows,
          key: r.key,
          enrollments: r.document.enrollments.map((e) => e.enrollmentDate),
        }
      : {
          row: r.row,
          key: r.key,
          reject: r.errors.map((e) => `${e.row}:${e.field ?? ''}:${e.reason}`),
        },
  );

describe('CSV input', () => {
  let csv: CompiledMapping;
  before(async () => {
    csv = await compileMapping(mappingYaml('{ delimiter: "," }'), 'mappings/csv.yaml');
  });

  it('groups consecutive rows of a key into one child, rows numbered as file lines', async () => {
    const text = `${HEADER}\r\n1,Ana,Ruiz,2,01/02/2010,09/01/2024,1\r\n1,Ana,Ruiz,2,01/02/2010,01/06/2025,2\r\n\r\n2,Luis,Paz,1,03/04/2011,09/01/2024,K\r\n`;
    assert.deepStrictEqual(summary(await read(csv, Buffer.from(text))), [
      { row: 2, rows: [2, 3], key: '1', enrollments: ['2024-09-01', '2025-01-06'] },
      { row: 5, rows: [5], key: '2', enrollments: ['2024-09-01'] },
    ]);
  });

  it('counts a quoted field that spans lines when numbering rows', async () => {
    const text = `${HEADER},NOTE\n1,Ana,Ruiz,2,01/02/2010,09/01/2024,1,"two\nlines"\n2,Luis,Paz,1,03/04/2011,09/01/2024,K,x\n3,Eva,Sol,2,03/04/2011,13/01/2024,K,x\n`;
    const records = await read(csv, Buffer.from(text));
    assert.deepStrictEqual(
      records.map((r) => r.row),
      [2, 4, 5],
    );
    const reject = records[2];
    assert.equal(reject?.kind, 'reject');
    assert.deepStrictEqual(reject?.kind === 'reject' && reject.errors[0], {
      row: 5,
      field: 'ENROLLED',
      target: 'enrollments[0].enrollmentDate',
      value: '13/01/2024',
      reason: 'is not a real calendar date (MM/DD/YYYY)',
    });
  });

  it('reads other delimiters and quotes, declared columns, ISO-8859-1 and UTF-8 with BOM', async () => {
    const semi = await compileMapping(
      mappingYaml(`{ delimiter: ';', quote: "'", encoding: iso-8859-1 }`),
      'm.yaml',
    );
    const latin1 = iconv.encode(
      `${HEADER.replaceAll(',', ';')}\n1;'Muñoz; Ana';Peña;2;01/02/2010;09/01/2024;1\n`,
      'latin1',
    );
    const [one] = await read(semi, latin1);
    assert.equal(one?.kind === 'document' && one.document.student.firstName, 'Muñoz; Ana');
    assert.equal(one?.kind === 'document' && one.document.student.lastName1, 'Peña');

    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${HEADER}\n1,José,Núñez,1,01/02/2010,09/01/2024,1\n`),
    ]);
    const [two] = await read(csv, bom);
    assert.equal(
      two?.kind === 'document' && two.document.student.lastName1,
      'Núñez',
      'the BOM is not part of the ID column',
    );

    const noHeader = await compileMapping(
      mappingYaml(`{ header: false, columns: [${HEADER}], delimiter: '|' }`),
      'm.yaml',
    );
    const [three] = await read(noHeader, Buffer.from('7|Eva|Sol|2|01/02/2010|09/01/2024|2\n'));
    assert.equal(
      three?.kind === 'document' && three.row,
      1,
      'without a header the first line is row 1',
    );
    assert.equal(three?.kind === 'document' && three.document.enrollments[0]?.grade, '02');
  });

  it('decodes UTF-8 characters and the BOM split across stream chunks', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${HEADER}\n1,José 😀,Núñez,1,01/02/2010,09/01/2024,1\n`),
    ]);
    const oneByteAtATime = Readable.from([...bytes].map((b) => Buffer.from([b])));
    const [r] = await read(csv, oneByteAtATime);
    assert.equal(r?.kind === 'document' && r.document.student.firstName, 'José 😀');
    assert.equal(r?.kind === 'document' && r.document.student.lastName1, 'Núñez');
    const cut = Readable.from([Buffer.from(`${HEADER}\n1,Jos`), Buffer.from([0xc3])]);
    await assert.rejects(read(csv, cut), /not valid UTF-8/);
  });

  it('rejects a row with too few (or too many) columns, and goes on with the rest', async () => {
    const text = `${HEADER}\n1,Ana,Ruiz,2,01/02/2010,09/01/2024,1\n2,Luis,Paz\n3,Eva,Sol,2,03/04/2011,09/01/2024,K,extra\n4,Noé,Gil,1,03/04/2011,09/01/2024,K\n`;
    assert.deepStrictEqual(summary(await read(csv, Buffer.from(text))), [
      { row: 2, rows: [2], key: '1', enrollments: ['2024-09-01'] },
      { row: 3, key: '2', reject: ['3::has 3 fields; the header has 7'] },
      { row: 4, key: '3', reject: ['4::has 8 fields; the header has 7'] },
      { row: 5, rows: [5], key: '4', enrollments: ['2024-09-01'] },
    ]);
  });

  it('rejects the whole child when one of its rows fails, with every problem of the group', async () => {
    const text = `${HEADER}\n1,Ana,Ruiz,2,01/02/2010,09/01/2024,7\n1,Ana,Ruiz,2,01/02/2010,02/30/2024,1\n2,Luis,Paz,1,03/04/2011,09/01/2024,K\n`;
    assert.deepStrictEqual(summary(await read(csv, Buffer.from(text))), [
      {
        row: 2,
        key: '1',
        reject: [
          "2:GRADE:code '7' is not in the crosswalk (1, 2, K)",
          '3:ENROLLED:is not a real calendar date (MM/DD/YYYY)',
        ],
      },
      { row: 4, rows: [4], key: '2', enrollments: ['2024-09-01'] },
    ]);
  });

  it('sorted: true rejects a child whose rows come apart; sorted: false gathers them', async () => {
    const text = `${HEADER}\n1,Ana,Ruiz,2,01/02/2010,09/01/2024,1\n2,Luis,Paz,1,03/04/2011,09/01/2024,K\n1,Ana,Ruiz,2,01/02/2010,01/06/2025,2\n`;
    const sorted = summary(await read(csv, Buffer.from(text)));
    assert.equal(sorted.length, 3);
    assert.match(
      (sorted[2] as { reject: string[] }).reject[0] ?? '',
      /^4::the rows of 1 are not consecutive/,
    );
    const gather = await compileMapping(
      mappingYaml('{}').replace('grouping: { key: ID }', 'grouping: { key: ID, sorted: false }'),
      'm.yaml',
    );
    assert.deepStrictEqual(summary(await read(gather, Buffer.from(text))), [
      { row: 2, rows: [2, 4], key: '1', enrollments: ['2024-09-01', '2025-01-06'] },
      { row: 3, rows: [3], key: '2', enrollments: ['2024-09-01'] },
    ]);
  });

  it('an empty grouping key is a reject of that row', async () => {
    const text = `${HEADER}\n,Ana,Ruiz,2,01/02/2010,09/01/2024,1\n`;
    assert.deepStrictEqual(summary(await read(csv, Buffer.from(text))), [
      {
        row: 2,
        key: undefined,
        reject: ['2:ID:grouping key is required but empty', '2:ID:is required but empty'],
      },
    ]);
  });

  it('maps the record action from a source field: a delete needs only the key fields', async () => {
    const withAction = await compileMapping(
      mappingYaml('{}', 'action: { source: ACT, crosswalk: { D: delete, U: upsert } }').replace(
        'grade: { source',
        'grade: { required: true, source',
      ),
      'm.yaml',
    );
    const text = `${HEADER},ACT\n1,Ana,Ruiz,2,01/02/2010,09/01/2024,1,U\n2,,,,,,,D\n3,Eva,Sol,2,01/02/2010,09/01/2024,1,\n4,Noé,Gil,1,03/04/2011,09/01/2024,K,X\n`;
    const records = await read(withAction, Buffer.from(text));
    assert.deepStrictEqual(
      records.map((r) => (r.kind === 'document' ? r.action : 'reject')),
      ['upsert', 'delete', 'upsert', 'reject'],
    );
    const del = records[1];
    assert.deepStrictEqual(del?.kind === 'document' && del.document, {
      student: { stateStudentId: '2', stateStudentIdType: '01' },
      qualifyingMoves: [],
      enrollments: [],
      courses: [],
      assessments: [],
    });
    const bad = records[3];
    assert.deepStrictEqual(bad?.kind === 'reject' && bad.errors, [
      { row: 5, field: 'ACT', value: 'X', reason: "code 'X' is not in the crosswalk (D, U)" },
    ]);
  });

  it('refuses a JSON file given to a CSV mapping: no header matches', async () => {
    const json = Buffer.from('{"ID": "1", "FIRST": "Ana"}\n{"ID": "2", "FIRST": "Luis"}\n');
    const error = await refused(csv, json);
    assert.match(error.reason, /not the CSV file the mapping describes|not readable as CSV/);
    const other = await refused(csv, Buffer.from('id;first;last\n1;Ana;Ruiz\n'));
    assert.match(other.reason, /no column of the header matches/);
    assert.equal(other.line, 1);
  });

  it('refuses a header that lacks a column the mapping reads', async () => {
    const error = await refused(
      csv,
      Buffer.from('ID,FIRST,LAST,SEX,DOB,ENROLLED\n1,Ana,Ruiz,2,01/02/2010,09/01/2024\n'),
    );
    assert.equal(error.reason, 'the header lacks the column(s) GRADE');
    assert.match(error.message, /^in\.csv:1: file refused/);
  });

  it('refuses binary junk, bytes that are not UTF-8, an empty file, an unclosed quote', async () => {
    const junk = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
    ]);
    assert.match((await refused(csv, junk)).reason, /not valid UTF-8|binary data/);
    assert.match((await refused(csv, Buffer.from('ID,FIRST\u0000\n'))).reason, /binary data/);
    assert.match(
      (await refused(csv, iconv.encode(`${HEADER}\n1,Muñoz`, 'latin1'))).reason,
      /not valid UTF-8/,
    );
    assert.match((await refused(csv, Buffer.from(''))).reason, /empty/);
    assert.match(
      (await refused(csv, Buffer.from(`${HEADER}\n1,"Ana,Ruiz,2\n`))).reason,
      /not readable as CSV/,
    );
  });

  it('streams: the first children come out before the end of an endless file', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced++;
        this.push(`${produced},Ana,Ruiz,2,01/02/2010,09/01/2024,1\n`);
      },
    });
    endless.unshift(`${HEADER}\n`);
    let seen = 0;
    for await (const r of csv.read(endless, { fileName: 'endless.csv' })) {
      assert.equal(r.kind, 'document');
      if (++seen === 2000) break;
    }
    endless.destroy();
    assert.equal(seen, 2000);
    assert.ok(produced < 100_000, `read ahead ${produced} rows`);
  }).timeout(20_000);
});
