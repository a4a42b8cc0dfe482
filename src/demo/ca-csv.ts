/**
 * California's demo extract: CSV, UTF-8 with a byte-order mark, comma-separated, every field in
 * double quotes, CRLF line ends, one header row, then one row per enrollment (the student and
 * qualifying-move columns repeat on each row of the same child). Layout: src/demo/README.md.
 */
import type {
  BirthDateVerification,
  ContinuationOfServicesReason,
  EnrollmentType,
  GradeLevel,
  MedicalAlert,
  Sex,
  StateStudentIdType,
} from '../exchange/code-sets.js';
import type { Enrollment, ExchangeDocument, Parent, QualifyingMove } from '../exchange/types.js';
import { toUsDate } from './calendar.js';
import type { Crosswalk } from './native-common.js';
import {
  alternateId,
  code,
  countryCode,
  flag,
  isIntersession,
  moveOf,
  phoneDigits,
} from './native-common.js';
import type { DemoCountry } from './places.js';

export const caCodes = {
  sex: { M: '1', F: '2', X: '3' } satisfies Crosswalk<Sex>,
  grade: {
    P0: 'PK0',
    P1: 'PK1',
    P2: 'PK2',
    P3: 'PK3',
    P4: 'PK4',
    P5: 'PK5',
    KG: 'K',
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
    UG: 'UG',
    OS: 'OSY',
  } satisfies Crosswalk<GradeLevel>,
  /** `03` prints as `Intersession` when the project starts outside June to August. */
  enrollmentType: {
    '01': 'Regular',
    '02': 'MEP Regular Year',
    '03': 'Summer',
    '04': 'MEP Year-Round',
    '05': 'Regular and MEP',
    '06': 'Residency',
  } satisfies Crosswalk<EnrollmentType>,
  intersession: 'Intersession',
  medicalAlert: { Chronic: 'C', Acute: 'A', None: 'N' } satisfies Crosswalk<MedicalAlert>,
  continuationOfServices: {
    '01': '1',
    '02': '2',
    '03': '3',
  } satisfies Crosswalk<ContinuationOfServicesReason>,
  birthDateVerification: {
    '1003': 'BAP',
    '1004': 'BC',
    '1005': 'BIB',
    '1006': 'HOSP',
    '1007': 'AFF',
    '1008': 'PASS',
    '1009': 'PHYS',
    '1010': 'SCHREC',
    '1011': 'STID',
    '1012': 'DL',
    '1013': 'IMM',
    '2382': 'INS',
    '3423': 'OFFDOC',
    '3424': 'UNOFFDOC',
    '9999': 'OTH',
  } satisfies Crosswalk<BirthDateVerification>,
  country: {
    US: 'UNITED STATES',
    MX: 'MEXICO',
    GT: 'GUATEMALA',
    HN: 'HONDURAS',
    SV: 'EL SALVADOR',
  } satisfies Crosswalk<DemoCountry>,
  idType: { '01': 'SSID', '02': 'MEP' } satisfies Crosswalk<StateStudentIdType>,
  yes: 'Y',
  no: 'N',
} as const;

/** California's system keeps person names in capitals and sends no courses or assessments. */
export function caView(doc: ExchangeDocument): ExchangeDocument {
  const upper = (s: string | undefined) => s?.toUpperCase();
  const parent = (p: Parent | undefined): Parent | undefined =>
    p && {
      ...p,
      ...(p.firstName ? { firstName: upper(p.firstName) } : {}),
      ...(p.lastName ? { lastName: upper(p.lastName) } : {}),
    };
  const s = { ...doc.student };
  s.firstName = s.firstName.toUpperCase();
  s.lastName1 = s.lastName1.toUpperCase();
  if (s.middleName) s.middleName = s.middleName.toUpperCase();
  if (s.lastName2) s.lastName2 = s.lastName2.toUpperCase();
  if (s.parent1) s.parent1 = parent(s.parent1) as Parent;
  if (s.parent2) s.parent2 = parent(s.parent2) as Parent;
  return { ...doc, student: s, courses: [], assessments: [] };
}

export interface CaRow {
  doc: ExchangeDocument;
  e: Enrollment;
  m: QualifyingMove;
}

const date = (d: string | undefined) => (d ? toUsDate(d) : '');
const yn = (b: boolean | undefined) => flag(b, caCodes.yes, caCodes.no);

/** `(NNN) NNN-NNNN`. */
function caPhone(phone: string | undefined): string {
  if (!phone) return '';
  const d = phoneDigits(phone);
  return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
}

/** `LAST1 LAST2, FIRST MIDDLE`: the surnames, a comma and a space, the given names. */
export function caFullName(doc: ExchangeDocument): string {
  const s = doc.student;
  for (const part of [s.firstName, s.lastName1, s.lastName2 ?? '']) {
    if (part.includes(',') || part.includes(' ')) {
      throw new RangeError(
        `student ${s.stateStudentId}: "${part}" cannot be split back from STUDENT_NAME`,
      );
    }
  }
  const surnames = s.lastName2 ? `${s.lastName1} ${s.lastName2}` : s.lastName1;
  const given = s.middleName ? `${s.firstName} ${s.middleName}` : s.firstName;
  return `${surnames}, ${given}`;
}

