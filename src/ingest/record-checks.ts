/**
 * What ingest checks on each mapped record before it is stored, beyond the mapping itself: the
 * exchange schema and its business rules (src/exchange/validate.ts), a missing eligibility
 * expiration date filled in (src/exchange/eligibility.ts), and a birth date plausible for each
 * enrollment's grade.
 */
import type { GradeLevel } from '../exchange/code-sets.js';
import { ageOn, eligibilityExpirationDate } from '../exchange/eligibility.js';
import { compareIsoDates, isIsoDate } from '../exchange/dates.js';
import type { ExchangeDocument, IsoDate } from '../exchange/types.js';
import { displayValue, type ExchangeError } from '../exchange/business-rules.js';
import { validateExchangeDocument } from '../exchange/validate.js';
import type { MappedRecord, MappingProblem } from './mapping-contract.js';

/** One thing wrong with a record; `row` is the file's 1-based row, line or record number. */
export type RecordProblem = MappingProblem;

export type CheckedRecord =
  | { kind: 'upsert'; row: number; stateStudentId: string; document: ExchangeDocument }
  | { kind: 'delete'; row: number; stateStudentId: string }
  | { kind: 'reject'; row: number; key?: string; problems: RecordProblem[] };

export interface CheckOptions {
  /** The day "not in the future" is judged against (YYYY-MM-DD). */
  today: IsoDate;
}

/** MSIX "State Student ID" is at most 15 characters (json-schema.ts). */
const STATE_STUDENT_ID_MAX = 15;

/**
 * Ages (whole years, on the enrollment date) accepted for each grade. A child in grade n (01-12,
 * KG = 0) is typically n+5 on 1 September, so n+5 or n+6 during the school year. The band allows
 * two years younger (a child who skipped grades) and four years older (children held back, or
 * placed below their age after interrupted schooling, which migratory children often are), so
 * grade 09 accepts ages 12 to 19 and refuses a 4-year-old. P0-P5 are ages by definition (MDE
 * "Grade Level": P3 is "age 3, not in kindergarten"): one year younger to two years older, since a
 * pre-K enrollment may run past a birthday. UG (ungraded) covers school ages 3 to 22; OS
 * (out-of-school youth) starts at 10: a younger child out of school is P-graded or in a grade.
 * The upper limit is 22, a year past the age limit of 34 CFR 200.103(a), so an enrollment of the
 * last eligible year is never refused on age alone.
 */
export function plausibleAges(grade: GradeLevel): { min: number; max: number } {
  if (grade === 'UG') return { min: 3, max: 22 };
  if (grade === 'OS') return { min: 10, max: 22 };
  if (grade.startsWith('P')) {
    const age = Number(grade.slice(1));
    return { min: Math.max(0, age - 1), max: age + 2 };
  }
  const n = grade === 'KG' ? 0 : Number(grade);
  return { min: n + 3, max: n + 10 };
}

function gradeLabel(grade: string): string {
  return grade === 'KG' ? 'kindergarten' : /^P\d$/.test(grade) ? grade : `grade ${grade}`;
}

const GRADE = /^(P[0-5]|KG|0[1-9]|1[0-2]|UG|OS)$/;

/**
 * Enrollments whose grade does not fit the child's age on the enrollment date. Runs on any
 * document: a malformed date or grade is skipped here (the schema check reports it).
 */
export function gradeAgeErrors(doc: ExchangeDocument): ExchangeError[] {
  const birthDate = doc.student?.birthDate;
  if (!isIsoDate(birthDate) || !Array.isArray(doc.enrollments)) return [];
  const errors: ExchangeError[] = [];
  doc.enrollments.forEach((enrollment, i) => {
    const on = enrollment?.enrollmentDate;
    const grade = enrollment?.grade;
    if (!isIsoDate(on) || typeof grade !== 'string' || !GRADE.test(grade)) return;
    // A birth date after the enrollment is already a business-rule error.
    if (compareIsoDates(on, birthDate) < 0) return;
    const age = ageOn(birthDate, on);
    const { min, max } = plausibleAges(grade);
    if (age >= min && age <= max) return;
    errors.push({
      path: `enrollments[${i}].grade`,
      value: grade,
      reason:
        `${gradeLabel(grade)} is not plausible for a child aged ${age} on the enrollment date ` +
        `${on} (birth date ${birthDate}; accepted ages ${min} to ${max})`,
    });
  });
  return errors;
}

