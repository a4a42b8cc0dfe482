/**
 * Washington's demo extract: JSON Lines (UTF-8, LF), one child per line, with nested arrays of
 * moves, enrollments, courses and assessments. Keys are Washington's own camelCase names, flags
 * are the strings "Y"/"N", an absent value is an absent key. Layout: src/demo/README.md.
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
} from '../exchange/code-sets.js';
import type {
  Assessment,
  Course,
  Enrollment,
  ExchangeDocument,
  Parent,
  QualifyingMove,
} from '../exchange/types.js';
import type { Crosswalk } from './native-common.js';
import { countryCode, isIntersession } from './native-common.js';
import type { DemoCountry } from './places.js';

export const waCodes = {
  sex: { F: 'F', M: 'M', X: 'X' } satisfies Crosswalk<Sex>,
  grade: {
    P0: 'EC0',
    P1: 'EC1',
    P2: 'EC2',
    P3: 'EC3',
    P4: 'EC4',
    P5: 'EC5',
    KG: 'K1',
    '01': '1',
    '02': '2',
    '03': '3',
    '04': '4',
    '05': '5',
    '06': '6',
    '07': '7',
    '08': '8',
    '09': '9',
    '10': '10',
    '11': '11',
    '12': '12',
    UG: 'U',
    OS: 'OOS',
  } satisfies Crosswalk<GradeLevel>,
  /** `03` prints as `intersession` when the project starts outside June to August. */
  enrollmentType: {
    '01': 'regularBasic',
    '02': 'regularMep',
    '03': 'summer',
    '04': 'yearRoundMep',
    '05': 'regularBasicAndMep',
    '06': 'residencyOnly',
  } satisfies Crosswalk<EnrollmentType>,
  intersession: 'intersession',
  medicalAlert: {
    Chronic: 'chronic',
    Acute: 'acute',
    None: 'none',
  } satisfies Crosswalk<MedicalAlert>,
  continuationOfServices: {
    '01': 'endOfTerm',
    '02': 'additionalYear',
    '03': 'creditAccrual',
  } satisfies Crosswalk<ContinuationOfServicesReason>,
  birthDateVerification: {
    '1003': 'baptismalCertificate',
    '1004': 'birthCertificate',
    '1005': 'familyBible',
    '1006': 'hospitalCertificate',
    '1007': 'parentAffidavit',
    '1008': 'passport',
    '1009': 'physicianCertificate',
    '1010': 'priorSchoolRecord',
    '1011': 'stateId',
    '1012': 'driversLicense',
    '1013': 'immigrationDocument',
    '2382': 'lifeInsurance',
    '3423': 'otherOfficialDocument',
    '3424': 'otherUnofficialDocument',
    '9999': 'other',
  } satisfies Crosswalk<BirthDateVerification>,
  /** ISO 3166-1 numeric. */
  country: {
    US: '840',
    MX: '484',
    GT: '320',
    HN: '340',
    SV: '222',
  } satisfies Crosswalk<DemoCountry>,
  idType: { '01': 'state', '02': 'mep' } satisfies Crosswalk<StateStudentIdType>,
  courseType: {
    Regular: 'regular',
    Honors: 'honors',
    PreAP: 'preAp',
    AP: 'ap',
    IB: 'ib',
    DualEnrollment: 'dualCredit',
    CTE: 'cte',
    CteDualCredit: 'cteDualCredit',
    Remedial: 'creditRecovery',
    NotApplicable: 'notApplicable',
    Other: 'other',
  } satisfies Crosswalk<CourseType>,
  termType: {
    '0827': 'fullYear',
    '0828': 'semester',
    '0829': 'trimester',
    '0830': 'quarter',
    '0831': 'quinmester',
    '0832': 'miniTerm',
    '0833': 'summer',
    '0834': 'intersession',
    '0835': 'longSession',
    '0837': 'twelveMonth',
    '9999': 'other',
  } satisfies Crosswalk<TermType>,
  section: { '01': 'full', '02': 'A', '03': 'B' } satisfies Crosswalk<CourseSection>,
  /** SCED subject area code → Washington's subject name. */
  subject: {
    '01': 'english',
    '02': 'math',
    '03': 'science',
    '04': 'socialStudies',
    '05': 'arts',
    '08': 'healthFitness',
    '10': 'computerScience',
    '13': 'manufacturing',
    '18': 'agriculture',
    '24': 'worldLanguages',
  } as Readonly<Record<string, string>>,
} as const;

/** Washington's system does not keep an eligibility expiration date: the gateway computes it. */
export function waView(doc: ExchangeDocument): ExchangeDocument {
  return {
    ...doc,
    qualifyingMoves: doc.qualifyingMoves.map(({ eligibilityExpirationDate: _, ...m }) => m),
  };
}