function parentColumns(n: 1 | 2): [string, (r: CaRow) => string][] {
  const p = (r: CaRow) => (n === 1 ? r.doc.student.parent1 : r.doc.student.parent2);
  return [
    [`PARENT${n}_FIRST_NAME`, (r) => p(r)?.firstName ?? ''],
    [`PARENT${n}_LAST_NAME`, (r) => p(r)?.lastName ?? ''],
    [`PARENT${n}_PHONE`, (r) => caPhone(p(r)?.phone)],
    [`PARENT${n}_EMAIL`, (r) => p(r)?.email ?? ''],
  ];
}

/** The columns in order: header text and how a row fills it. */
export const caColumns: readonly (readonly [string, (r: CaRow) => string])[] = [
  ['SSID', (r) => r.doc.student.stateStudentId],
  ['SSID_TYPE', (r) => caCodes.idType[r.doc.student.stateStudentIdType]],
  ['LOCAL_STUDENT_ID', (r) => alternateId(r.doc, 'district') ?? ''],
  ['STUDENT_NAME', (r) => caFullName(r.doc)],
  ['NAME_SUFFIX', (r) => r.doc.student.suffix?.toUpperCase() ?? ''],
  ['SEX', (r) => caCodes.sex[r.doc.student.sex]],
  ['BIRTH_DATE', (r) => date(r.doc.student.birthDate)],
  ['MULTIPLE_BIRTH', (r) => yn(r.doc.student.multipleBirth)],
  ['BIRTH_CITY', (r) => r.doc.student.birthCity ?? ''],
  ['BIRTH_STATE', (r) => r.doc.student.birthState ?? ''],
  ['BIRTH_COUNTRY', (r) => countryCode(caCodes.country, r.doc.student.birthCountry)],
  [
    'BIRTH_DATE_VERIFICATION',
    (r) => code(caCodes.birthDateVerification, r.doc.student.birthDateVerification),
  ],
  ...parentColumns(1),
  ...parentColumns(2),
  ['QAD', (r) => date(r.m.qualifyingArrivalDate)],
  ['QAD_FROM_CITY', (r) => r.m.fromCity ?? ''],
  ['QAD_FROM_STATE', (r) => r.m.fromState ?? ''],
  ['QAD_FROM_COUNTRY', (r) => countryCode(caCodes.country, r.m.fromCountry)],
  ['QAD_TO_CITY', (r) => r.m.toCity ?? ''],
  ['ELIGIBILITY_END_DATE', (r) => date(r.m.eligibilityExpirationDate)],
  ['ENROLLMENT_DATE', (r) => date(r.e.enrollmentDate)],
  ['WITHDRAWAL_DATE', (r) => date(r.e.withdrawalDate)],
  [
    'ENROLLMENT_TYPE',
    (r) =>
      isIntersession(r.e) ? caCodes.intersession : caCodes.enrollmentType[r.e.enrollmentType],
  ],
  ['DISTRICT_NCES_ID', (r) => r.e.districtId ?? ''],
  ['DISTRICT_NAME', (r) => r.e.districtName ?? ''],
  ['SCHOOL_NCES_ID', (r) => r.e.schoolId ?? ''],
  ['SCHOOL_NAME', (r) => r.e.schoolName ?? ''],
  ['GRADE', (r) => caCodes.grade[r.e.grade]],
  ['ENGLISH_LEARNER', (r) => yn(r.e.englishLearner)],
  ['IEP', (r) => yn(r.e.iep)],
  ['PRIORITY_FOR_SERVICES', (r) => yn(r.e.priorityForServices)],
  ['MEDICAL_ALERT', (r) => code(caCodes.medicalAlert, r.e.medicalAlert)],
  ['IMMUNIZATION_RECORD', (r) => yn(r.e.immunizationRecord)],
  ['RESIDENCY_DATE', (r) => date(r.e.residencyDate)],
  ['RESIDENCY_VERIFICATION_DATE', (r) => date(r.e.residencyVerificationDate)],
  ['DESIGNATED_GRAD_SCHOOL', (r) => r.e.designatedGraduationSchool ?? ''],
  ['GRADUATION_DATE', (r) => date(r.e.graduationDate)],
  ['HSE', (r) => yn(r.e.hse)],
  ['COS_REASON', (r) => code(caCodes.continuationOfServices, r.e.continuationOfServicesReason)],
  ['ALGEBRA1', (r) => yn(r.e.algebra1)],
  ['OUT_OF_STATE_TRANSCRIPT', (r) => yn(r.e.outOfStateTranscript)],
  ['COMMENT', (r) => r.e.comment ?? ''],
];

/** RFC 4180 quoting: every field quoted, inner quotes doubled. */
function quote(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

export function writeCaCsv(docs: readonly ExchangeDocument[]): Buffer {
  const lines = [caColumns.map(([header]) => quote(header)).join(',')];
  for (const doc of docs) {
    for (const e of doc.enrollments) {
      const row: CaRow = { doc, e, m: moveOf(doc, e) };
      lines.push(caColumns.map(([, cell]) => quote(cell(row))).join(','));
    }
  }
  return Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'),
  ]);
}
