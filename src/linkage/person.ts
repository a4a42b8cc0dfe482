/**
 * What linkage compares of a student record: the identifying fields of the exchange schema's
 * student (DESIGN.md section 4), already normalised once so that each of many comparisons of the
 * same record does not normalise it again.
 */
import type { Student } from '../exchange/types.js';
import { givenTokens, normaliseName, normaliseSurnames } from './normalise.js';
import type { NormalisedSurnames } from './normalise.js';

/** The identifying fields of a record as stored (a student_records row or a document's student). */
export interface LinkageFields {
  firstName: string;
  middleName?: string | null;
  lastName1: string;
  lastName2?: string | null;
  sex: string;
  birthDate: string;
  multipleBirth?: boolean | null;
  birthCity?: string | null;
  birthState?: string | null;
  birthCountry?: string | null;
  parent1FirstName?: string | null;
  parent1LastName?: string | null;
  parent2FirstName?: string | null;
  parent2LastName?: string | null;
}

export interface LinkagePerson {
  given: string[];
  /** The whole first name, normalised. */
  firstName: string;
  surnames: NormalisedSurnames;
  sex: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  multipleBirth: boolean;
  birthCity: string;
  birthState: string;
  birthCountry: string;
  /** Each parent as `FIRST LAST`, normalised; empty when none is known. */
  parents: string[];
}

export function linkageFieldsOf(student: Student): LinkageFields {
  return {
    firstName: student.firstName,
    middleName: student.middleName ?? null,
    lastName1: student.lastName1,
    lastName2: student.lastName2 ?? null,
    sex: student.sex,
    birthDate: student.birthDate,
    multipleBirth: student.multipleBirth ?? null,
    birthCity: student.birthCity ?? null,
    birthState: student.birthState ?? null,
    birthCountry: student.birthCountry ?? null,
    parent1FirstName: student.parent1?.firstName ?? null,
    parent1LastName: student.parent1?.lastName ?? null,
    parent2FirstName: student.parent2?.firstName ?? null,
    parent2LastName: student.parent2?.lastName ?? null,
  };
}

function parentName(first: string | null | undefined, last: string | null | undefined): string {
  return normaliseName(`${first ?? ''} ${last ?? ''}`);
}

/** A date as the driver returns it (string, or a Date on some drivers) → `YYYY-MM-DD`. */
export function isoDateOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

export function linkagePerson(fields: LinkageFields): LinkagePerson {
  const parents = [
    parentName(fields.parent1FirstName, fields.parent1LastName),
    parentName(fields.parent2FirstName, fields.parent2LastName),
  ].filter((p) => p.includes(' '));
  return {
    given: givenTokens(fields.firstName),
    firstName: normaliseName(fields.firstName),
    surnames: normaliseSurnames(fields.lastName1, fields.lastName2),
    sex: String(fields.sex ?? '').trim(),
    birthDate: isoDateOf(fields.birthDate),
    multipleBirth: fields.multipleBirth === true || Number(fields.multipleBirth) === 1,
    birthCity: normaliseName(fields.birthCity),
    birthState: String(fields.birthState ?? '').trim(),
    birthCountry: String(fields.birthCountry ?? '').trim(),
    parents,
  };
}
