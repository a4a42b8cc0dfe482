/**
 * Florida's demo extract: one XML document (UTF-8) in the default namespace FL_NAMESPACE, valid
 * against mappings/schemas/fl-migrant-v1.xsd: a `<Student>` per child with its qualifying moves,
 * enrollments, courses and assessments nested inside. Dates are `xs:date`, flags `xs:boolean`.
 * An absent value is an absent element. Layout: src/demo/README.md.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type {
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
import type { Course, Enrollment, ExchangeDocument, IsoDate, Parent } from '../exchange/types.js';
import type { Crosswalk } from './native-common.js';
import { isIntersession } from './native-common.js';

export const FL_NAMESPACE = 'urn:example:fl:migrant:v1';
export const FL_SCHEMA_FILE = 'mappings/schemas/fl-migrant-v1.xsd';

export const flCodes = {
  sex: { F: 'Female', M: 'Male', X: 'NotSelected' } satisfies Crosswalk<Sex>,
  grade: {
    P0: 'B0',
    P1: 'B1',
    P2: 'B2',
    P3: 'PK3',
    P4: 'PK4',
    P5: 'PK5',
    KG: 'KG',
    '01': '01',
    '02': '02',
    '03': '03',
    '04': '04',
    '05': '05',
    '06': '06',
    '07': '07',
    '08': '08',
    '09': '09',
    '10': '10',
    '11': '11',
    '12': '12',
    UG: 'UN',
    OS: 'OSY',
  } satisfies Crosswalk<GradeLevel>,
  /** `03` prints as `INT` when the project starts outside June to August. */
  enrollmentType: {
    '01': 'BSP',
    '02': 'MEP',
    '03': 'SUM',
    '04': 'YRR',
    '05': 'BSM',
    '06': 'RES',
  } satisfies Crosswalk<EnrollmentType>,
  intersession: 'INT',
  medicalAlert: {
    Chronic: 'CHRONIC',
    Acute: 'ACUTE',
    None: 'NONE',
  } satisfies Crosswalk<MedicalAlert>,
  continuationOfServices: {
    '01': '01',
    '02': '02',
    '03': '03',
  } satisfies Crosswalk<ContinuationOfServicesReason>,
  idType: { '01': 'FLEID', '02': 'MEP' } satisfies Crosswalk<StateStudentIdType>,
  courseType: {
    Regular: 'REG',
    Honors: 'HON',
    PreAP: 'PRE',
    AP: 'AP',
    IB: 'IB',
    DualEnrollment: 'DE',
    CTE: 'CTE',
    CteDualCredit: 'CDE',
    Remedial: 'REM',
    NotApplicable: 'NA',
    Other: 'OTH',
  } satisfies Crosswalk<CourseType>,
  termType: {
    '0827': 'Y',
    '0828': 'S',
    '0829': 'T',
    '0830': 'Q',
    '0831': 'QN',
    '0832': 'M',
    '0833': 'SU',
    '0834': 'IN',
    '0835': 'L',
    '0837': 'TM',
    '9999': 'O',
  } satisfies Crosswalk<TermType>,
  section: { '01': 'FY', '02': 'A', '03': 'B' } satisfies Crosswalk<CourseSection>,
} as const;

/** Adds `<name>text</name>` when there is a value. */
function opt(parent: XMLBuilder, name: string, value: string | number | boolean | undefined): void {
  if (value === undefined || value === '') return;
  parent.ele(name).txt(String(value));
}

function guardian(parent: XMLBuilder, p: Parent | undefined, sequence: number): void {
  if (!p) return;
  const g = parent.ele('Guardian', { sequence: String(sequence) });
  opt(g, 'FirstName', p.firstName);
  opt(g, 'LastName', p.lastName);
  opt(g, 'Email', p.email);
  opt(g, 'Phone', p.phone);
}

function idAndName(
  parent: XMLBuilder,
  name: string,
  id: string | undefined,
  label: string | undefined,
) {
  if (id === undefined && label === undefined) return;
  const el = parent.ele(name);
  opt(el, 'NcesId', id);
  opt(el, 'Name', label);
}

function enrollment(parent: XMLBuilder, e: Enrollment): void {
  const el = parent.ele('Enrollment');
  opt(el, 'EntryDate', e.enrollmentDate);
  opt(el, 'WithdrawalDate', e.withdrawalDate);
  el.ele('EnrollmentType').txt(
    isIntersession(e) ? flCodes.intersession : flCodes.enrollmentType[e.enrollmentType],
  );
  idAndName(el, 'District', e.districtId, e.districtName);
  idAndName(el, 'School', e.schoolId, e.schoolName);
  el.ele('GradeLevel').txt(flCodes.grade[e.grade]);
  opt(el, 'EnglishLearner', e.englishLearner);
  opt(el, 'IEP', e.iep);
  opt(el, 'PriorityForServices', e.priorityForServices);
  opt(el, 'MedicalAlert', e.medicalAlert && flCodes.medicalAlert[e.medicalAlert]);
  opt(el, 'ImmunizationRecord', e.immunizationRecord);
  opt(el, 'ResidencyDate', e.residencyDate);
  opt(el, 'ResidencyVerificationDate', e.residencyVerificationDate);
  opt(el, 'DesignatedGraduationSchool', e.designatedGraduationSchool);
  opt(el, 'GraduationDate', e.graduationDate);
  opt(el, 'HighSchoolEquivalency', e.hse);
  const cos = e.continuationOfServicesReason;
  opt(el, 'ContinuationOfServices', cos && flCodes.continuationOfServices[cos]);
  opt(el, 'Algebra1', e.algebra1);
  opt(el, 'OutOfStateTranscript', e.outOfStateTranscript);
  opt(el, 'Comment', e.comment);
}

