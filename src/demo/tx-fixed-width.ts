/**
 * Texas's demo extract: fixed-width records of TX_RECORD_LENGTH bytes, ISO-8859-1, CRLF line ends.
 * Column 1 is the record type: an `S` student record, then its `E` enrollment records, `C` course
 * records and `A` assessment records. Text is left-justified and blank-padded, numbers are
 * right-justified and zero-padded, an absent value is all blanks. Layout: src/demo/README.md.
 */
import type {
  Assessment,
  Course,
  Enrollment,
  ExchangeDocument,
  Parent,
} from '../exchange/types.js';
import { toCompactDate } from './calendar.js';
import {
  alternateId,
  code,
  countryCode,
  flag,
  isIntersession,
  moveOf,
  phoneDigits,
} from './native-common.js';
import { stripAccents } from './names.js';
import { txCodes } from './tx-codes.js';

export const TX_RECORD_LENGTH = 400;

type RecordType = 'S' | 'E' | 'C' | 'A';
type Kind = 'text' | 'number' | 'date';

interface FieldSpec<T> {
  name: string;
  length: number;
  kind?: Kind;
  value: (item: T) => string;
}

export interface TxField {
  name: string;
  start: number;
  length: number;
  kind: Kind;
}

const date = (d: string | undefined) => (d ? toCompactDate(d) : '');
const yn = (b: boolean | undefined) => flag(b, txCodes.yes, txCodes.no);

function parentFields(n: 1 | 2): FieldSpec<ExchangeDocument>[] {
  const p = (d: ExchangeDocument): Parent | undefined =>
    n === 1 ? d.student.parent1 : d.student.parent2;
  return [
    { name: `P${n}-LAST-NAME`, length: 25, value: (d) => p(d)?.lastName ?? '' },
    { name: `P${n}-FIRST-NAME`, length: 20, value: (d) => p(d)?.firstName ?? '' },
    {
      name: `P${n}-PHONE`,
      length: 10,
      value: (d) => (p(d)?.phone ? phoneDigits(p(d)?.phone ?? '') : ''),
    },
    { name: `P${n}-EMAIL`, length: 50, value: (d) => p(d)?.email ?? '' },
  ];
}

const studentFields: FieldSpec<ExchangeDocument>[] = [
  { name: 'STUDENT-ID', length: 15, value: (d) => d.student.stateStudentId },
  { name: 'ID-TYPE', length: 1, value: (d) => txCodes.idType[d.student.stateStudentIdType] },
  { name: 'LOCAL-ID', length: 15, value: (d) => alternateId(d, 'district') ?? '' },
  { name: 'LAST-NAME-1', length: 25, value: (d) => d.student.lastName1 },
  { name: 'LAST-NAME-2', length: 25, value: (d) => d.student.lastName2 ?? '' },
  { name: 'FIRST-NAME', length: 20, value: (d) => d.student.firstName },
  { name: 'MIDDLE-NAME', length: 20, value: (d) => d.student.middleName ?? '' },
  {
    name: 'GENERATION',
    length: 3,
    value: (d) => (d.student.suffix ? suffixCode(d.student.suffix) : ''),
  },
  { name: 'SEX', length: 1, value: (d) => txCodes.sex[d.student.sex] },
  { name: 'BIRTH-DATE', length: 8, value: (d) => date(d.student.birthDate) },
  { name: 'MULTIPLE-BIRTH', length: 1, value: (d) => yn(d.student.multipleBirth) },
  { name: 'BIRTH-CITY', length: 25, value: (d) => d.student.birthCity ?? '' },
  { name: 'BIRTH-STATE', length: 2, value: (d) => d.student.birthState ?? '' },
  {
    name: 'BIRTH-COUNTRY',
    length: 3,
    value: (d) => countryCode(txCodes.country, d.student.birthCountry),
  },
  {
    name: 'BIRTH-DATE-VERIF',
    length: 2,
    value: (d) => code(txCodes.birthDateVerification, d.student.birthDateVerification),
  },
  ...parentFields(1),
  ...parentFields(2),
];

