/**
 * Fixed-width input: record types told apart by a column, child lines under their student line,
 * positions as a manual prints them, and hostile lines (cut short, of an unknown type).
 */
import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import {
  compileMapping,
  FileRefusedError,
  loadMapping,
  type CompiledMapping,
  type MappedRecord,
} from '../../src/mapping/index.js';

/** S: student, E: enrollment; 40 characters a record; H and T are a header and a trailer. */
const yaml = `
format: fixed-width
input:
  encoding: iso-8859-1
  recordLength: 40
  recordType: 1
  ignore: [H, T]
  records:
    S: { ID: 2-6, NAME: 7-21, SEX: 22, DOB: 23-30 }
    E: { ID: 2-6, ENTERED: 7-14, GRADE: 15-16, HOURS: 17-20 }
grouping: { key: 2-6, start: S }
fields:
  student:
    from: S
    stateStudentId: ID
    stateStudentIdType: { value: '01' }
    firstName: { source: NAME, transforms: [{ splitName: { format: 'FIRST LAST', part: FIRST } }] }
    lastName1: { source: NAME, transforms: [{ splitName: { format: 'FIRST LAST', part: LAST } }] }
    sex: { source: SEX, crosswalk: { F: F, M: M } }
    birthDate: { source: DOB, transforms: [{ date: YYYYMMDD }] }
  enrollments:
    each: E
    enrollmentDate: { source: ENTERED, transforms: [{ date: YYYYMMDD }] }
    enrollmentType: { value: '01' }
    grade: GRADE
`;

function rec(...fields: [string, number][]): string {
  return fields
    .map(([v, w]) => v.padEnd(w, ' '))
    .join('')
    .padEnd(40, ' ');
}
const S = (id: string, name: string, sex = 'F', dob = '20100102') =>
  rec(['S', 1], [id, 5], [name, 15], [sex, 1], [dob, 8]);
const E = (id: string, entered: string, grade = '03') =>
  rec(['E', 1], [id, 5], [entered, 8], [grade, 2], ['0060', 4]);
const file = (lines: string[]) => iconv.encode(lines.map((l) => `${l}\r\n`).join(''), 'latin1');

async function read(
  mapping: CompiledMapping,
  input: Buffer | NodeJS.ReadableStream,
): Promise<MappedRecord[]> {
  const out: MappedRecord[] = [];
  for await (const r of mapping.read(input, { fileName: 'in.dat' })) out.push(r);
  return out;
}

const summary = (records: MappedRecord[]) =>
  records.map((r) =>
    r.kind === 'document'
      ? {
          rows: r.rows,
          key: r.key,
          name: r.document.student.firstName,
          enrollments: r.document.enrollments.map((e) => `${e.enrollmentDate} ${e.grade}`),
        }
      : {
          row: r.row,
          key: r.key,
          reject: r.errors.map((e) => `${e.row}:${e.field ?? ''}:${e.reason}`),
        },
  );

