/**
 * The exchange document (src/exchange/types.ts) as the mapping language sees it: every target field
 * with its type, its code set and whether the exchange requires it. The compiler checks a mapping's
 * `fields` against this catalogue, and crosswalk targets against the code sets, at load time.
 */
import { codeSets, type CodeSetName } from '../exchange/code-sets.js';

export type ScalarTarget =
  | { kind: 'string' }
  | { kind: 'date' }
  | { kind: 'boolean' }
  | { kind: 'number'; integer?: boolean }
  | { kind: 'code'; set: CodeSetName };

export interface ScalarField {
  kind: 'scalar';
  type: ScalarTarget;
  required?: boolean;
}

export interface ObjectField {
  kind: 'object';
  fields: Readonly<Record<string, Field>>;
}

export interface ListField {
  kind: 'list';
  item: ObjectField;
}

export type Field = ScalarField | ObjectField | ListField;

const text: ScalarField = { kind: 'scalar', type: { kind: 'string' } };
const requiredText: ScalarField = { ...text, required: true };
const date: ScalarField = { kind: 'scalar', type: { kind: 'date' } };
const flag: ScalarField = { kind: 'scalar', type: { kind: 'boolean' } };
const year: ScalarField = { kind: 'scalar', type: { kind: 'number', integer: true } };
const amount: ScalarField = { kind: 'scalar', type: { kind: 'number' } };
const code = (set: CodeSetName, required = false): ScalarField => ({
  kind: 'scalar',
  type: { kind: 'code', set },
  ...(required ? { required } : {}),
});
const object = (fields: Record<string, Field>): ObjectField => ({ kind: 'object', fields });
const list = (fields: Record<string, Field>): ListField => ({ kind: 'list', item: object(fields) });

const parent = object({ firstName: text, lastName: text, email: text, phone: text });

export const documentTarget = object({
  student: object({
    stateStudentId: requiredText,
    stateStudentIdType: code('stateStudentIdType', true),
    alternateIds: list({ id: requiredText, type: requiredText }),
    firstName: requiredText,
    middleName: text,
    lastName1: requiredText,
    lastName2: text,
    suffix: text,
    sex: code('sex', true),
    birthDate: { ...date, required: true },
    multipleBirth: flag,
    birthCity: text,
    birthState: code('state'),
    birthCountry: code('country'),
    birthDateVerification: code('birthDateVerification'),
    parent1: parent,
    parent2: parent,
  }),
  qualifyingMoves: list({
    qualifyingArrivalDate: { ...date, required: true },
    fromCity: text,
    fromState: code('state'),
    fromCountry: code('country'),
    toCity: text,
    toState: code('state', true),
    eligibilityExpirationDate: date,
  }),
  enrollments: list({
    enrollmentDate: { ...date, required: true },
    withdrawalDate: date,
    enrollmentType: code('enrollmentType', true),
    schoolId: text,
    schoolName: text,
    districtId: text,
    districtName: text,
    grade: code('gradeLevel', true),
    englishLearner: flag,
    iep: flag,
    priorityForServices: flag,
    medicalAlert: code('medicalAlert'),
    immunizationRecord: flag,
    residencyDate: date,
    residencyVerificationDate: date,
    designatedGraduationSchool: text,
    graduationDate: date,
    hse: flag,
    continuationOfServicesReason: code('continuationOfServicesReason'),
    algebra1: flag,
    outOfStateTranscript: flag,
    comment: text,
  }),
  courses: list({
    title: requiredText,
    subjectArea: text,
    courseType: code('courseType'),
    beginYear: year,
    endYear: year,
    section: code('courseSection'),
    termType: code('termType'),
    clockHours: amount,
    gradeToDate: text,
    creditsGranted: amount,
    finalGrade: text,
    inProgress: flag,
  }),
  assessments: list({
    title: requiredText,
    content: text,
    type: text,
    administrationDate: date,
    reportingMethod: text,
    score: text,
    interpretation: text,
  }),
});

/** The lists every exchange document carries, empty when the state sends none. */
export const documentLists = ['qualifyingMoves', 'enrollments', 'courses', 'assessments'] as const;

/** A code set's name in a message: "unknown sex code 'Q'". */
export const codeNouns: Record<CodeSetName, string> = {
  gradeLevel: 'grade level',
  enrollmentType: 'enrollment type',
  sex: 'sex code',
  medicalAlert: 'medical alert value',
  continuationOfServicesReason: 'continuation of services reason',
  courseType: 'course type',
  termType: 'term type',
  courseSection: 'course section',
  birthDateVerification: 'birth date verification code',
  stateStudentIdType: 'state student ID type',
  state: 'USPS state code',
  country: 'country code (ISO 3166-1 alpha-2)',
};

const codeLookups = new Map<CodeSetName, ReadonlySet<string>>(
  Object.entries(codeSets).map(([name, set]) => [
    name as CodeSetName,
    new Set(set.entries.map((e) => e.code)),
  ]),
);

export function isCodeOf(set: CodeSetName, value: string): boolean {
  return codeLookups.get(set)?.has(value) ?? false;
}

export function describeTarget(type: ScalarTarget): string {
  switch (type.kind) {
    case 'code':
      return `a ${codeNouns[type.set]}`;
    case 'date':
      return 'a date YYYY-MM-DD';
    case 'boolean':
      return 'true or false';
    case 'number':
      return type.integer ? 'a whole number' : 'a number';
    case 'string':
      return 'text';
  }
}
