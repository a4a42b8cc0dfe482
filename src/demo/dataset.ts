/**
 * `generateDemoDataset`: synthetic children, their families' journeys through the demo states,
 * and each state's canonical exchange documents for them, as that state's own system holds them
 * (California's capitals, Texas's field widths, Washington's missing expiration dates), with the
 * ground truth of which state records are the same child.
 */
import type { MedicalAlert } from '../exchange/code-sets.js';
import type {
  ExchangeDocument,
  IsoDate,
  Parent,
  QualifyingMove,
  Student,
} from '../exchange/types.js';
import { eligibilityExpirationDate } from '../exchange/eligibility.js';
import { isIsoDate } from './calendar.js';
import { caView } from './ca-csv.js';
import { assessmentsFor, coursesFor } from './coursework.js';
import type { ChildPlan, FamilyPlan, Stop } from './families.js';
import { planCompositions, planFamily } from './families.js';
import type { DemoDataset, DemoDatasetOptions, DemoPerson, DemoRecordRef } from './model.js';
import { DEMO_DEFAULT_TODAY } from './model.js';
import type { DemoState } from './places.js';
import { demoStates } from './places.js';
import { DemoRandom } from './random.js';
import type { Stay, StayResult } from './schooling.js';
import { stayEnrollments } from './schooling.js';
import { txView } from './tx-fixed-width.js';
import { applyExtraVariations, applyVariations } from './variations.js';
import { waView } from './wa-jsonl.js';

const views: Record<DemoState, (doc: ExchangeDocument) => ExchangeDocument> = {
  CA: caView,
  TX: txView,
  FL: (doc) => doc,
  WA: waView,
};

/** Student identifiers in each state's own shape; `02` is a migrant-program identifier. */
const idShapes: Record<
  DemoState,
  { state: (r: DemoRandom) => string; program: (r: DemoRandom) => string }
> = {
  CA: { state: (r) => `${r.int(1, 9)}${r.digits(9)}`, program: (r) => `M${r.digits(9)}` },
  TX: { state: (r) => `${r.int(1, 9)}${r.digits(9)}`, program: (r) => `TXM${r.digits(7)}` },
  FL: { state: (r) => `FL${r.digits(12)}`, program: (r) => `FLM${r.digits(9)}` },
  WA: { state: (r) => `${r.int(1, 9)}${r.digits(9)}`, program: (r) => `WAM${r.digits(7)}` },
};

interface LivedStay {
  stay: Stay;
  stop: Stop;
  result: StayResult;
}

function staysOf(
  rng: DemoRandom,
  family: FamilyPlan,
  child: ChildPlan,
  today: IsoDate,
): LivedStay[] {
  const lived: LivedStay[] = [];
  family.stops.forEach((stop, i) => {
    if (!stop.demo) return;
    const next = family.stops[i + 1];
    const previous = i > 0 ? family.stops[i - 1]?.place : stop.from;
    const stay: Stay = {
      stop: stop.demo,
      start: stop.qad,
      ...(next ? { end: next.qad } : {}),
      isLast: next === undefined,
      cameFromElsewhere:
        previous !== undefined && (previous.country !== 'US' || previous.state !== stop.demo.state),
    };
    lived.push({ stay, stop, result: stayEnrollments(rng, child, stay, today) });
  });
  return lived;
}

function moveOf(stop: Stop, child: ChildPlan, completedOn: IsoDate | undefined): QualifyingMove {
  const move: QualifyingMove = { qualifyingArrivalDate: stop.qad, toState: stop.demo?.state ?? '' };
  if (stop.from.city) move.fromCity = stop.from.city;
  if (stop.from.state) move.fromState = stop.from.state;
  move.fromCountry = stop.from.country;
  move.toCity = stop.place.city;
  // 36 months from the QAD, unless the child turns 22 or graduates first (eligibility.ts).
  move.eligibilityExpirationDate = eligibilityExpirationDate({
    qualifyingArrivalDate: stop.qad,
    birthDate: child.birthDate,
    graduationDate: completedOn,
  });
  return move;
}

function parentsFor(
  rng: DemoRandom,
  family: FamilyPlan,
): Partial<Pick<Student, 'parent1' | 'parent2'>> {
  const listed = family.parents.map((p): Parent => {
    const copy: Parent = { ...p };
    // Not every state's intake form captures every contact.
    if (copy.email && rng.chance(0.15)) delete copy.email;
    if (copy.phone && rng.chance(0.1)) delete copy.phone;
    return copy;
  });
  const ordered = listed.length === 2 && rng.chance(0.2) ? [...listed].reverse() : listed;
  const out: Partial<Pick<Student, 'parent1' | 'parent2'>> = {};
  if (ordered[0]) out.parent1 = ordered[0];
  if (ordered[1]) out.parent2 = ordered[1];
  return out;
}

