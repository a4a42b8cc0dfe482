/**
 * The common exchange schema (DESIGN.md section 4): one document per child per submitting state,
 * modelled on the MSIX Minimum Data Elements (OMB 1810-0683), with CEDS names where they exist.
 *
 * Dates are ISO 8601 calendar dates (`YYYY-MM-DD`) as strings: a birth date or an enrollment date
 * is a day, not an instant, and must not shift with a time zone.
 */
import type {
  BirthDateVerification,
  ContinuationOfServicesReason,
  CourseSection,
  CourseType,
  EnrollmentType,
  GradeLevel,
  MedicalAlert,
  Sex,
  StateStudentIdType,
  TermType,
} from './code-sets.js';

/** `YYYY-MM-DD`. */
export type IsoDate = string;
/**
 * Two-letter USPS state or territory code, e.g. `CA`: a code of `states` in code-sets (checked by
 * validateExchangeDocument; kept as `string` so that mapped input compiles before validation).
 */
export type StateCode = string;
/** NCES/CEDS country code (ISO 3166-1 alpha-2), e.g. `MX`: a code of `countries` in code-sets. */
export type CountryCode = string;

export interface AlternateId {
  id: string;
  /** What issued the identifier, e.g. `district`, `msix`, `program`. */
  type: string;
}

export interface Parent {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
}

export interface Student {
  /** At most 15 characters (MSIX MDE "State Student ID"). */
  stateStudentId: string;
  stateStudentIdType: StateStudentIdType;
  alternateIds?: AlternateId[];
  firstName: string;
  middleName?: string;
  /** Paternal (first) surname. */
  lastName1: string;
  /** Maternal (second) surname, when the child has one. */
  lastName2?: string;
  suffix?: string;
  sex: Sex;
  birthDate: IsoDate;
  multipleBirth?: boolean;
  birthCity?: string;
  birthState?: StateCode;
  birthCountry?: CountryCode;
  birthDateVerification?: BirthDateVerification;
  parent1?: Parent;
  parent2?: Parent;
}

export interface QualifyingMove {
  /** QAD: the date the child (or worker) arrived after the qualifying move. */
  qualifyingArrivalDate: IsoDate;
  fromCity?: string;
  fromState?: StateCode;
  fromCountry?: CountryCode;
  toCity?: string;
  toState: StateCode;
  /**
   * The last day the child is eligible through this move: the day before the 36-month anniversary
   * of the QAD, unless earlier the day before the 22nd birthday or the graduation/HSE date (see
   * eligibility.ts). When a state sends none, it is computed on ingest.
   */
  eligibilityExpirationDate?: IsoDate;
}

export interface Enrollment {
  enrollmentDate: IsoDate;
  withdrawalDate?: IsoDate;
  enrollmentType: EnrollmentType;
  /** NCES 12-digit school identifier. */
  schoolId?: string;
  schoolName?: string;
  /** NCES 7-digit local education agency identifier. */
  districtId?: string;
  districtName?: string;
  grade: GradeLevel;
  englishLearner?: boolean;
  iep?: boolean;
  priorityForServices?: boolean;
  medicalAlert?: MedicalAlert;
  immunizationRecord?: boolean;
  residencyDate?: IsoDate;
  residencyVerificationDate?: IsoDate;
  designatedGraduationSchool?: string;
  graduationDate?: IsoDate;
  /** True when `graduationDate` is the date a high-school equivalency was earned. */
  hse?: boolean;
  continuationOfServicesReason?: ContinuationOfServicesReason;
  algebra1?: boolean;
  outOfStateTranscript?: boolean;
  comment?: string;
}

export interface Course {
  title: string;
  subjectArea?: string;
  courseType?: CourseType;
  beginYear?: number;
  endYear?: number;
  section?: CourseSection;
  termType?: TermType;
  clockHours?: number;
  gradeToDate?: string;
  creditsGranted?: number;
  finalGrade?: string;
  inProgress?: boolean;
}

export interface Assessment {
  title: string;
  content?: string;
  type?: string;
  administrationDate?: IsoDate;
  reportingMethod?: string;
  score?: string;
  interpretation?: string;
}

/** One child as one state knows it. */
export interface ExchangeDocument {
  student: Student;
  qualifyingMoves: QualifyingMove[];
  enrollments: Enrollment[];
  courses: Course[];
  assessments: Assessment[];
}

/** Where a stored item came from (DESIGN.md section 4: every stored item keeps its source). */
export interface SourceRef {
  state: StateCode;
  submissionId: number;
  /** 1-based row, line or record number in the submitted file. */
  row: number;
  receivedAt: Date;
}
