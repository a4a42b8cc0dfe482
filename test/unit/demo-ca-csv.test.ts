import assert from 'node:assert/strict';
import type {
  Enrollment,
  ExchangeDocument,
  QualifyingMove,
  Student,
} from '../../src/exchange/types.js';
import { caCodes, caColumns, writeCaCsv } from '../../src/demo/ca-csv.js';
import { generateDemoDataset } from '../../src/demo/dataset.js';

const dataset = generateDemoDataset({ children: 200, seed: 2026, today: '2025-11-03' });
const docs = dataset.byState.CA;
const bytes = writeCaCsv(docs);

/** RFC 4180 with every field quoted, as the CA layout promises. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    assert.equal(text[i], '"', `field at ${i} is not quoted`);
    let value = '';
    i++;
    for (;;) {
      const ch = text[i];
      if (ch === undefined) throw new Error('unterminated field');
      if (ch === '"' && text[i + 1] === '"') {
        value += '"';
        i += 2;
      } else if (ch === '"') {
        i++;
        break;
      } else {
        value += ch;
        i++;
      }
    }
    row.push(value);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return rows;
}

const invert = (table: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k]));
const usDate = (d: string) => (d ? `${d.slice(6)}-${d.slice(0, 2)}-${d.slice(3, 5)}` : undefined);
const yn = (v: string) => (v === '' ? undefined : v === 'Y');
const phone = (v: string) => {
  const m = /^\((\d{3})\) (\d{3})-(\d{4})$/.exec(v);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
};

/** A reverse mapping written from the README alone, as a state's mapping author would. */
function readBack(rows: string[][]): ExchangeDocument[] {
  const [header, ...data] = rows;
  assert.ok(header);
  const col = (r: string[], name: string) => r[header.indexOf(name)] ?? '';
  const byId = new Map<string, string[][]>();
  for (const r of data) byId.set(col(r, 'SSID'), [...(byId.get(col(r, 'SSID')) ?? []), r]);
  const countries = invert(caCodes.country);
  const enrollmentTypes: Record<string, string> = {
    ...invert(caCodes.enrollmentType),
    [caCodes.intersession]: '03',
  };
  return [...byId.entries()].map(([id, group]) => {
    const r = group[0] as string[];
    const [surnames = '', given = ''] = col(r, 'STUDENT_NAME').split(', ');
    const [last1 = '', last2] = surnames.split(' ');
    const space = given.indexOf(' ');
    const s: Record<string, unknown> = {
      stateStudentId: id,
      stateStudentIdType: invert(caCodes.idType)[col(r, 'SSID_TYPE')],
      alternateIds: col(r, 'LOCAL_STUDENT_ID')
        ? [{ id: col(r, 'LOCAL_STUDENT_ID'), type: 'district' }]
        : undefined,
      firstName: space < 0 ? given : given.slice(0, space),
      middleName: space < 0 ? undefined : given.slice(space + 1),
      lastName1: last1,
      lastName2: last2,
      suffix: { JR: 'Jr', II: 'II', III: 'III' }[col(r, 'NAME_SUFFIX')],
      sex: invert(caCodes.sex)[col(r, 'SEX')],
      birthDate: usDate(col(r, 'BIRTH_DATE')),
      multipleBirth: yn(col(r, 'MULTIPLE_BIRTH')),
      birthCity: col(r, 'BIRTH_CITY') || undefined,
      birthState: col(r, 'BIRTH_STATE') || undefined,
      birthCountry: countries[col(r, 'BIRTH_COUNTRY')],
      birthDateVerification: invert(caCodes.birthDateVerification)[
        col(r, 'BIRTH_DATE_VERIFICATION')
      ],
    };
    for (const n of [1, 2]) {
      const p = {
        firstName: col(r, `PARENT${n}_FIRST_NAME`) || undefined,
        lastName: col(r, `PARENT${n}_LAST_NAME`) || undefined,
        email: col(r, `PARENT${n}_EMAIL`) || undefined,
        phone: phone(col(r, `PARENT${n}_PHONE`)),
      };
      if (Object.values(p).some((v) => v !== undefined)) s[`parent${n}`] = p;
    }
    const moves = new Map<string, QualifyingMove>();
    const enrollments: Enrollment[] = [];
    for (const e of group) {
      const qad = usDate(col(e, 'QAD')) as string;
      moves.set(qad, {
        qualifyingArrivalDate: qad,
        fromCity: col(e, 'QAD_FROM_CITY') || undefined,
        fromState: col(e, 'QAD_FROM_STATE') || undefined,
        fromCountry: countries[col(e, 'QAD_FROM_COUNTRY')],
        toCity: col(e, 'QAD_TO_CITY') || undefined,
        toState: 'CA',
        eligibilityExpirationDate: usDate(col(e, 'ELIGIBILITY_END_DATE')),
      } as QualifyingMove);
      enrollments.push({
        enrollmentDate: usDate(col(e, 'ENROLLMENT_DATE')),
        withdrawalDate: usDate(col(e, 'WITHDRAWAL_DATE')),
        enrollmentType: enrollmentTypes[col(e, 'ENROLLMENT_TYPE')],
        schoolId: col(e, 'SCHOOL_NCES_ID') || undefined,
        schoolName: col(e, 'SCHOOL_NAME') || undefined,
        districtId: col(e, 'DISTRICT_NCES_ID') || undefined,
        districtName: col(e, 'DISTRICT_NAME') || undefined,
        grade: invert(caCodes.grade)[col(e, 'GRADE')],
        englishLearner: yn(col(e, 'ENGLISH_LEARNER')),
        iep: yn(col(e, 'IEP')),
        priorityForServices: yn(col(e, 'PRIORITY_FOR_SERVICES')),
        medicalAlert: invert(caCodes.medicalAlert)[col(e, 'MEDICAL_ALERT')],
        immunizationRecord: yn(col(e, 'IMMUNIZATION_RECORD')),
        residencyDate: usDate(col(e, 'RESIDENCY_DATE')),
        residencyVerificationDate: usDate(col(e, 'RESIDENCY_VERIFICATION_DATE')),
        designatedGraduationSchool: col(e, 'DESIGNATED_GRAD_SCHOOL') || undefined,
        graduationDate: usDate(col(e, 'GRADUATION_DATE')),
        hse: yn(col(e, 'HSE')),
        continuationOfServicesReason: invert(caCodes.continuationOfServices)[col(e, 'COS_REASON')],
        algebra1: yn(col(e, 'ALGEBRA1')),
        outOfStateTranscript: yn(col(e, 'OUT_OF_STATE_TRANSCRIPT')),
        comment: col(e, 'COMMENT') || undefined,
      } as Enrollment);
    }
    return {
      student: s as unknown as Student,
      qualifyingMoves: [...moves.values()],
      enrollments,
      courses: [],
      assessments: [],
    };
  });
}