describe('fixed-width input', () => {
  let fw: CompiledMapping;
  before(async () => {
    fw = await compileMapping(yaml, 'mappings/fw.yaml');
  });

  it('makes one child of a student line and the lines under it; skips ignored record types', async () => {
    const input = file([
      rec(['H', 1], ['HEADER', 10]),
      S('00001', 'Iñés Peña'),
      E('00001', '20240901'),
      E('00001', '20250106', '04'),
      S('00002', 'Noé Gil', 'M'),
      rec(['T', 1], ['2', 5]),
    ]);
    assert.deepStrictEqual(summary(await read(fw, input)), [
      {
        rows: [2, 3, 4],
        key: '00001',
        name: 'Iñés',
        enrollments: ['2024-09-01 03', '2025-01-06 04'],
      },
      { rows: [5], key: '00002', name: 'Noé', enrollments: [] },
    ]);
  });

  it('rejects a line cut short, for that line (its child), and goes on', async () => {
    const short = E('00001', '20240901').slice(0, 15);
    const input = file([
      S('00001', 'Ana Ruiz'),
      short,
      S('00002', 'Noé Gil', 'M'),
      E('00002', '20240901'),
    ]);
    assert.deepStrictEqual(summary(await read(fw, input)), [
      {
        row: 1,
        key: '00001',
        reject: ['2::is 15 characters long; every record is 40 (the line is cut short)'],
      },
      { rows: [3, 4], key: '00002', name: 'Noé', enrollments: ['2024-09-01 03'] },
    ]);
  });

  it('without a record length, a line is cut short when it ends before the fields it holds', async () => {
    const loose = await compileMapping(yaml.replace('  recordLength: 40\n', ''), 'm.yaml');
    const input = file([S('00001', 'Ana Ruiz').trimEnd(), E('00001', '20240901').slice(0, 11)]);
    assert.deepStrictEqual(summary(await read(loose, input)), [
      {
        row: 1,
        key: '00001',
        reject: ["2::is cut short: 11 characters, and the E record's fields run to 20"],
      },
    ]);
  });

  it('a line of an unknown record type rejects the child it sits in; a first one refuses the file', async () => {
    const input = file([
      S('00001', 'Ana Ruiz'),
      rec(['X', 1], ['00001', 5]),
      S('00002', 'Noé Gil', 'M'),
    ]);
    assert.deepStrictEqual(summary(await read(fw, input)), [
      { row: 1, key: '00001', reject: ["2:1:record type 'X' (at 1) is none of S, E"] },
      { rows: [3], key: '00002', name: 'Noé', enrollments: [] },
    ]);
    await assert.rejects(read(fw, file([rec(['X', 1])])), (e: unknown) => {
      assert.ok(e instanceof FileRefusedError);
      assert.equal(e.line, 1);
      assert.match(e.reason, /not the fixed-width file the mapping describes/);
      return true;
    });
  });

  it('child lines before any student line, and a bad value, are rejects naming positions', async () => {
    const input = file([
      E('00009', '20240901'),
      S('00001', 'Ana Ruiz', 'F', '20100230'),
      E('00001', '20240901', '3'),
    ]);
    const records = await read(fw, input);
    assert.deepStrictEqual(summary(records), [
      { row: 1, key: '00009', reject: ['1::the group has no S record for the student'] },
      {
        row: 2,
        key: '00001',
        reject: [
          '2:23-30:is not a real calendar date (YYYYMMDD)',
          "3:15-16:is not a grade level (map the file's codes with a crosswalk)",
        ],
      },
    ]);
    const bad = records[1];
    assert.deepStrictEqual(bad?.kind === 'reject' && bad.errors.map((e) => [e.target, e.value]), [
      ['student.birthDate', '20100230'],
      ['enrollments[0].grade', '3'],
    ]);
  });

  it('refuses a file of binary junk', async () => {
    await assert.rejects(read(fw, Buffer.from([0x53, 0x00, 0x01, 0x02, 0x0a])), FileRefusedError);
  });

  it('reads the Texas layout with its ISO-8859-1 names', async () => {
    const tx = await loadMapping('mappings/tx-fixed-width.yaml');
    const sample = new URL('../fixtures/mappings/tx-sample.dat', import.meta.url);
    const records = await read(tx, createReadStream(sample));
    const latin1 = readFileSync(sample, 'latin1');
    assert.ok(/[ñáéíóú]/.test(latin1));
    const names = records.flatMap((r) =>
      r.kind === 'document' ? [r.document.student.lastName1] : [],
    );
    assert.ok(
      names.some((n) => /[ñáéíóú]/.test(n)),
      names.join(', '),
    );
  });

  it('streams: children come out before the end of an endless file', async () => {
    let n = 0;
    const endless = new Readable({
      read() {
        n++;
        this.push(
          iconv.encode(
            `${S(String(n).padStart(5, '0'), 'Ana Ruiz')}\r\n${E(String(n).padStart(5, '0'), '20240901')}\r\n`,
            'latin1',
          ),
        );
      },
    });
    let seen = 0;
    for await (const r of fw.read(endless, { fileName: 'endless.dat' })) {
      assert.equal(r.kind, 'document');
      if (++seen === 2000) break;
    }
    endless.destroy();
    assert.ok(n < 50_000, `read ahead ${n} children`);
  }).timeout(20_000);
});
