import assert from 'node:assert/strict';
import type {
  Assessment,
  Course,
  Enrollment,
  ExchangeDocument,
  QualifyingMove,
} from '../../src/exchange/types.js';
import { generateDemoDataset } from '../../src/demo/dataset.js';
import { txCodes } from '../../src/demo/tx-codes.js';
import {
  TX_RECORD_LENGTH,
  txLayouts,
  txView,
  writeTxFixedWidth,
} from '../../src/demo/tx-fixed-width.js';

const dataset = generateDemoDataset({ children: 200, seed: 2026, today: '2025-11-03' });
const docs = dataset.byState.TX;
const bytes = writeTxFixedWidth(docs);
const lines = bytes.toString('latin1').split('\r\n').slice(0, -1);

type RecordType = keyof typeof txLayouts;

function fields(line: string): Record<string, string> {
  const type = line[0] as RecordType;
  const layout = txLayouts[type];
  assert.ok(layout, `unknown record type ${type}`);
  return Object.fromEntries(
    layout.map((f) => [f.name, line.slice(f.start - 1, f.start - 1 + f.length).trimEnd()]),
  );
}

const invert = (table: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k]));
const date = (d: string | undefined) =>
  d ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : undefined;
const flag = (v: string | undefined) => (v ? v === '1' : undefined);
const text = (v: string | undefined) => v || undefined;
const num = (v: string | undefined) => (v ? Number(v) : undefined);
const phone = (v: string | undefined) =>
  v ? `${v.slice(0, 3)}-${v.slice(3, 6)}-${v.slice(6)}` : undefined;

/** A reverse mapping written from the README alone. */
function readBack(): ExchangeDocument[] {
  const out: ExchangeDocument[] = [];
  const countries = invert(txCodes.country);
  const types: Record<string, string> = {
    ...invert(txCodes.enrollmentType),
    [txCodes.intersession]: '03',
  };
  let doc: ExchangeDocument | undefined;
  for (const line of lines) {
    const f = fields(line);
    if (line[0] === 'S') {
      const parent = (n: number) => {
        const p = {
          firstName: text(f[`P${n}-FIRST-NAME`]),
          lastName: text(f[`P${n}-LAST-NAME`]),
          email: text(f[`P${n}-EMAIL`]),
          phone: phone(f[`P${n}-PHONE`]),
        };
        return Object.values(p).some((v) => v !== undefined) ? p : undefined;
      };
      doc = {
        student: {
          stateStudentId: f['STUDENT-ID'] ?? '',
          stateStudentIdType: invert(txCodes.idType)[f['ID-TYPE'] ?? ''] as '01',
          alternateIds: f['LOCAL-ID'] ? [{ id: f['LOCAL-ID'], type: 'district' }] : undefined,
          firstName: f['FIRST-NAME'] ?? '',
          middleName: text(f['MIDDLE-NAME']),
          lastName1: f['LAST-NAME-1'] ?? '',
          lastName2: text(f['LAST-NAME-2']),
          suffix: f.GENERATION ? invert(txCodes.suffix)[f.GENERATION] : undefined,
          sex: invert(txCodes.sex)[f.SEX ?? ''] as 'F',
          birthDate: date(f['BIRTH-DATE']) ?? '',
          multipleBirth: flag(f['MULTIPLE-BIRTH']),
          birthCity: text(f['BIRTH-CITY']),
          birthState: text(f['BIRTH-STATE']),
          birthCountry: countries[f['BIRTH-COUNTRY'] ?? ''],
          birthDateVerification: invert(txCodes.birthDateVerification)[
            f['BIRTH-DATE-VERIF'] ?? ''
          ] as '1004',
          parent1: parent(1),
          parent2: parent(2),
        },
        qualifyingMoves: [],
        enrollments: [],
        courses: [],
        assessments: [],
      };
      out.push(doc);
      continue;
    }
    assert.ok(doc && f['STUDENT-ID'] === doc.student.stateStudentId, 'record of another child');
    if (line[0] === 'E') {
      const qad = date(f.QAD) ?? '';
      if (!doc.qualifyingMoves.some((m) => m.qualifyingArrivalDate === qad)) {
        doc.qualifyingMoves.push({
          qualifyingArrivalDate: qad,
          fromCity: text(f['FROM-CITY']),
          fromState: text(f['FROM-STATE']),
          fromCountry: countries[f['FROM-COUNTRY'] ?? ''],
          toCity: text(f['TO-CITY']),
          toState: 'TX',
          eligibilityExpirationDate: date(f['ELIG-EXP-DATE']),
        } as QualifyingMove);
      }
      doc.enrollments.push({
        enrollmentDate: date(f['ENROLL-DATE']),
        withdrawalDate: date(f['WITHDRAW-DATE']),
        enrollmentType: types[f['ENROLL-TYPE'] ?? ''],
        schoolId: text(f['SCHOOL-ID']),
        schoolName: text(f['SCHOOL-NAME']),
        districtId: text(f['DISTRICT-ID']),
        districtName: text(f['DISTRICT-NAME']),
        grade: invert(txCodes.grade)[f.GRADE ?? ''],
        englishLearner: flag(f.LEP),
        iep: flag(f.SPED),
        priorityForServices: flag(f.PFS),
        medicalAlert: invert(txCodes.medicalAlert)[f['MED-ALERT'] ?? ''],
        immunizationRecord: flag(f.IMMUNIZ),
        residencyDate: date(f['RES-DATE']),
        residencyVerificationDate: date(f['RES-VERIF-DATE']),
        designatedGraduationSchool: text(f['GRAD-SCHOOL']),
        graduationDate: date(f['GRAD-DATE']),
        hse: flag(f.HSE),
        continuationOfServicesReason: invert(txCodes.continuationOfServices)[f['COS-REASON'] ?? ''],
        algebra1: flag(f.ALGEBRA1),
        outOfStateTranscript: flag(f['OOS-TRANSCRIPT']),
        comment: text(f.COMMENT),
      } as Enrollment);
    } else if (line[0] === 'C') {
      doc.courses.push({
        title: f['COURSE-TITLE'],
        subjectArea: text(f['SUBJECT-AREA']),
        courseType: invert(txCodes.courseType)[f['COURSE-TYPE'] ?? ''],
        beginYear: num(f['BEGIN-YEAR']),
        endYear: num(f['END-YEAR']),
        section: invert(txCodes.section)[f.SECTION ?? ''],
        termType: invert(txCodes.termType)[f['TERM-TYPE'] ?? ''],
        clockHours: num(f['CLOCK-HOURS']),
        gradeToDate: text(f['GRADE-TO-DATE']),
        creditsGranted: num(f.CREDITS),
        finalGrade: text(f['FINAL-GRADE']),
        inProgress: flag(f['IN-PROGRESS']),
      } as Course);
    } else {
      doc.assessments.push({
        title: f['TEST-NAME'],
        content: text(f.CONTENT),
        type: text(f['TEST-TYPE']),
        administrationDate: date(f['ADMIN-DATE']),
        reportingMethod: text(f['REPORTING-METHOD']),
        score: text(f.SCORE),
        interpretation: text(f.INTERPRETATION),
      } as Assessment);
    }
  }
  return out;
}

