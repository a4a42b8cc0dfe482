import assert from 'node:assert/strict';
import { codeSets, codesOf, countries, states } from '../../src/exchange/code-sets.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import { validateExchangeDocument } from '../../src/exchange/validate.js';
import { addMonths } from '../../src/demo/calendar.js';
import { generateDemoDataset } from '../../src/demo/dataset.js';
import { demoStates } from '../../src/demo/places.js';
import { renderDemoFiles } from '../../src/demo/write-files.js';

const today = '2025-11-03';
const dataset = generateDemoDataset({ children: 200, seed: 2026, today });
const allDocs = demoStates.flatMap((s) => dataset.byState[s].map((doc) => ({ state: s, doc })));
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function datesOf(doc: ExchangeDocument): string[] {
  const out: string[] = [doc.student.birthDate];
  for (const m of doc.qualifyingMoves) {
    out.push(m.qualifyingArrivalDate);
    if (m.eligibilityExpirationDate) out.push(m.eligibilityExpirationDate);
  }
  for (const e of doc.enrollments) {
    for (const d of [e.enrollmentDate, e.withdrawalDate, e.residencyDate, e.graduationDate]) {
      if (d) out.push(d);
    }
    if (e.residencyVerificationDate) out.push(e.residencyVerificationDate);
  }
  for (const a of doc.assessments) if (a.administrationDate) out.push(a.administrationDate);
  return out;
}

