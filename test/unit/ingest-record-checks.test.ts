// What ingest checks on each mapped record, beyond the schema: age for the grade, the eligibility
// end filled in when missing, deletes, and the rejects' shape.
import assert from 'node:assert/strict';
import { generateDemoDataset } from '../../src/demo/index.js';
import { eligibilityExpirationDate } from '../../src/exchange/eligibility.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import {
  checkMappedRecord,
  gradeAgeErrors,
  plausibleAges,
  withEligibilityDefaults,
} from '../../src/ingest/index.js';
import type { MappedRecord } from '../../src/ingest/index.js';
import { formatReject, rejectsCsv } from '../../src/ingest/index.js';
import { documentFor } from '../helpers/ingest-data.js';

const today = '2025-11-03';
const upsert = (document: ExchangeDocument): MappedRecord => ({
  kind: 'document',
  row: 7,
  rows: [7],
  key: document.student.stateStudentId,
  action: 'upsert',
  document,
});

describe('ingest record checks', () => {
  it('accepts the usual ages for each grade and refuses a 4-year-old in grade 09', () => {
    assert.deepEqual(plausibleAges('09'), { min: 12, max: 19 });
    assert.deepEqual(plausibleAges('KG'), { min: 3, max: 10 });
    assert.deepEqual(plausibleAges('P3'), { min: 2, max: 5 });
    assert.deepEqual(plausibleAges('12'), { min: 15, max: 22 });
    const doc = documentFor('G1');
    doc.student.birthDate = '2019-06-01';
    doc.enrollments[0]!.grade = '09';
    const [error] = gradeAgeErrors(doc);
    assert.equal(error?.path, 'enrollments[0].grade');
    assert.match(
      error!.reason,
      /aged 4 on the enrollment date 2023-09-11 .*accepted ages 12 to 19/,
    );
  });

  it('accepts every document of the demo generator (ages 0 to 21, grades held back a year)', () => {
    const dataset = generateDemoDataset({ children: 400, seed: 3 });
    for (const docs of Object.values(dataset.byState)) {
      for (const doc of docs) {
        const checked = checkMappedRecord(upsert(doc), { today: dataset.today });
        assert.equal(checked.kind, 'upsert', JSON.stringify(checked));
      }
    }
  });

  it('computes a missing eligibility end: 36 months, the day before 22, or graduation', () => {
    const doc = documentFor('E1');
    delete doc.qualifyingMoves[0]!.eligibilityExpirationDate;
    const filled = withEligibilityDefaults(doc);
    // The child graduated on 2025-06-06, before the 36 months ran out.
    assert.equal(filled.qualifyingMoves[0]!.eligibilityExpirationDate, '2025-06-06');
    delete doc.enrollments[0]!.graduationDate;
    assert.equal(
      withEligibilityDefaults(doc).qualifyingMoves[0]!.eligibilityExpirationDate,
      eligibilityExpirationDate({ qualifyingArrivalDate: '2023-09-05', birthDate: '2006-05-20' }),
    );
    assert.equal(doc.qualifyingMoves[0]!.eligibilityExpirationDate, undefined, 'input untouched');
    const sent = documentFor('E2');
    assert.equal(withEligibilityDefaults(sent), sent, 'a date the state sent is kept');
  });

  it('rejects with every error at once, each naming its row and target', () => {
    const doc = documentFor('R1');
    doc.student.birthDate = '2019-06-01';
    doc.student.sex = 'Q' as 'M';
    const checked = checkMappedRecord(upsert(doc), { today });
    assert.equal(checked.kind, 'reject');
    if (checked.kind !== 'reject') return;
    const targets = checked.problems.map((p) => p.target);
    assert.ok(targets.includes('student.sex'), targets.join());
    assert.ok(targets.includes('enrollments[0].grade'), targets.join());
    assert.ok(checked.problems.every((p) => p.row === 7));
  });

  it('takes a delete by student ID alone, and rejects one without an ID', () => {
    const del = (id: unknown): MappedRecord => ({
      kind: 'document',
      row: 3,
      rows: [3],
      key: String(id ?? ''),
      action: 'delete',
      document: { student: { stateStudentId: id } } as never,
    });
    assert.deepEqual(checkMappedRecord(del('S-1'), { today }), {
      kind: 'delete',
      row: 3,
      stateStudentId: 'S-1',
    });
    assert.equal(checkMappedRecord(del('x'.repeat(16)), { today }).kind, 'reject');
  });

  it('prints a reject as file:row field → target: reason, and writes CSV safe for spreadsheets', () => {
    const reject = {
      file: 'ca.csv',
      row: 14,
      field: 'BIRTH_DATE',
      target: 'student.birthDate',
      value: '=HYPERLINK("http://x")',
      reason: 'is not a date, "MM/DD/YYYY"',
    };
    assert.equal(
      formatReject(reject),
      `ca.csv:14 BIRTH_DATE → student.birthDate: is not a date, "MM/DD/YYYY" (value '=HYPERLINK("http://x")')`,
    );
    assert.equal(
      rejectsCsv([reject]),
      'file,row,field,target,value,reason\r\n' +
        `ca.csv,14,BIRTH_DATE,student.birthDate,"'=HYPERLINK(""http://x"")","is not a date, ""MM/DD/YYYY"""\r\n`,
    );
  });
});
