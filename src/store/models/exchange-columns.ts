/**
 * Column specs for every field of the exchange document (src/exchange/types.ts). `satisfies
 * Record<keyof X, ColumnSpec>` makes the compiler fail when a field is added to the exchange types
 * without a column here (and the models-match-migrations test fails until a migration adds it).
 * Lengths match the migrations.
 */
import type {
  Assessment,
  Course,
  Enrollment,
  Parent,
  QualifyingMove,
  Student,
} from '../../exchange/types.js';
import type { ColumnSpec } from './columns.js';

const str = (length: number, required = false): ColumnSpec => ({
  kind: 'string',
  length,
  required,
});
const date = (required = false): ColumnSpec => ({ kind: 'date', required });
const bool: ColumnSpec = { kind: 'boolean' };
const int: ColumnSpec = { kind: 'integer' };

/** Student fields stored as plain columns; ids, alternate ids and parents are handled apart. */
export type StudentColumnField = Exclude<
  keyof Student,
  'stateStudentId' | 'alternateIds' | 'parent1' | 'parent2'
>;

export const studentColumns = {
  stateStudentIdType: str(2, true),
  firstName: str(255, true),
  middleName: str(255),
  lastName1: str(255, true),
  lastName2: str(255),
  suffix: str(20),
  sex: str(1, true),
  birthDate: date(true),
  multipleBirth: bool,
  birthCity: str(255),
  birthState: str(2),
  birthCountry: str(10),
  birthDateVerification: str(4),
} as const satisfies Record<StudentColumnField, ColumnSpec>;

/** Stored twice, as parent1_* and parent2_*. */
export const parentColumns = {
  firstName: str(255),
  lastName: str(255),
  email: str(255),
  phone: str(50),
} as const satisfies Record<keyof Parent, ColumnSpec>;

export const qualifyingMoveColumns = {
  qualifyingArrivalDate: date(true),
  fromCity: str(255),
  fromState: str(2),
  fromCountry: str(10),
  toCity: str(255),
  toState: str(2, true),
  eligibilityExpirationDate: date(),
} as const satisfies Record<keyof QualifyingMove, ColumnSpec>;

export const enrollmentColumns = {
  enrollmentDate: date(true),
  withdrawalDate: date(),
  enrollmentType: str(2, true),
  schoolId: str(12),
  schoolName: str(255),
  districtId: str(7),
  districtName: str(255),
  grade: str(2, true),
  englishLearner: bool,
  iep: bool,
  priorityForServices: bool,
  medicalAlert: str(10),
  immunizationRecord: bool,
  residencyDate: date(),
  residencyVerificationDate: date(),
  designatedGraduationSchool: str(255),
  graduationDate: date(),
  hse: bool,
  continuationOfServicesReason: str(2),
  algebra1: bool,
  outOfStateTranscript: bool,
  comment: { kind: 'text' },
} as const satisfies Record<keyof Enrollment, ColumnSpec>;

export const courseColumns = {
  title: str(255, true),
  subjectArea: str(100),
  courseType: str(20),
  beginYear: int,
  endYear: int,
  section: str(10),
  termType: str(20),
  clockHours: { kind: 'decimal', precision: [7, 2] },
  gradeToDate: str(10),
  creditsGranted: { kind: 'decimal', precision: [6, 3] },
  finalGrade: str(10),
  inProgress: bool,
} as const satisfies Record<keyof Course, ColumnSpec>;

export const assessmentColumns = {
  title: str(255, true),
  content: str(100),
  type: str(100),
  administrationDate: date(),
  reportingMethod: str(100),
  score: str(50),
  interpretation: str(255),
} as const satisfies Record<keyof Assessment, ColumnSpec>;