describe('demo dataset', () => {
  it('is deterministic: the same seed and size give identical files', () => {
    const again = renderDemoFiles(generateDemoDataset({ children: 200, seed: 2026, today }));
    const first = renderDemoFiles(dataset);
    for (const s of demoStates) assert.ok(first[s].equals(again[s]), `${s} differs`);
  });

  it('differs with another seed, and takes text seeds', () => {
    const other = renderDemoFiles(generateDemoDataset({ children: 200, seed: 2027, today }));
    const first = renderDemoFiles(dataset);
    for (const s of demoStates) assert.ok(!first[s].equals(other[s]), `${s} is the same`);
    const text1 = renderDemoFiles(generateDemoDataset({ children: 20, seed: 'demo', today }));
    const text2 = renderDemoFiles(generateDemoDataset({ children: 20, seed: 'demo', today }));
    assert.ok(text1.TX.equals(text2.TX));
  });

  it('has exactly the children asked for, each recorded by at least one state', () => {
    assert.equal(dataset.people.length, 200);
    assert.equal(new Set(dataset.people.map((p) => p.personId)).size, 200);
    for (const p of dataset.people) assert.ok(p.records.length >= 1, p.personId);
    const refs = dataset.people.flatMap((p) =>
      p.records.map((r) => `${r.state}:${r.stateStudentId}`),
    );
    const docs = allDocs.map(({ state, doc }) => `${state}:${doc.student.stateStudentId}`);
    assert.deepEqual(
      [...refs].sort(),
      [...docs].sort(),
      'truth and documents name the same records',
    );
  });

  it('rejects a bad size or date', () => {
    assert.throws(() => generateDemoDataset({ children: 0, seed: 1 }), RangeError);
    assert.throws(() => generateDemoDataset({ children: 2.5, seed: 1 }), RangeError);
    assert.throws(
      () => generateDemoDataset({ children: 5, seed: 1, today: '2025-13-01' }),
      RangeError,
    );
  });

  it('gives documents that pass the exchange validator', () => {
    for (const { state, doc } of allDocs) {
      const result = validateExchangeDocument(doc, { today });
      assert.ok(result.ok, `${state} ${doc.student.stateStudentId}: ${JSON.stringify(result)}`);
    }
  });

  it('gives documents that pass basic structural checks', () => {
    const earliestQad = addMonths(today, -36);
    for (const { state, doc } of allDocs) {
      const id = `${state} ${doc.student.stateStudentId}`;
      assert.ok(doc.qualifyingMoves.length >= 1, `${id}: no qualifying move`);
      assert.ok(doc.enrollments.length >= 1, `${id}: no enrollment`);
      assert.ok(doc.student.stateStudentId.length <= 15, id);
      for (const d of datesOf(doc)) assert.match(d, isoDate, id);
      for (const m of doc.qualifyingMoves) {
        assert.equal(m.toState, state, id);
        assert.ok(m.qualifyingArrivalDate >= earliestQad && m.qualifyingArrivalDate <= today, id);
        assert.ok(m.qualifyingArrivalDate > doc.student.birthDate, `${id}: born after the QAD`);
        if (m.fromCountry) assert.ok(codesOf(countries).includes(m.fromCountry), id);
        if (m.fromState) assert.ok(codesOf(states).includes(m.fromState), id);
      }
      const firstQad = doc.qualifyingMoves.map((m) => m.qualifyingArrivalDate).sort()[0] ?? '';
      for (const e of doc.enrollments) {
        assert.ok(codesOf(codeSets.gradeLevel).includes(e.grade), `${id}: grade ${e.grade}`);
        assert.ok(codesOf(codeSets.enrollmentType).includes(e.enrollmentType), id);
        assert.ok(e.enrollmentDate >= firstQad, `${id}: enrolled before any QAD`);
        assert.ok(e.enrollmentDate <= today, id);
        if (e.withdrawalDate) assert.ok(e.withdrawalDate >= e.enrollmentDate, id);
        if (e.schoolId && e.districtId) assert.ok(e.schoolId.startsWith(e.districtId), id);
        if (e.districtId)
          assert.match(e.districtId, /^(06|48|12|53)99\d{3}$/, `${id}: not fictional`);
      }
      for (const c of doc.courses) {
        if (c.courseType) assert.ok(codesOf(codeSets.courseType).includes(c.courseType), id);
        if (c.termType) assert.ok(codesOf(codeSets.termType).includes(c.termType), id);
        if (c.section) assert.ok(codesOf(codeSets.courseSection).includes(c.section), id);
      }
      const s = doc.student;
      assert.ok(codesOf(codeSets.sex).includes(s.sex), id);
      if (s.birthCountry) assert.ok(codesOf(countries).includes(s.birthCountry), id);
    }
  });

  it('has children aged 0 to 21 whose latest QAD is within the last 36 months', () => {
    for (const p of dataset.people) {
      assert.ok(p.identity.birthDate > addMonths(today, -22 * 12), p.personId);
      assert.ok(p.identity.birthDate < today, p.personId);
    }
    const ages = dataset.people.map(
      (p) => Number(today.slice(0, 4)) - Number(p.identity.birthDate.slice(0, 4)),
    );
    assert.ok(
      ages.some((a) => a <= 2),
      'infants and toddlers',
    );
    assert.ok(
      ages.some((a) => a >= 18),
      'out-of-school youth ages',
    );
  });

  it('covers every kind of enrollment, out-of-school youth, course history and assessments', () => {
    const enrollments = allDocs.flatMap(({ doc }) => doc.enrollments);
    const types = new Set(enrollments.map((e) => e.enrollmentType));
    for (const t of ['01', '02', '03', '05', '06']) assert.ok(types.has(t as never), `type ${t}`);
    assert.ok(
      enrollments.some((e) => e.grade === 'OS'),
      'out-of-school youth',
    );
    assert.ok(
      enrollments.some((e) => e.enrollmentType === '03' && !/-0[678]-/.test(e.enrollmentDate)),
      'intersession',
    );
    const courses = allDocs.flatMap(({ doc }) => doc.courses);
    assert.ok(
      courses.some((c) => c.inProgress === true),
      'courses in progress',
    );
    assert.ok(
      courses.some((c) => c.inProgress === false && c.finalGrade === undefined && c.gradeToDate),
      'partial credit',
    );
    assert.ok(
      courses.some((c) => c.finalGrade !== undefined && (c.creditsGranted ?? 0) > 0),
      'completed',
    );
    assert.ok(
      allDocs.some(({ doc }) => doc.assessments.length > 0),
      'assessments',
    );
    const fromAbroad = allDocs
      .flatMap(({ doc }) => doc.qualifyingMoves)
      .filter((m) => m.fromCountry !== 'US');
    assert.ok(
      fromAbroad.some((m) => m.fromCountry === 'MX'),
      'moves from Mexico',
    );
    assert.ok(
      fromAbroad.some((m) => ['GT', 'HN', 'SV'].includes(m.fromCountry ?? '')),
      'from Central America',
    );
  });

  it('records 20 to 30 % of the children in two or three states', () => {
    const multi = dataset.people.filter((p) => new Set(p.records.map((r) => r.state)).size >= 2);
    const share = multi.length / dataset.people.length;
    assert.ok(share >= 0.2 && share <= 0.3, `share ${share}`);
    assert.ok(
      dataset.people.some((p) => p.records.length === 3),
      'some in three states',
    );
  });

  it("varies the later states' records the way registrars do", () => {
    const seen = new Set(dataset.people.flatMap((p) => p.records.flatMap((r) => r.variations)));
    const big = generateDemoDataset({ children: 1000, seed: 2026, today });
    for (const p of big.people)
      for (const r of p.records) for (const v of r.variations) seen.add(v);
    for (const v of [
      'missingSecondSurname',
      'surnamesSwapped',
      'hyphenatedSurnames',
      'joinedSurnames',
      'nickname',
      'accentsDropped',
      'birthDateTransposed',
      'middleNameMissing',
    ]) {
      assert.ok(seen.has(v as never), `no ${v}`);
    }
    for (const p of dataset.people) assert.deepEqual(p.records[0]?.variations, [], p.personId);
  });

  it('has twins: same birth date and surnames, different first names, flagged', () => {
    const twins = dataset.people.filter((p) => p.twinOf);
    assert.equal(twins.length, 10, 'one pair per 40 children');
    for (const t of twins) {
      const other = dataset.people.find((p) => p.personId === t.twinOf);
      assert.ok(other, t.personId);
      assert.equal(other.twinOf, t.personId);
      assert.equal(other.familyId, t.familyId);
      assert.equal(other.identity.birthDate, t.identity.birthDate);
      assert.equal(other.identity.lastName1, t.identity.lastName1);
      assert.equal(other.identity.lastName2, t.identity.lastName2);
      assert.notEqual(other.identity.firstName, t.identity.firstName);
      assert.equal(t.identity.multipleBirth, true);
    }
    const flagged = allDocs.filter(({ doc }) => doc.student.multipleBirth === true);
    assert.ok(flagged.length >= twins.length, 'the states send the multiple-birth flag');
    const small = generateDemoDataset({ children: 3, seed: 5, today });
    assert.equal(small.people.filter((p) => p.twinOf).length, 2, 'a pair even in a tiny dataset');
  });

  it('uses only example.org e-mails and 555-01xx telephone numbers', () => {
    for (const { doc } of allDocs) {
      for (const p of [doc.student.parent1, doc.student.parent2]) {
        if (p?.email) assert.match(p.email, /^[a-z0-9.]+@example\.org$/);
        if (p?.phone) assert.match(p.phone, /^\d{3}-555-01\d{2}$/);
      }
    }
    const phones = allDocs.flatMap(({ doc }) => [doc.student.parent1?.phone]).filter(Boolean);
    assert.ok(phones.length > 50, 'parents have phones');
  });
});
