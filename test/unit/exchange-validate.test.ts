import assert from 'node:assert/strict';
import { completeExampleDocument } from '../../src/exchange/example-document.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import {
  toFieldPath,
  validateExchangeDocument,
  type ExchangeError,
} from '../../src/exchange/validate.js';

const today = '2025-08-01';

/** A fresh, valid, fully populated document to break one field of. */
function sample(): ExchangeDocument {
  return structuredClone(completeExampleDocument);
}

/** Loosely typed access for documents the tests break on purpose. */
type Fields = Record<string, unknown>;
interface LooseDocument {
  student: Fields & { parent1: Fields };
  qualifyingMoves: Fields[];
  enrollments: Fields[];
  courses: Fields[];
}
function loose(doc: ExchangeDocument): LooseDocument {
  return doc as unknown as LooseDocument;
}

function errorsOf(doc: unknown, options = { today }): ExchangeError[] {
  const result = validateExchangeDocument(doc, options);
  assert.equal(result.ok, false, 'expected the document to be rejected');
  return result.ok ? [] : result.errors;
}

function assertOnlyError(doc: unknown, path: string, reason?: RegExp): ExchangeError {
  const errors = errorsOf(doc);
  assert.deepEqual(
    errors.map((e) => e.path),
    [path],
    JSON.stringify(errors, null, 2),
  );
  const [error] = errors;
  if (reason) assert.match(error!.reason, reason);
  return error!;
}

function assertValid(doc: unknown, options = { today }): void {
  const result = validateExchangeDocument(doc, options);
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.errors, null, 2));
}