function course(parent: XMLBuilder, c: Course): void {
  const el = parent.ele('Course');
  el.ele('Title').txt(c.title);
  opt(el, 'SubjectArea', c.subjectArea);
  opt(el, 'CourseType', c.courseType && flCodes.courseType[c.courseType]);
  opt(el, 'BeginYear', c.beginYear);
  opt(el, 'EndYear', c.endYear);
  opt(el, 'Section', c.section && flCodes.section[c.section]);
  opt(el, 'TermType', c.termType && flCodes.termType[c.termType]);
  opt(el, 'ClockHours', c.clockHours);
  opt(el, 'GradeToDate', c.gradeToDate);
  opt(el, 'CreditsEarned', c.creditsGranted);
  opt(el, 'FinalGrade', c.finalGrade);
  opt(el, 'InProgress', c.inProgress);
}

function student(root: XMLBuilder, doc: ExchangeDocument): void {
  const s = doc.student;
  const el = root.ele('Student');
  el.ele('StudentId', { idType: flCodes.idType[s.stateStudentIdType] }).txt(s.stateStudentId);
  opt(el, 'LocalId', s.alternateIds?.find((a) => a.type === 'district')?.id);
  const name = el.ele('Name');
  name.ele('FirstName').txt(s.firstName);
  opt(name, 'MiddleName', s.middleName);
  name.ele('PaternalSurname').txt(s.lastName1);
  opt(name, 'MaternalSurname', s.lastName2);
  opt(name, 'Suffix', s.suffix);
  el.ele('Gender').txt(flCodes.sex[s.sex]);
  el.ele('BirthDate').txt(s.birthDate);
  opt(el, 'MultipleBirth', s.multipleBirth);
  if (s.birthCity || s.birthState || s.birthCountry) {
    const place = el.ele('BirthPlace');
    opt(place, 'City', s.birthCity);
    opt(place, 'State', s.birthState);
    opt(place, 'Country', s.birthCountry);
  }
  opt(el, 'BirthDateVerification', s.birthDateVerification);
  if (s.parent1 || s.parent2) {
    const guardians = el.ele('Guardians');
    guardian(guardians, s.parent1, 1);
    guardian(guardians, s.parent2, 2);
  }
  const moves = el.ele('QualifyingMoves');
  for (const m of doc.qualifyingMoves) {
    const move = moves.ele('QualifyingMove');
    move.ele('ArrivalDate').txt(m.qualifyingArrivalDate);
    if (m.fromCity || m.fromState || m.fromCountry) {
      const from = move.ele('From');
      opt(from, 'City', m.fromCity);
      opt(from, 'State', m.fromState);
      opt(from, 'Country', m.fromCountry);
    }
    const to = move.ele('To');
    opt(to, 'City', m.toCity);
    to.ele('State').txt(m.toState);
    opt(move, 'EligibilityExpirationDate', m.eligibilityExpirationDate);
  }
  const enrollments = el.ele('Enrollments');
  for (const e of doc.enrollments) enrollment(enrollments, e);
  if (doc.courses.length > 0) {
    const courses = el.ele('Courses');
    for (const c of doc.courses) course(courses, c);
  }
  if (doc.assessments.length > 0) {
    const assessments = el.ele('Assessments');
    for (const a of doc.assessments) {
      const t = assessments.ele('Assessment');
      t.ele('Name').txt(a.title);
      opt(t, 'Content', a.content);
      opt(t, 'Type', a.type);
      opt(t, 'AdministrationDate', a.administrationDate);
      opt(t, 'ReportingMethod', a.reportingMethod);
      opt(t, 'Score', a.score);
      opt(t, 'Interpretation', a.interpretation);
    }
  }
}

export function writeFlXml(
  docs: readonly ExchangeDocument[],
  options: { extractDate?: IsoDate } = {},
): Buffer {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(FL_NAMESPACE, 'MigrantStudentExtract', {
    schemaVersion: '1.0',
    ...(options.extractDate ? { extractDate: options.extractDate } : {}),
    recordCount: String(docs.length),
  });
  for (const d of docs) student(root, d);
  return Buffer.from(doc.end({ prettyPrint: true, indent: '  ', newline: '\n' }) + '\n', 'utf8');
}
