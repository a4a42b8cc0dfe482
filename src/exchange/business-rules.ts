/**
 * Checks on an exchange document that JSON Schema cannot express: relations between fields.
 * They run on whatever parts of the document are well formed, so a document with schema errors
 * still gets every rule error at once; a field that is missing or malformed is skipped here (the
 * schema check reports it).
 */
import { compareIsoDates, isIsoDate } from './dates.js';
import type { IsoDate } from './types.js';

export interface ExchangeError {
  /** Where, e.g. `enrollments[0].grade`; `(document)` for the document itself. */
  path: string;
  reason: string;
  /** The offending value, as text, at most 80 characters. */
  value?: string;
}

const MAX_VALUE_LENGTH = 80;

export function displayValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

type Item = Record<string, unknown>;

function isItem(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function items(doc: Item, key: string): [number, Item][] {
  const list = doc[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, i): [number, Item][] => (isItem(item) ? [[i, item]] : []));
}

function dateOf(item: Item, key: string): IsoDate | undefined {
  const value = item[key];
  return isIsoDate(value) ? value : undefined;
}

function digits(item: Item, key: string, length: number): string | undefined {
  const value = item[key];
  return typeof value === 'string' && new RegExp(`^[0-9]{${length}}$`).test(value)
    ? value
    : undefined;
}

function error(path: string, reason: string, value: unknown): ExchangeError {
  const shown = displayValue(value);
  return shown === undefined ? { path, reason } : { path, reason, value: shown };
}

/** Every rule error of `doc`, judged as of `today`. */
export function businessRuleErrors(doc: unknown, today: IsoDate): ExchangeError[] {
  if (!isItem(doc)) return [];
  const errors: ExchangeError[] = [];
  const student = isItem(doc.student) ? doc.student : undefined;
  const birthDate = student ? dateOf(student, 'birthDate') : undefined;

  // A child cannot be born after today, nor after arriving or enrolling anywhere.
  if (birthDate !== undefined) {
    if (compareIsoDates(birthDate, today) > 0) {
      errors.push(error('student.birthDate', `is in the future (today is ${today})`, birthDate));
    }
    const laterFacts: [string, IsoDate | undefined][] = [
      ...items(doc, 'qualifyingMoves').map(([i, m]): [string, IsoDate | undefined] => [
        `qualifyingMoves[${i}].qualifyingArrivalDate`,
        dateOf(m, 'qualifyingArrivalDate'),
      ]),
      ...items(doc, 'enrollments').map(([i, e]): [string, IsoDate | undefined] => [
        `enrollments[${i}].enrollmentDate`,
        dateOf(e, 'enrollmentDate'),
      ]),
    ];
    for (const [where, day] of laterFacts) {
      if (day !== undefined && compareIsoDates(birthDate, day) > 0) {
        errors.push(error('student.birthDate', `is after ${where} (${day})`, birthDate));
      }
    }
  }

  for (const [i, move] of items(doc, 'qualifyingMoves')) {
    const qad = dateOf(move, 'qualifyingArrivalDate');
    const expiry = dateOf(move, 'eligibilityExpirationDate');
    // Eligibility runs from the QAD; an earlier end means the move never made the child eligible.
    if (qad !== undefined && expiry !== undefined && compareIsoDates(expiry, qad) < 0) {
      errors.push(
        error(
          `qualifyingMoves[${i}].eligibilityExpirationDate`,
          `is before the qualifying arrival date (${qad})`,
          expiry,
        ),
      );
    }
  }

  for (const [i, enrollment] of items(doc, 'enrollments')) {
    const start = dateOf(enrollment, 'enrollmentDate');
    const end = dateOf(enrollment, 'withdrawalDate');
    if (start !== undefined && end !== undefined && compareIsoDates(end, start) < 0) {
      errors.push(
        error(`enrollments[${i}].withdrawalDate`, `is before the enrollment date (${start})`, end),
      );
    }
    // An NCES school ID is its LEA's 7-digit ID followed by a 5-digit school number.
    const schoolId = digits(enrollment, 'schoolId', 12);
    const districtId = digits(enrollment, 'districtId', 7);
    if (schoolId !== undefined && districtId !== undefined && !schoolId.startsWith(districtId)) {
      errors.push(
        error(
          `enrollments[${i}].schoolId`,
          `does not start with its district ID ${districtId} (an NCES school ID is the 7-digit ` +
            'LEA ID followed by a 5-digit school number)',
          schoolId,
        ),
      );
    }
  }

  for (const [i, course] of items(doc, 'courses')) {
    const begin = course.beginYear;
    const end = course.endYear;
    if (Number.isInteger(begin) && Number.isInteger(end) && (end as number) < (begin as number)) {
      errors.push(error(`courses[${i}].endYear`, `is before beginYear (${String(begin)})`, end));
    }
  }

  return errors;
}