/** Drops undefined keys so that deepEqual compares what is there. */
function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('demo CA CSV', () => {
  const text = bytes.subarray(3).toString('utf8');
  const rows = parseCsv(text);

  it('starts with a UTF-8 byte-order mark and ends lines with CRLF', () => {
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(text.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(text), 'a bare LF');
  });

  it('has the documented header and one row per enrollment', () => {
    assert.deepEqual(
      rows[0],
      caColumns.map(([h]) => h),
    );
    const enrollments = docs.reduce((n, d) => n + d.enrollments.length, 0);
    assert.equal(rows.length - 1, enrollments);
    assert.ok(
      docs.some((d) => d.enrollments.length >= 2),
      'a child with several rows',
    );
    for (const r of rows) assert.equal(r.length, caColumns.length);
  });

  it('prints names as LAST1 LAST2, FIRST MIDDLE in capitals, dates as MM/DD/YYYY, own codes', () => {
    const header = rows[0] ?? [];
    const at = (name: string) => header.indexOf(name);
    for (const r of rows.slice(1)) {
      assert.match(r[at('STUDENT_NAME')] ?? '', /^[^,a-z]+, [^,a-z]+$/u);
      assert.match(r[at('BIRTH_DATE')] ?? '', /^\d{2}\/\d{2}\/\d{4}$/);
      assert.ok(['1', '2', '3'].includes(r[at('SEX')] ?? ''));
      assert.ok(Object.values(caCodes.grade).includes(r[at('GRADE')] ?? ''), r[at('GRADE')]);
      const phoneCells = [r[at('PARENT1_PHONE')], r[at('PARENT2_PHONE')]].filter(Boolean);
      for (const p of phoneCells) assert.match(p ?? '', /^\(\d{3}\) 555-01\d{2}$/);
    }
    const types = new Set(rows.slice(1).map((r) => r[at('ENROLLMENT_TYPE')]));
    for (const t of ['Regular', 'Summer', 'Residency']) assert.ok(types.has(t), t);
    assert.ok(
      rows.some((r) => /^PK\d$/.test(r[at('GRADE')] ?? '')),
      'preschool grades like PK3',
    );
    assert.ok(
      rows.some((r) => r[at('GRADE')] === 'OSY'),
      'out-of-school youth',
    );
    assert.ok(
      rows.some((r) => (r[at('COMMENT')] ?? '').includes('"')),
      'a quote inside a field',
    );
  });

  it('reads back, by the README, to exactly the canonical documents', () => {
    assert.deepEqual(clean(readBack(rows)), clean([...docs]));
  });

  it('refuses a name it could not split back', () => {
    const doc = structuredClone(docs[0] as ExchangeDocument);
    doc.student.lastName1 = 'DE LA CRUZ';
    assert.throws(() => writeCaCsv([doc]), /cannot be split/);
  });
});