const clean = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('demo TX fixed-width', () => {
  it('is ISO-8859-1: an accented letter is one byte, never a UTF-8 sequence', () => {
    const latin = bytes.toString('latin1');
    assert.equal(bytes.length, latin.length, 'one byte per character');
    assert.ok(/[ñÑáéíóúÁÉÍÓÚ]/.test(latin), 'the file has accented names');
    assert.ok(
      bytes.includes(Buffer.from('ñ', 'latin1')) || bytes.includes(Buffer.from('í', 'latin1')),
    );
    assert.ok(!bytes.includes(Buffer.from('ñ', 'utf8')), 'no UTF-8 ñ');
    assert.ok(!bytes.includes(Buffer.from('í', 'utf8')), 'no UTF-8 í');
  });

  it('has CRLF lines of exactly the documented record length', () => {
    assert.ok(bytes.toString('latin1').endsWith('\r\n'));
    assert.ok(lines.length > docs.length);
    for (const [i, line] of lines.entries()) {
      assert.equal(line.length, TX_RECORD_LENGTH, `line ${i + 1}`);
      assert.ok(!line.includes('\n') && !line.includes('\r'), `line ${i + 1}`);
    }
  });

  it('lays every record type end to end from column 1 to the record length', () => {
    for (const [type, layout] of Object.entries(txLayouts)) {
      let next = 1;
      for (const f of layout) {
        assert.equal(f.start, next, `${type} ${f.name}`);
        next += f.length;
      }
      assert.equal(next - 1, TX_RECORD_LENGTH, type);
    }
  });

  it('orders each child as S, then its E, C and A records', () => {
    const order = { S: 0, E: 1, C: 2, A: 3 } as Record<string, number>;
    let last = -1;
    for (const line of lines) {
      const rank = order[line[0] ?? ''];
      assert.ok(rank !== undefined, `record type ${line[0]}`);
      assert.ok(rank === 0 || rank >= last, 'out of order');
      last = rank;
    }
    assert.equal(lines.filter((l) => l.startsWith('S')).length, docs.length);
    for (const t of ['E', 'C', 'A'])
      assert.ok(
        lines.some((l) => l.startsWith(t)),
        t,
      );
  });

  it('reads back, by the README, to exactly the canonical documents', () => {
    assert.deepEqual(clean(readBack()), clean([...docs]));
  });

  it('holds what its fields hold, and refuses what they cannot', () => {
    const doc = structuredClone(docs[0] as ExchangeDocument);
    doc.student.firstName = 'Maximiliano Alejandro de Jesús';
    doc.student.lastName1 = 'Nguyễn';
    const view = txView(doc);
    assert.equal(view.student.firstName, 'Maximiliano Alejandr');
    assert.equal(view.student.lastName1, 'Nguyen');
    assert.throws(() => writeTxFixedWidth([doc]), /LAST-NAME-1 is not ISO-8859-1/);
    doc.student.lastName1 = 'Núñez';
    assert.throws(() => writeTxFixedWidth([doc]), /FIRST-NAME .* is longer than 20/);
    assert.doesNotThrow(() => writeTxFixedWidth([view]));
  });
});