function studentFor(
  rng: DemoRandom,
  family: FamilyPlan,
  child: ChildPlan,
  id: string,
  schooled: boolean,
): Student {
  const s: Student = {
    stateStudentId: id,
    stateStudentIdType: schooled ? '01' : '02',
    firstName: child.given.firstName,
    lastName1: child.lastName1,
    sex: child.sex,
    birthDate: child.birthDate,
  };
  if (schooled && rng.chance(0.35)) s.alternateIds = [{ id: rng.digits(6), type: 'district' }];
  if (child.given.middleName) s.middleName = child.given.middleName;
  if (child.lastName2) s.lastName2 = child.lastName2;
  if (child.suffix) s.suffix = child.suffix;
  if (child.multipleBirth) s.multipleBirth = true;
  else if (rng.chance(0.6)) s.multipleBirth = false;
  s.birthCity = child.birthPlace.city;
  if (child.birthPlace.state) s.birthState = child.birthPlace.state;
  s.birthCountry = child.birthPlace.country;
  if (child.birthDateVerification) s.birthDateVerification = child.birthDateVerification;
  return { ...s, ...parentsFor(rng, family) };
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function newId(rng: DemoRandom, state: DemoState, schooled: boolean, used: Set<string>): string {
  const shape = schooled ? idShapes[state].state : idShapes[state].program;
  let id = shape(rng);
  while (used.has(`${state}:${id}`)) id = shape(rng);
  used.add(`${state}:${id}`);
  return id;
}

export function generateDemoDataset(options: DemoDatasetOptions): DemoDataset {
  const { children, seed } = options;
  const today = options.today ?? DEMO_DEFAULT_TODAY;
  if (!Number.isInteger(children) || children < 1) {
    throw new RangeError(`children must be a positive integer: ${children}`);
  }
  if (!isIsoDate(today)) throw new RangeError(`today must be a YYYY-MM-DD date: ${today}`);
  const rng = new DemoRandom(seed);
  const extraRng = options.extraVariations ? new DemoRandom(`${String(seed)}:extra`) : undefined;
  const byState = Object.fromEntries(
    demoStates.map((s) => [s, [] as ExchangeDocument[]]),
  ) as Record<DemoState, ExchangeDocument[]>;
  const people: DemoPerson[] = [];
  const used = new Set<string>();
  let personSeq = 0;

  planCompositions(rng, children).forEach((composition, f) => {
    const personIds = Array.from(
      { length: composition.size },
      () => `P${String(++personSeq).padStart(5, '0')}`,
    );
    const familyId = `F${String(f + 1).padStart(5, '0')}`;
    const family = planFamily(rng, composition, { familyId, personIds }, today);
    for (const child of family.children) {
      const lived = staysOf(rng, family, child, today);
      const completedOn = lived.map((l) => l.result.completedOn).find((d) => d !== undefined);
      const records: DemoRecordRef[] = [];
      const states = [...new Set(lived.map((l) => l.stay.stop.state))];
      states.forEach((state, order) => {
        const mine = lived.filter((l) => l.stay.stop.state === state);
        const enrollments = mine.flatMap((l) => l.result.enrollments);
        const schooled = enrollments.some((e) => ['01', '04', '05'].includes(e.enrollmentType));
        const alert = rng.weighted<MedicalAlert | undefined>([
          ['None', 0.6],
          ['Chronic', 0.05],
          ['Acute', 0.03],
          [undefined, 0.32],
        ]);
        if (alert) for (const e of enrollments) e.medicalAlert = alert;
        const terms = state === 'CA' ? [] : mine.flatMap((l) => l.result.terms);
        const doc: ExchangeDocument = {
          student: studentFor(rng, family, child, newId(rng, state, schooled, used), schooled),
          qualifyingMoves: mine.map((l) => moveOf(l.stop, child, completedOn)),
          enrollments,
          courses: terms.flatMap((t) => coursesFor(rng, state, t.enrollment, t.schoolYear, today)),
          assessments: terms.flatMap((t) =>
            assessmentsFor(rng, state, t.enrollment, t.schoolYear, today),
          ),
        };
        // The first state to record the child has the child's names as they are; later states
        // make the slips that record linkage has to see through.
        const variations = order === 0 ? [] : applyVariations(rng, doc, state);
        if (order > 0 && extraRng) variations.push(...applyExtraVariations(extraRng, doc));
        const view = views[state](doc);
        byState[state].push(view);
        records.push({ state, stateStudentId: view.student.stateStudentId, variations });
      });
      const person: DemoPerson = {
        personId: child.personId,
        familyId,
        identity: {
          firstName: child.given.firstName,
          lastName1: child.lastName1,
          sex: child.sex,
          birthDate: child.birthDate,
          multipleBirth: child.multipleBirth,
        },
        records,
      };
      if (child.given.middleName) person.identity.middleName = child.given.middleName;
      if (child.lastName2) person.identity.lastName2 = child.lastName2;
      if (child.twinOf) person.twinOf = child.twinOf;
      people.push(person);
    }
  });
  for (const state of demoStates) {
    // Code-unit order, not localeCompare: the bytes must not depend on the machine's locale.
    byState[state].sort((a, b) => byCodeUnits(a.student.stateStudentId, b.student.stateStudentId));
  }
  return { today, seed, people, byState };
}