type Json = string | number | Json[] | { [key: string]: Json | undefined } | undefined;

const yn = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'Y' : 'N');

/** Empty text is an absent key. */
const opt = (text: string) => (text === '' ? undefined : text);

function lookup<C extends string>(table: Readonly<Record<C, string>>, value: C | undefined) {
  return value === undefined ? undefined : table[value];
}

/** Drops keys without a value, and objects or arrays left empty by that. */
function prune(value: Json): Json {
  if (Array.isArray(value)) return value.map(prune);
  if (value === undefined || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = prune(v);
    const empty = typeof p === 'object' && Object.keys(p).length === 0;
    if (p !== undefined && !empty) out[k] = p;
  }
  return out;
}

function subjectOf(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  const name = waCodes.subject[code];
  if (!name) throw new RangeError(`no Washington subject name for SCED ${code}`);
  return name;
}

const guardian = (p: Parent) => ({
  first: p.firstName,
  last: p.lastName,
  email: p.email,
  phone: p.phone,
});

const move = (m: QualifyingMove) => ({
  qad: m.qualifyingArrivalDate,
  from: {
    city: m.fromCity,
    state: m.fromState,
    country: opt(countryCode(waCodes.country, m.fromCountry)),
  },
  to: { city: m.toCity, state: m.toState },
  eligibilityEnd: m.eligibilityExpirationDate,
});

const enrollment = (e: Enrollment) => ({
  entryDate: e.enrollmentDate,
  exitDate: e.withdrawalDate,
  type: isIntersession(e) ? waCodes.intersession : waCodes.enrollmentType[e.enrollmentType],
  district: { ncesId: e.districtId, name: e.districtName },
  school: { ncesId: e.schoolId, name: e.schoolName },
  grade: waCodes.grade[e.grade],
  ell: yn(e.englishLearner),
  iep: yn(e.iep),
  pfs: yn(e.priorityForServices),
  medicalAlert: lookup(waCodes.medicalAlert, e.medicalAlert),
  immunization: yn(e.immunizationRecord),
  residency: { date: e.residencyDate, verifiedDate: e.residencyVerificationDate },
  graduation: { school: e.designatedGraduationSchool, date: e.graduationDate, hse: yn(e.hse) },
  cosReason: lookup(waCodes.continuationOfServices, e.continuationOfServicesReason),
  algebra1: yn(e.algebra1),
  outOfStateTranscript: yn(e.outOfStateTranscript),
  comment: e.comment,
});

const course = (c: Course) => ({
  title: c.title,
  subject: subjectOf(c.subjectArea),
  type: lookup(waCodes.courseType, c.courseType),
  beginYear: c.beginYear,
  endYear: c.endYear,
  section: lookup(waCodes.section, c.section),
  term: lookup(waCodes.termType, c.termType),
  clockHours: c.clockHours,
  gradeToDate: c.gradeToDate,
  credits: c.creditsGranted,
  finalGrade: c.finalGrade,
  inProgress: yn(c.inProgress),
});

const assessment = (a: Assessment) => ({
  name: a.title,
  content: a.content,
  type: a.type,
  date: a.administrationDate,
  reportingMethod: a.reportingMethod,
  score: a.score,
  result: a.interpretation,
});

export function waRecord(doc: ExchangeDocument): Json {
  const s = doc.student;
  return prune({
    ssid: s.stateStudentId,
    ssidType: waCodes.idType[s.stateStudentIdType],
    localId: s.alternateIds?.find((a) => a.type === 'district')?.id,
    name: {
      first: s.firstName,
      middle: s.middleName,
      last: s.lastName1,
      secondLast: s.lastName2,
      suffix: s.suffix,
    },
    gender: waCodes.sex[s.sex],
    dob: s.birthDate,
    multipleBirth: yn(s.multipleBirth),
    birthPlace: {
      city: s.birthCity,
      state: s.birthState,
      country: opt(countryCode(waCodes.country, s.birthCountry)),
    },
    dobVerification: lookup(waCodes.birthDateVerification, s.birthDateVerification),
    guardians: [s.parent1, s.parent2].filter((p): p is Parent => p !== undefined).map(guardian),
    moves: doc.qualifyingMoves.map(move),
    enrollments: doc.enrollments.map(enrollment),
    courses: doc.courses.map(course),
    assessments: doc.assessments.map(assessment),
  });
}

export function writeWaJsonl(docs: readonly ExchangeDocument[]): Buffer {
  return Buffer.from(docs.map((d) => `${JSON.stringify(waRecord(d))}\n`).join(''), 'utf8');
}
