/**
 * Texas's own codes in its fixed-width extract (tx-fixed-width.ts), as a crosswalk from each
 * canonical code. The mapping for Texas reads these tables the other way round.
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
import type { Crosswalk } from './native-common.js';
import type { DemoCountry } from './places.js';

export const txCodes = {
  sex: { M: 'M', F: 'F', X: 'U' } satisfies Crosswalk<Sex>,
  grade: {
    P0: 'I0',
    P1: 'I1',
    P2: 'I2',
    P3: 'EE',
    P4: 'PK',
    P5: 'P5',
    KG: 'KG',
    ...Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [
        String(i + 1).padStart(2, '0'),
        String(i + 1).padStart(2, '0'),
      ]),
    ),
    UG: 'UG',
    OS: 'OY',
  } as Crosswalk<GradeLevel>,
  /** `03` prints as `I` when the project starts outside June to August. */
  enrollmentType: {
    '01': 'R',
    '02': 'M',
    '03': 'S',
    '04': 'Y',
    '05': 'B',
    '06': 'O',
  } satisfies Crosswalk<EnrollmentType>,
  intersession: 'I',
  medicalAlert: { Chronic: '1', Acute: '2', None: '0' } satisfies Crosswalk<MedicalAlert>,
  continuationOfServices: {
    '01': '1',
    '02': '2',
    '03': '3',
  } satisfies Crosswalk<ContinuationOfServicesReason>,
  birthDateVerification: {
    '1004': '01',
    '1003': '02',
    '1006': '03',
    '1007': '04',
    '1008': '05',
    '1009': '06',
    '1010': '07',
    '1011': '08',
    '1012': '09',
    '1013': '10',
    '1005': '11',
    '2382': '12',
    '3423': '13',
    '3424': '14',
    '9999': '99',
  } satisfies Crosswalk<BirthDateVerification>,
  country: {
    US: 'USA',
    MX: 'MEX',
    GT: 'GTM',
    HN: 'HND',
    SV: 'SLV',
  } satisfies Crosswalk<DemoCountry>,
  idType: { '01': 'S', '02': 'M' } satisfies Crosswalk<StateStudentIdType>,
  courseType: {
    Regular: 'RG',
    Honors: 'HN',
    PreAP: 'PA',
    AP: 'AP',
    IB: 'IB',
    DualEnrollment: 'DC',
    CTE: 'CT',
    CteDualCredit: 'CD',
    Remedial: 'RM',
    NotApplicable: 'NA',
    Other: 'OT',
  } satisfies Crosswalk<CourseType>,
  termType: {
    '0827': 'FY',
    '0828': 'SM',
    '0829': 'TR',
    '0830': 'QT',
    '0831': 'QN',
    '0832': 'MT',
    '0833': 'SU',
    '0834': 'IN',
    '0835': 'LS',
    '0837': 'TM',
    '9999': 'OT',
  } satisfies Crosswalk<TermType>,
  section: { '01': '0', '02': '1', '03': '2' } satisfies Crosswalk<CourseSection>,
  suffix: { Jr: 'JR', Sr: 'SR', II: 'II', III: 'III', IV: 'IV' } as Readonly<
    Record<string, string>
  >,
  yes: '1',
  no: '0',
} as const;