/**
 * The document with each qualifying move's missing eligibilityExpirationDate computed: QAD + 36
 * months, cut at the day before the 22nd birthday and at graduation or HSE (the earliest
 * graduationDate of the enrollments). Moves with a date already sent keep it. Left unfilled when
 * the dates it needs are not calendar dates: validation reports those.
 */
export function withEligibilityDefaults(doc: ExchangeDocument): ExchangeDocument {
  const moves = Array.isArray(doc.qualifyingMoves) ? doc.qualifyingMoves : [];
  const birthDate = doc.student?.birthDate;
  if (!moves.some((m) => m && m.eligibilityExpirationDate === undefined)) return doc;
  if (!isIsoDate(birthDate)) return doc;
  const graduations = (Array.isArray(doc.enrollments) ? doc.enrollments : [])
    .map((e) => e?.graduationDate)
    .filter(isIsoDate)
    .sort(compareIsoDates);
  const graduationDate = graduations[0];
  return {
    ...doc,
    qualifyingMoves: moves.map((move) => {
      if (!move || move.eligibilityExpirationDate !== undefined) return move;
      if (!isIsoDate(move.qualifyingArrivalDate)) return move;
      return {
        ...move,
        eligibilityExpirationDate: eligibilityExpirationDate({
          qualifyingArrivalDate: move.qualifyingArrivalDate,
          birthDate,
          graduationDate,
        }),
      };
    }),
  };
}

function problemOf(row: number, error: ExchangeError): RecordProblem {
  const problem: RecordProblem = { row, target: error.path, reason: error.reason };
  if (error.value !== undefined) problem.value = error.value;
  return problem;
}

function deletedStudentId(record: Extract<MappedRecord, { kind: 'document' }>): unknown {
  const student = (record.document as Partial<ExchangeDocument> | undefined)?.student;
  return student?.stateStudentId ?? record.key;
}

/** Checks one record the mapping produced, as of `options.today`. */
export function checkMappedRecord(record: MappedRecord, options: CheckOptions): CheckedRecord {
  if (record.kind === 'reject') {
    const checked: CheckedRecord = { kind: 'reject', row: record.row, problems: record.errors };
    if (record.key !== undefined) checked.key = record.key;
    return checked;
  }
  const { row, key } = record;
  if (record.action === 'delete') {
    // A delete needs only the student ID: the rest of the document is not checked.
    const id = deletedStudentId(record);
    if (typeof id === 'string' && id.trim() !== '' && id.length <= STATE_STUDENT_ID_MAX) {
      return { kind: 'delete', row, stateStudentId: id };
    }
    const value = displayValue(id);
    return {
      kind: 'reject',
      row,
      key,
      problems: [
        {
          row,
          target: 'student.stateStudentId',
          ...(value === undefined ? {} : { value }),
          reason: `a delete must name the student: 1 to ${STATE_STUDENT_ID_MAX} characters`,
        },
      ],
    };
  }
  const document = withEligibilityDefaults(record.document);
  const result = validateExchangeDocument(document, { today: options.today });
  const errors = [...(result.ok ? [] : result.errors), ...gradeAgeErrors(document)];
  if (!result.ok || errors.length > 0) {
    return { kind: 'reject', row, key, problems: errors.map((e) => problemOf(row, e)) };
  }
  return {
    kind: 'upsert',
    row,
    stateStudentId: result.document.student.stateStudentId,
    document: result.document,
  };
}