interface EnrollmentLine {
  doc: ExchangeDocument;
  e: Enrollment;
}

const enrollmentFields: FieldSpec<EnrollmentLine>[] = [
  { name: 'STUDENT-ID', length: 15, value: (l) => l.doc.student.stateStudentId },
  { name: 'QAD', length: 8, value: (l) => date(moveOf(l.doc, l.e).qualifyingArrivalDate) },
  { name: 'FROM-CITY', length: 25, value: (l) => moveOf(l.doc, l.e).fromCity ?? '' },
  { name: 'FROM-STATE', length: 2, value: (l) => moveOf(l.doc, l.e).fromState ?? '' },
  {
    name: 'FROM-COUNTRY',
    length: 3,
    value: (l) => countryCode(txCodes.country, moveOf(l.doc, l.e).fromCountry),
  },
  { name: 'TO-CITY', length: 25, value: (l) => moveOf(l.doc, l.e).toCity ?? '' },
  {
    name: 'ELIG-EXP-DATE',
    length: 8,
    value: (l) => date(moveOf(l.doc, l.e).eligibilityExpirationDate),
  },
  { name: 'ENROLL-DATE', length: 8, value: (l) => date(l.e.enrollmentDate) },
  { name: 'WITHDRAW-DATE', length: 8, value: (l) => date(l.e.withdrawalDate) },
  {
    name: 'ENROLL-TYPE',
    length: 1,
    value: (l) =>
      isIntersession(l.e) ? txCodes.intersession : txCodes.enrollmentType[l.e.enrollmentType],
  },
  { name: 'DISTRICT-ID', length: 7, value: (l) => l.e.districtId ?? '' },
  { name: 'DISTRICT-NAME', length: 40, value: (l) => l.e.districtName ?? '' },
  { name: 'SCHOOL-ID', length: 12, value: (l) => l.e.schoolId ?? '' },
  { name: 'SCHOOL-NAME', length: 40, value: (l) => l.e.schoolName ?? '' },
  { name: 'GRADE', length: 2, value: (l) => txCodes.grade[l.e.grade] },
  { name: 'LEP', length: 1, value: (l) => yn(l.e.englishLearner) },
  { name: 'SPED', length: 1, value: (l) => yn(l.e.iep) },
  { name: 'PFS', length: 1, value: (l) => yn(l.e.priorityForServices) },
  { name: 'MED-ALERT', length: 1, value: (l) => code(txCodes.medicalAlert, l.e.medicalAlert) },
  { name: 'IMMUNIZ', length: 1, value: (l) => yn(l.e.immunizationRecord) },
  { name: 'RES-DATE', length: 8, value: (l) => date(l.e.residencyDate) },
  { name: 'RES-VERIF-DATE', length: 8, value: (l) => date(l.e.residencyVerificationDate) },
  { name: 'GRAD-SCHOOL', length: 40, value: (l) => l.e.designatedGraduationSchool ?? '' },
  { name: 'GRAD-DATE', length: 8, value: (l) => date(l.e.graduationDate) },
  { name: 'HSE', length: 1, value: (l) => yn(l.e.hse) },
  {
    name: 'COS-REASON',
    length: 1,
    value: (l) => code(txCodes.continuationOfServices, l.e.continuationOfServicesReason),
  },
  { name: 'ALGEBRA1', length: 1, value: (l) => yn(l.e.algebra1) },
  { name: 'OOS-TRANSCRIPT', length: 1, value: (l) => yn(l.e.outOfStateTranscript) },
  { name: 'COMMENT', length: 60, value: (l) => l.e.comment ?? '' },
];

interface CourseLine {
  doc: ExchangeDocument;
  c: Course;
}

function number(value: number | undefined, length: number, decimals = 0): string {
  if (value === undefined) return '';
  const text = value.toFixed(decimals).padStart(length, '0');
  if (text.length > length || value < 0)
    throw new RangeError(`${value} does not fit ${length} digits`);
  return text;
}

