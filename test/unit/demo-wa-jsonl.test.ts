import assert from 'node:assert/strict';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import { generateDemoDataset } from '../../src/demo/dataset.js';
import { waCodes, writeWaJsonl } from '../../src/demo/wa-jsonl.js';

const dataset = generateDemoDataset({ children: 200, seed: 2026, today: '2025-11-03' });
const docs = dataset.byState.WA;
const text = writeWaJsonl(docs).toString('utf8');

type Node = Record<string, unknown>;
const list = (v: unknown) => (v ?? []) as Node[];
const obj = (v: unknown) => (v ?? {}) as Node;
const yn = (v: unknown) => (v === undefined ? undefined : v === 'Y');
const invert = (table: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k]));
const code = (table: Readonly<Record<string, string>>, v: unknown) =>
  v === undefined ? undefined : invert(table)[String(v)];

/** A reverse mapping written from the README alone. */
function readBack(records: Node[]): ExchangeDocument[] {
  const types = { ...waCodes.enrollmentType, intersession: waCodes.intersession };
  return records.map((r) => {
    const name = obj(r.name);
    const place = obj(r.birthPlace);
    const guardians = list(r.guardians).map((g) => ({
      firstName: g.first,
      lastName: g.last,
      email: g.email,
      phone: g.phone,
    }));
    return {
      student: {
        stateStudentId: r.ssid,
        stateStudentIdType: code(waCodes.idType, r.ssidType),
        alternateIds: r.localId ? [{ id: r.localId, type: 'district' }] : undefined,
        firstName: name.first,
        middleName: name.middle,
        lastName1: name.last,
        lastName2: name.secondLast,
        suffix: name.suffix,
        sex: code(waCodes.sex, r.gender),
        birthDate: r.dob,
        multipleBirth: yn(r.multipleBirth),
        birthCity: place.city,
        birthState: place.state,
        birthCountry: code(waCodes.country, place.country),
        birthDateVerification: code(waCodes.birthDateVerification, r.dobVerification),
        parent1: guardians[0],
        parent2: guardians[1],
      },
      qualifyingMoves: list(r.moves).map((m) => ({
        qualifyingArrivalDate: m.qad,
        fromCity: obj(m.from).city,
        fromState: obj(m.from).state,
        fromCountry: code(waCodes.country, obj(m.from).country),
        toCity: obj(m.to).city,
        toState: obj(m.to).state,
        eligibilityExpirationDate: m.eligibilityEnd,
      })),
      enrollments: list(r.enrollments).map((e) => {
        const type = code(types, e.type);
        return {
          enrollmentDate: e.entryDate,
          withdrawalDate: e.exitDate,
          enrollmentType: type === 'intersession' ? '03' : type,
          schoolId: obj(e.school).ncesId,
          schoolName: obj(e.school).name,
          districtId: obj(e.district).ncesId,
          districtName: obj(e.district).name,
          grade: code(waCodes.grade, e.grade),
          englishLearner: yn(e.ell),
          iep: yn(e.iep),
          priorityForServices: yn(e.pfs),
          medicalAlert: code(waCodes.medicalAlert, e.medicalAlert),
          immunizationRecord: yn(e.immunization),
          residencyDate: obj(e.residency).date,
          residencyVerificationDate: obj(e.residency).verifiedDate,
          designatedGraduationSchool: obj(e.graduation).school,
          graduationDate: obj(e.graduation).date,
          hse: yn(obj(e.graduation).hse),
          continuationOfServicesReason: code(waCodes.continuationOfServices, e.cosReason),
          algebra1: yn(e.algebra1),
          outOfStateTranscript: yn(e.outOfStateTranscript),
          comment: e.comment,
        };
      }),
      courses: list(r.courses).map((c) => ({
        title: c.title,
        subjectArea: code(waCodes.subject, c.subject),
        courseType: code(waCodes.courseType, c.type),
        beginYear: c.beginYear,
        endYear: c.endYear,
        section: code(waCodes.section, c.section),
        termType: code(waCodes.termType, c.term),
        clockHours: c.clockHours,
        gradeToDate: c.gradeToDate,
        creditsGranted: c.credits,
        finalGrade: c.finalGrade,
        inProgress: yn(c.inProgress),
      })),
      assessments: list(r.assessments).map((a) => ({
        title: a.name,
        content: a.content,
        type: a.type,
        administrationDate: a.date,
        reportingMethod: a.reportingMethod,
        score: a.score,
        interpretation: a.result,
      })),
    } as unknown as ExchangeDocument;
  });
}

const clean = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('demo WA JSON Lines', () => {
  const lines = text.split('\n').slice(0, -1);

  it('has one JSON object per line, one line per child, LF-terminated', () => {
    assert.ok(text.endsWith('}\n'), 'ends with a newline');
    assert.equal(lines.length, docs.length);
    for (const line of lines) {
      const record = JSON.parse(line) as Node;
      assert.equal(typeof record, 'object');
      assert.ok(!Array.isArray(record));
    }
  });

  it("uses Washington's keys and Y/N strings for flags", () => {
    const records = lines.map((l) => JSON.parse(l) as Node);
    for (const r of records) {
      assert.ok(typeof r.ssid === 'string' && typeof r.dob === 'string');
      assert.ok(typeof obj(r.name).first === 'string' && typeof obj(r.name).last === 'string');
      assert.ok(Array.isArray(r.moves) && Array.isArray(r.enrollments));
      for (const e of list(r.enrollments)) {
        for (const key of ['ell', 'iep', 'pfs', 'immunization', 'algebra1']) {
          if (e[key] !== undefined)
            assert.ok(e[key] === 'Y' || e[key] === 'N', `${key}: ${String(e[key])}`);
        }
      }
      for (const m of list(r.moves))
        assert.equal(m.eligibilityEnd, undefined, 'WA keeps no expiration');
    }
    assert.ok(
      records.some((r) => obj(r.name).secondLast),
      'second surnames',
    );
    assert.ok(
      records.some((r) => r.multipleBirth === 'Y'),
      'multiple births',
    );
    assert.ok(
      records.some((r) => list(r.courses).length > 0),
      'course history',
    );
    assert.ok(!text.includes('null'), 'absent values are absent keys');
  });

  it('reads back, by the README, to exactly the canonical documents', () => {
    assert.deepEqual(clean(readBack(lines.map((l) => JSON.parse(l) as Node))), clean([...docs]));
  });
});
