/**
 * Pieces shared by the four native writers. Each state writes its own codes; the canonical codes
 * come in, and a table per code set says what the state prints instead.
 */
import type { Enrollment, ExchangeDocument, QualifyingMove } from '../exchange/types.js';
import { monthOf } from './calendar.js';
import type { DemoCountry } from './places.js';

/** Canonical code → the state's own code, complete over the canonical set. */
export type Crosswalk<C extends string> = Readonly<Record<C, string>>;

/**
 * The qualifying move an enrollment follows: the latest QAD on or before the enrollment date.
 * The CSV and fixed-width layouts print it on each enrollment line, as MSIX does.
 */
export function moveOf(doc: ExchangeDocument, enrollment: Enrollment): QualifyingMove {
  let found: QualifyingMove | undefined;
  for (const move of doc.qualifyingMoves) {
    if (move.qualifyingArrivalDate <= enrollment.enrollmentDate) {
      if (!found || move.qualifyingArrivalDate > found.qualifyingArrivalDate) found = move;
    }
  }
  if (!found) {
    throw new RangeError(
      `student ${doc.student.stateStudentId}: enrollment of ${enrollment.enrollmentDate} precedes every QAD`,
    );
  }
  return found;
}

/**
 * The canonical type 03 is "summer or intersession"; the states print the two apart, and the
 * month tells which: a project that starts in June, July or August is a summer one.
 */
export function isIntersession(enrollment: Enrollment): boolean {
  const month = monthOf(enrollment.enrollmentDate);
  return enrollment.enrollmentType === '03' && (month < 6 || month > 8);
}

export function flag(value: boolean | undefined, yes: string, no: string): string {
  return value === undefined ? '' : value ? yes : no;
}

export function code<C extends string>(table: Crosswalk<C>, value: C | undefined): string {
  return value === undefined ? '' : table[value];
}

/** Digits of a canonical `NNN-NNN-NNNN` phone number. */
export function phoneDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length !== 10) throw new RangeError(`not a 10-digit phone number: ${phone}`);
  return digits;
}

export function alternateId(doc: ExchangeDocument, type: string): string | undefined {
  return doc.student.alternateIds?.find((a) => a.type === type)?.id;
}

/** A country's code in a state's table; a country the table lacks is an error, not a blank. */
export function countryCode(table: Crosswalk<DemoCountry>, value: string | undefined): string {
  if (value === undefined) return '';
  const found = (table as Readonly<Record<string, string>>)[value];
  if (found === undefined) throw new RangeError(`no code for country ${value}`);
  return found;
}