const courseFields: FieldSpec<CourseLine>[] = [
  { name: 'STUDENT-ID', length: 15, value: (l) => l.doc.student.stateStudentId },
  { name: 'COURSE-TITLE', length: 40, value: (l) => l.c.title },
  { name: 'SUBJECT-AREA', length: 2, value: (l) => l.c.subjectArea ?? '' },
  { name: 'COURSE-TYPE', length: 2, value: (l) => code(txCodes.courseType, l.c.courseType) },
  { name: 'BEGIN-YEAR', length: 4, kind: 'number', value: (l) => number(l.c.beginYear, 4) },
  { name: 'END-YEAR', length: 4, kind: 'number', value: (l) => number(l.c.endYear, 4) },
  { name: 'SECTION', length: 1, value: (l) => code(txCodes.section, l.c.section) },
  { name: 'TERM-TYPE', length: 2, value: (l) => code(txCodes.termType, l.c.termType) },
  { name: 'CLOCK-HOURS', length: 4, kind: 'number', value: (l) => number(l.c.clockHours, 4) },
  { name: 'GRADE-TO-DATE', length: 3, value: (l) => l.c.gradeToDate ?? '' },
  { name: 'CREDITS', length: 5, kind: 'number', value: (l) => number(l.c.creditsGranted, 5, 2) },
  { name: 'FINAL-GRADE', length: 3, value: (l) => l.c.finalGrade ?? '' },
  { name: 'IN-PROGRESS', length: 1, value: (l) => yn(l.c.inProgress) },
];

interface AssessmentLine {
  doc: ExchangeDocument;
  a: Assessment;
}

const assessmentFields: FieldSpec<AssessmentLine>[] = [
  { name: 'STUDENT-ID', length: 15, value: (l) => l.doc.student.stateStudentId },
  { name: 'TEST-NAME', length: 40, value: (l) => l.a.title },
  { name: 'CONTENT', length: 25, value: (l) => l.a.content ?? '' },
  { name: 'TEST-TYPE', length: 30, value: (l) => l.a.type ?? '' },
  { name: 'ADMIN-DATE', length: 8, value: (l) => date(l.a.administrationDate) },
  { name: 'REPORTING-METHOD', length: 30, value: (l) => l.a.reportingMethod ?? '' },
  { name: 'SCORE', length: 10, value: (l) => l.a.score ?? '' },
  { name: 'INTERPRETATION', length: 30, value: (l) => l.a.interpretation ?? '' },
];

function suffixCode(suffix: string): string {
  return txCodes.suffix[suffix] ?? suffix.toUpperCase().slice(0, 3);
}

function layout<T>(type: RecordType, fields: FieldSpec<T>[]): TxField[] {
  const out: TxField[] = [{ name: 'RECORD-TYPE', start: 1, length: 1, kind: 'text' }];
  let next = 2;
  for (const f of fields) {
    const kind = f.kind ?? (/^QAD$|DATE$/.test(f.name) ? 'date' : 'text');
    out.push({ name: f.name, start: next, length: f.length, kind });
    next += f.length;
  }
  if (next - 1 > TX_RECORD_LENGTH) throw new Error(`TX ${type} record is ${next - 1} bytes long`);
  out.push({ name: 'FILLER', start: next, length: TX_RECORD_LENGTH - next + 1, kind: 'text' });
  return out;
}

/** Positions (1-based) of every field of every record type, as the README prints them. */
export const txLayouts: Record<RecordType, readonly TxField[]> = {
  S: layout('S', studentFields),
  E: layout('E', enrollmentFields),
  C: layout('C', courseFields),
  A: layout('A', assessmentFields),
};

export function txFieldLength(type: RecordType, name: string): number {
  const field = txLayouts[type].find((f) => f.name === name);
  if (!field) throw new Error(`no TX ${type} field ${name}`);
  return field.length;
}

/** Characters ISO-8859-1 cannot hold become `?`, as a Latin-1 system would store them. */
function toLatin1(text: string): string {
  return [...text].map((ch) => ((ch.codePointAt(0) ?? 0) > 0xff ? '?' : ch)).join('');
}

function isLatin1(text: string): boolean {
  return [...text].every((ch) => (ch.codePointAt(0) ?? 0) <= 0xff);
}

