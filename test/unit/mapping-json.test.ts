/**
 * JSON Lines and JSON input: path selectors into nested objects and arrays, a line that is not
 * JSON (a reject of that line), and files that are not JSON at all (refused).
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import {
  compileMapping,
  FileRefusedError,
  type CompiledMapping,
  type MappedRecord,
} from '../../src/mapping/index.js';

const fields = `
fields:
  student:
    stateStudentId: id
    stateStudentIdType: { value: '01' }
    firstName: name.first
    lastName1: "name['last name']"
    sex: { source: sex, crosswalk: { F: F, M: M } }
    birthDate: dob
    multipleBirth: { source: twin, crosswalk: { 'true': true, 'false': false } }
    parent1:
      from: guardians[0]
      firstName: first
      phone: phone
  enrollments:
    each: schools
    enrollmentDate: start
    enrollmentType: { value: '01' }
    grade: { source: grade, crosswalk: { '1': '01', '2': '02' } }
  courses:
    each: schools[*].courses
    title: title
    creditsGranted: credits
`;

const child = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id,
    name: { first: 'Ana', 'last name': 'Ruiz' },
    sex: 'F',
    dob: '2010-01-02',
    twin: false,
    guardians: [{ first: 'Rosa', phone: '555-555-0101' }],
    schools: [
      { start: '2024-09-01', grade: 1, courses: [{ title: 'Math', credits: 0.5 }] },
      { start: '2025-01-06', grade: '2' },
    ],
    ...extra,
  });

async function read(
  mapping: CompiledMapping,
  input: Buffer | NodeJS.ReadableStream,
): Promise<MappedRecord[]> {
  const out: MappedRecord[] = [];
  for await (const r of mapping.read(input, { fileName: 'in.json' })) out.push(r);
  return out;
}

describe('JSON Lines input', () => {
  let jsonl: CompiledMapping;
  before(async () => {
    jsonl = await compileMapping(`format: jsonl\n${fields}`, 'mappings/j.yaml');
  });

  it('maps nested objects and arrays by path; a JSON number or boolean is a value', async () => {
    const [r] = await read(jsonl, Buffer.from(`${child('1')}\n`));
    assert.equal(r?.kind, 'document');
    const doc = r?.kind === 'document' ? r.document : undefined;
    assert.equal(doc?.student.lastName1, 'Ruiz');
    assert.equal(doc?.student.multipleBirth, false);
    assert.deepStrictEqual(doc?.student.parent1, { firstName: 'Rosa', phone: '555-555-0101' });
    assert.deepStrictEqual(
      doc?.enrollments.map((e) => [e.enrollmentDate, e.grade]),
      [
        ['2024-09-01', '01'],
        ['2025-01-06', '02'],
      ],
    );
    assert.deepStrictEqual(doc?.courses, [{ title: 'Math', creditsGranted: 0.5 }]);
  });

  it('rejects a line that is not JSON, for that line only', async () => {
    const text = `${child('1')}\n{"id": "2", "name": \n\n${child('3')}\n[1, 2]\n`;
    const records = await read(jsonl, Buffer.from(text));
    assert.deepStrictEqual(
      records.map((r) =>
        r.kind === 'document'
          ? `${r.row}:${r.key}`
          : `${r.row}:${r.errors.map((e) => e.reason).join()}`,
      ),
      [
        '1:1',
        `2:is not JSON: ${errorOf('{"id": "2", "name": ')}`,
        '4:3',
        '5:is not a JSON object (it is a list)',
      ],
    );
  });

  it('names the JSON path of a value that does not map', async () => {
    const [r] = await read(
      jsonl,
      Buffer.from(
        `${child('1', {
          schools: [
            { start: '2024-09-01', grade: 1 },
            { start: '2025-02-30', grade: 9 },
          ],
        })}\n`,
      ),
    );
    assert.deepStrictEqual(r?.kind === 'reject' && r.errors, [
      {
        row: 1,
        field: 'schools[1].start',
        target: 'enrollments[1].enrollmentDate',
        value: '2025-02-30',
        reason: 'is not a real calendar date',
      },
      {
        row: 1,
        field: 'schools[1].grade',
        target: 'enrollments[1].grade',
        value: '9',
        reason: "code '9' is not in the crosswalk (1, 2)",
      },
    ]);
    const [obj] = await read(jsonl, Buffer.from(`${child('2', { dob: { y: 2010 } })}\n`));
    assert.equal(obj?.kind === 'reject' && obj.errors[0]?.reason, 'is an object, not one value');
  });

  it('refuses a file whose first line is not JSON: not JSON Lines at all', async () => {
    for (const junk of ['ID,FIRST,LAST\n1,Ana,Ruiz\n', '[\n' + child('1') + '\n]\n']) {
      await assert.rejects(read(jsonl, Buffer.from(junk)), (e: unknown) => {
        assert.ok(e instanceof FileRefusedError);
        assert.equal(e.line, 1);
        assert.match(e.reason, /this is not a JSON Lines file/);
        return true;
      });
    }
    await assert.rejects(read(jsonl, Buffer.from([0x7b, 0x00, 0x00, 0x7d, 0x0a])), /binary data/);
  });

  it('groups consecutive lines of a key into one child (one line per enrollment)', async () => {
    const grouped = await compileMapping(
      `format: jsonl\ngrouping: { key: id }\n${fields.replace('each: schools\n', 'each: school\n').replace(/ {2}courses:[\s\S]*$/, '')}`,
      'mappings/j.yaml',
    );
    const line = (id: string, start: string) => child(id, { school: { start, grade: 1 } });
    const text = [line('1', '2024-09-01'), line('1', '2025-01-06'), line('2', '2024-09-01')].join(
      '\n',
    );
    const records = await read(grouped, Buffer.from(`${text}\n`));
    assert.deepStrictEqual(
      records.map(
        (r) =>
          r.kind === 'document' && [
            r.key,
            r.rows,
            r.document.enrollments.map((e) => e.enrollmentDate),
          ],
      ),
      [
        ['1', [1, 2], ['2024-09-01', '2025-01-06']],
        ['2', [3], ['2024-09-01']],
      ],
    );
  });

  it('streams: children come out before the end of an endless file', async () => {
    let n = 0;
    const endless = new Readable({
      read() {
        this.push(`${child(String(++n))}\n`);
      },
    });
    let seen = 0;
    for await (const r of jsonl.read(endless, { fileName: 'endless.jsonl' })) {
      assert.equal(r.kind, 'document');
      if (++seen === 2000) break;
    }
    endless.destroy();
    assert.ok(n < 50_000, `read ahead ${n} lines`);
  }).timeout(20_000);
});

function errorOf(json: string): string {
  try {
    JSON.parse(json);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('JSON input', () => {
  it('streams the records of an array at a path', async () => {
    const json = await compileMapping(
      `format: json\ninput: { records: data.students }\n${fields}`,
      'mappings/j.yaml',
    );
    const text = `{"meta": {"count": 2}, "data": {"students": [${child('1')}, ${child('2', { sex: 'Q' })}]}}`;
    const records = await read(json, Buffer.from(text));
    assert.deepStrictEqual(
      records.map((r) => [r.kind, r.row, r.key]),
      [
        ['document', 1, '1'],
        ['reject', 2, '2'],
      ],
    );
  });

  it('reads a top-level array when no records path is given', async () => {
    const json = await compileMapping(`format: json\n${fields}`, 'mappings/j.yaml');
    const records = await read(json, Buffer.from(`[${child('1')},${child('2')}]`));
    assert.deepStrictEqual(
      records.map((r) => r.kind),
      ['document', 'document'],
    );
  });

  it('refuses JSON that is cut off, not JSON, or lacks the records array', async () => {
    const json = await compileMapping(
      `format: json\ninput: { records: students }\n${fields}`,
      'mappings/j.yaml',
    );
    await assert.rejects(
      read(json, Buffer.from(`{"students": [${child('1')}, {"id": `)),
      FileRefusedError,
    );
    await assert.rejects(read(json, Buffer.from('ID,FIRST\n1,Ana\n')), FileRefusedError);
    await assert.rejects(read(json, Buffer.from('{"pupils": []}')), /has no array at 'students'/);
  });
});