describe('validateExchangeDocument', () => {
  it('accepts a fully populated document and returns it typed', () => {
    const doc = sample();
    const result = validateExchangeDocument(doc, { today });
    assert.ok(result.ok);
    assert.equal(result.document, doc);
    assert.equal(result.document.student.lastName1, 'Hernández');
  });

  it('accepts a minimal document: only the required fields', () => {
    assertValid({
      student: {
        stateStudentId: 'TX1',
        stateStudentIdType: '02',
        firstName: 'Ana',
        lastName1: 'Pérez',
        sex: 'F',
        birthDate: '2015-01-01',
      },
      qualifyingMoves: [{ qualifyingArrivalDate: '2024-02-29', toState: 'TX' }],
      enrollments: [{ enrollmentDate: '2024-03-04', enrollmentType: '06', grade: '03' }],
      courses: [],
      assessments: [],
    });
  });

  describe('business rules', () => {
    it('rejects a child with no qualifying move', () => {
      const doc = sample();
      doc.qualifyingMoves = [];
      assertOnlyError(doc, 'qualifyingMoves', /at least one qualifying move/);
      const missing: Partial<ExchangeDocument> = sample();
      delete missing.qualifyingMoves;
      assertOnlyError(missing, 'qualifyingMoves', /^is required$/);
    });

    it('limits stateStudentId to 15 characters', () => {
      const doc = sample();
      doc.student.stateStudentId = 'A'.repeat(15);
      assertValid(doc);
      doc.student.stateStudentId = 'A'.repeat(16);
      assertOnlyError(doc, 'student.stateStudentId', /at most 15 characters; got 16/);
    });

    it('takes only real calendar days', () => {
      const doc = sample();
      doc.enrollments[0]!.withdrawalDate = '2025-02-30';
      const error = assertOnlyError(doc, 'enrollments[0].withdrawalDate', /real calendar date/);
      assert.equal(error.value, '2025-02-30');

      const leap = sample();
      leap.assessments[0]!.administrationDate = '2024-02-29';
      assertValid(leap);
      leap.assessments[0]!.administrationDate = '2023-02-29';
      assertOnlyError(leap, 'assessments[0].administrationDate');
      leap.assessments[0]!.administrationDate = '05/14/2024';
      assertOnlyError(leap, 'assessments[0].administrationDate', /YYYY-MM-DD; got '05\/14\/2024'/);
    });

    it('rejects a birth date in the future, judged against the given day', () => {
      const doc = sample();
      doc.student.birthDate = '2025-08-02';
      doc.qualifyingMoves[0]!.qualifyingArrivalDate = '2025-08-02';
      doc.enrollments = [];
      doc.qualifyingMoves[0]!.eligibilityExpirationDate = '2025-08-02';
      assertOnlyError(doc, 'student.birthDate', /in the future \(today is 2025-08-01\)/);
      assertValid(doc, { today: '2025-08-02' });
      // Without `today`, the clock decides: a birth date in 9999 is in the future for a while yet.
      doc.student.birthDate = '9999-01-01';
      assert.equal(validateExchangeDocument(doc).ok, false);
    });

    it('rejects a birth date after a qualifying arrival or an enrollment', () => {
      const afterQad = sample();
      afterQad.student.birthDate = '2023-09-12';
      const errors = errorsOf(afterQad);
      assert.deepEqual(
        errors.map((e) => [e.path, e.reason]),
        [
          ['student.birthDate', 'is after qualifyingMoves[0].qualifyingArrivalDate (2023-09-05)'],
          ['student.birthDate', 'is after enrollments[0].enrollmentDate (2023-09-11)'],
        ],
      );
      const onQad = sample();
      onQad.student.birthDate = '2023-09-05';
      onQad.enrollments[0]!.enrollmentDate = '2023-09-05';
      assertValid(onQad);
    });

    it('rejects a withdrawal before the enrollment', () => {
      const doc = sample();
      doc.enrollments[0]!.withdrawalDate = '2023-09-10';
      assertOnlyError(
        doc,
        'enrollments[0].withdrawalDate',
        /before the enrollment date \(2023-09-11\)/,
      );
      doc.enrollments[0]!.withdrawalDate = '2023-09-11';
      assertValid(doc);
    });

    it('rejects an eligibility expiration before the QAD', () => {
      const doc = sample();
      doc.qualifyingMoves[0]!.eligibilityExpirationDate = '2023-09-04';
      assertOnlyError(
        doc,
        'qualifyingMoves[0].eligibilityExpirationDate',
        /before the qualifying arrival date \(2023-09-05\)/,
      );
      doc.qualifyingMoves[0]!.eligibilityExpirationDate = '2023-09-05';
      assertValid(doc);
    });

    it('wants NCES IDs: 12-digit schools, 7-digit districts', () => {
      const school = sample();
      school.enrollments[0]!.schoolId = '06990019000';
      assertOnlyError(
        school,
        'enrollments[0].schoolId',
        /12-digit NCES school ID; got '06990019000'/,
      );
      school.enrollments[0]!.schoolId = '06990019000A';
      assertOnlyError(school, 'enrollments[0].schoolId');
      const district = sample();
      district.enrollments[0]!.districtId = '06990011';
      assertOnlyError(district, 'enrollments[0].districtId', /7-digit NCES district/);
    });

    it('wants a school ID that starts with its district ID', () => {
      const doc = sample();
      doc.enrollments[0]!.schoolId = '069900290001';
      assertOnlyError(
        doc,
        'enrollments[0].schoolId',
        /does not start with its district ID 0699001/,
      );
      delete doc.enrollments[0]!.districtId;
      assertValid(doc);
    });

    it('rejects a course that ends before it begins', () => {
      const doc = sample();
      doc.courses[0]!.beginYear = 2024;
      doc.courses[0]!.endYear = 2023;
      const error = assertOnlyError(doc, 'courses[0].endYear', /before beginYear \(2024\)/);
      assert.equal(error.value, '2023');
      doc.courses[0]!.endYear = 2024;
      assertValid(doc);
    });

    it('rejects negative clock hours and credits', () => {
      const hours = sample();
      hours.courses[0]!.clockHours = -1;
      assertOnlyError(hours, 'courses[0].clockHours', /0 or more; got -1/);
      const credits = sample();
      credits.courses[0]!.creditsGranted = -0.5;
      assertOnlyError(credits, 'courses[0].creditsGranted');
      credits.courses[0]!.creditsGranted = 0;
      credits.courses[0]!.clockHours = 0;
      assertValid(credits);
    });
  });

  describe('schema errors in words', () => {
    it('lists the codes of the set a code must come from', () => {
      const doc = loose(sample());
      doc.enrollments[0]!.grade = '13';
      const error = assertOnlyError(doc, 'enrollments[0].grade');
      assert.equal(
        error.reason,
        "must be one of the grade levels P0, P1, P2, P3, P4, P5, KG, 01, 02, 03, 04, 05, 06, 07, 08, 09, 10, 11, 12, UG, OS; got '13'",
      );
      assert.equal(error.value, '13');
    });

    it('shortens long code lists', () => {
      const doc = loose(sample());
      doc.student.birthCountry = 'MEX';
      const error = assertOnlyError(doc, 'student.birthCountry');
      assert.match(
        error.reason,
        /^must be one of the NCES .* country codes CA, US, MX, .*\(\d+ codes in all\); got 'MEX'$/,
      );
    });

    it('names missing, unknown and mistyped fields once each', () => {
      const doc = loose(sample());
      delete doc.student.firstName;
      doc.student.nickname = 'Pepe';
      doc.qualifyingMoves[0]!.toState = 6;
      doc.enrollments[0]!.iep = 'no';
      assert.deepEqual(errorsOf(doc), [
        { path: 'student.firstName', reason: 'is required' },
        {
          path: 'student.nickname',
          reason: 'is not a field of the exchange document',
          value: 'Pepe',
        },
        {
          path: 'qualifyingMoves[0].toState',
          reason: 'must be a string; got an integer',
          value: '6',
        },
        { path: 'enrollments[0].iep', reason: 'must be a boolean; got a string', value: 'no' },
      ]);
    });

    it('rejects empty strings and bad e-mail addresses', () => {
      const doc = loose(sample());
      doc.student.middleName = '';
      doc.student.parent1!.email = 'not an address';
      assert.deepEqual(
        errorsOf(doc).map((e) => [e.path, e.reason]),
        [
          ['student.middleName', 'must not be empty'],
          ['student.parent1.email', "must be an e-mail address; got 'not an address'"],
        ],
      );
    });

    it('truncates the value shown to 80 characters', () => {
      const doc = sample();
      doc.student.stateStudentId = 'x'.repeat(500);
      const error = assertOnlyError(doc, 'student.stateStudentId');
      assert.equal(error.value!.length, 80);
      assert.ok(error.value!.endsWith('…'));
    });

    it('reports schema and rule errors together', () => {
      const doc = loose(sample());
      doc.enrollments[0]!.grade = 'K';
      doc.enrollments[0]!.withdrawalDate = '2020-01-01';
      doc.courses[0]!.endYear = 2000;
      assert.deepEqual(
        errorsOf(doc).map((e) => e.path),
        ['enrollments[0].grade', 'enrollments[0].withdrawalDate', 'courses[0].endYear'],
      );
    });

    it('rejects what is not a document at all', () => {
      assert.deepEqual(errorsOf(42), [
        { path: '(document)', reason: 'must be an object; got an integer', value: '42' },
      ]);
      assert.deepEqual(
        errorsOf({}).map((e) => e.path),
        ['student', 'qualifyingMoves', 'enrollments', 'courses', 'assessments'],
      );
      assert.deepEqual(
        errorsOf(null).map((e) => e.reason),
        ['must be an object; got null'],
      );
    });

    it('refuses a malformed `today`', () => {
      assert.throws(() => validateExchangeDocument(sample(), { today: '2025-13-01' }), RangeError);
    });
  });

  it('writes JSON Pointers as field paths', () => {
    assert.equal(toFieldPath(''), '(document)');
    assert.equal(toFieldPath('', 'student'), 'student');
    assert.equal(toFieldPath('/enrollments/0/grade'), 'enrollments[0].grade');
    assert.equal(toFieldPath('/student/parent1', 'email'), 'student.parent1.email');
    assert.equal(toFieldPath('/a~1b/c~0d'), 'a/b.c~d');
  });
});