function record<T>(type: RecordType, specs: FieldSpec<T>[], item: T, id: string): string {
  let line = type;
  for (const spec of specs) {
    const value = spec.value(item);
    if (value.length > spec.length) {
      throw new RangeError(
        `TX ${type} record of ${id}: ${spec.name} "${value}" is longer than ${spec.length}`,
      );
    }
    if (!isLatin1(value))
      throw new RangeError(`TX ${type} record of ${id}: ${spec.name} is not ISO-8859-1`);
    line += value.padEnd(spec.length, ' ');
  }
  return line.padEnd(TX_RECORD_LENGTH, ' ');
}

export function writeTxFixedWidth(docs: readonly ExchangeDocument[]): Buffer {
  const lines: string[] = [];
  for (const doc of docs) {
    const id = doc.student.stateStudentId;
    lines.push(record('S', studentFields, doc, id));
    for (const e of doc.enrollments) lines.push(record('E', enrollmentFields, { doc, e }, id));
    for (const c of doc.courses) lines.push(record('C', courseFields, { doc, c }, id));
    for (const a of doc.assessments) lines.push(record('A', assessmentFields, { doc, a }, id));
  }
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
}

/** Texas's system keeps only what its fields hold: ISO-8859-1 text cut to each field's width. */
export function txView(doc: ExchangeDocument): ExchangeDocument {
  const fit = (value: string, type: RecordType, name: string): string => {
    const latin = isLatin1(value) ? value : toLatin1(stripAccents(value));
    return latin.slice(0, txFieldLength(type, name)).trimEnd();
  };
  const opt = (value: string | undefined, type: RecordType, name: string) =>
    value === undefined ? undefined : fit(value, type, name);
  const parent = (p: Parent | undefined, n: 1 | 2): Parent | undefined => {
    if (!p) return undefined;
    const out: Parent = {};
    if (p.firstName) out.firstName = fit(p.firstName, 'S', `P${n}-FIRST-NAME`);
    if (p.lastName) out.lastName = fit(p.lastName, 'S', `P${n}-LAST-NAME`);
    if (p.email && p.email.length <= txFieldLength('S', `P${n}-EMAIL`)) out.email = p.email;
    if (p.phone) out.phone = p.phone;
    return out;
  };
  const s = { ...doc.student };
  s.firstName = fit(s.firstName, 'S', 'FIRST-NAME');
  s.lastName1 = fit(s.lastName1, 'S', 'LAST-NAME-1');
  if (s.middleName) s.middleName = fit(s.middleName, 'S', 'MIDDLE-NAME');
  if (s.lastName2) s.lastName2 = fit(s.lastName2, 'S', 'LAST-NAME-2');
  if (s.birthCity) s.birthCity = fit(s.birthCity, 'S', 'BIRTH-CITY');
  const p1 = parent(s.parent1, 1);
  const p2 = parent(s.parent2, 2);
  if (p1) s.parent1 = p1;
  if (p2) s.parent2 = p2;
  const strip = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return {
    student: s,
    qualifyingMoves: doc.qualifyingMoves.map((m) =>
      strip({
        ...m,
        fromCity: opt(m.fromCity, 'E', 'FROM-CITY'),
        toCity: opt(m.toCity, 'E', 'TO-CITY'),
      }),
    ),
    enrollments: doc.enrollments.map((e) =>
      strip({
        ...e,
        districtName: opt(e.districtName, 'E', 'DISTRICT-NAME'),
        schoolName: opt(e.schoolName, 'E', 'SCHOOL-NAME'),
        designatedGraduationSchool: opt(e.designatedGraduationSchool, 'E', 'GRAD-SCHOOL'),
        comment: opt(e.comment, 'E', 'COMMENT'),
      }),
    ),
    courses: doc.courses.map((c) => strip({ ...c, title: fit(c.title, 'C', 'COURSE-TITLE') })),
    assessments: doc.assessments.map((a) => strip({ ...a, title: fit(a.title, 'A', 'TEST-NAME') })),
  };
}
