/**
 * Families and their journeys. Migrant children move with their families (or, as out-of-school
 * youth, alone), so the generator plans families first: who the parents are, where they come
 * from, and the dated stops of their itinerary. Each stop in a demo state becomes a qualifying
 * move in that state's records; children of one family share every stop.
 */
import type { BirthDateVerification, Sex } from '../exchange/code-sets.js';
import type { IsoDate, Parent } from '../exchange/types.js';
import { addDays, addYears, daysBetween, minDate } from './calendar.js';
import type { GivenName } from './names.js';
import {
  angloGivenName,
  angloSurname,
  demoEmail,
  demoPhone,
  hispanicGivenName,
  hispanicSurname,
} from './names.js';
import type { DemoDistrict, DemoState, Place } from './places.js';
import { demoStateInfo, demoStates, originsAbroad, otherUsPlaces } from './places.js';
import type { DemoRandom } from './random.js';

export interface DemoStop {
  state: DemoState;
  district: DemoDistrict;
}

export interface Stop {
  place: Place;
  /** Set for stops in a demo state: the state and the district the family settles in. */
  demo?: DemoStop;
  qad: IsoDate;
  from: Place;
}

export interface ChildPlan {
  personId: string;
  sex: Sex;
  given: GivenName;
  lastName1: string;
  lastName2?: string;
  suffix?: string;
  birthDate: IsoDate;
  birthPlace: Place;
  birthDateVerification?: BirthDateVerification;
  multipleBirth: boolean;
  twinOf?: string;
  /** -1 for a child a year behind the grade for age. */
  gradeOffset: number;
  outOfSchool: boolean;
  englishLearner: boolean;
  iep: boolean;
}

export interface FamilyPlan {
  familyId: string;
  hispanic: boolean;
  parents: Parent[];
  stops: Stop[];
  children: ChildPlan[];
}

interface Composition {
  size: number;
  twins: boolean;
  multiState: boolean;
}

/** About a quarter of the children are recorded in two or three demo states. */
export const MULTI_STATE_SHARE = 0.25;
/** About one child in forty is a twin pair's first twin (so one in twenty is a twin). */
export const TWIN_PAIR_SHARE = 0.025;

export function planCompositions(rng: DemoRandom, children: number): Composition[] {
  let twinPairs = children >= 2 ? Math.max(1, Math.round(children * TWIN_PAIR_SHARE)) : 0;
  const list: Composition[] = [];
  let remaining = children;
  while (remaining > 0) {
    let size: number;
    let twins = false;
    if (twinPairs > 0 && remaining >= 2) {
      twins = true;
      twinPairs--;
      size = Math.min(remaining, rng.chance(0.3) ? 3 : 2);
    } else {
      const wanted = rng.weighted([
        [1, 0.45],
        [2, 0.3],
        [3, 0.18],
        [4, 0.07],
      ] as const);
      size = Math.min(remaining, wanted);
    }
    list.push({ size, twins, multiState: false });
    remaining -= size;
  }
  const shuffled = rng.shuffle(list);
  const target = Math.round(children * MULTI_STATE_SHARE);
  let movers = 0;
  for (const c of shuffled) {
    if (movers < target && movers + c.size <= target + 1) {
      c.multiState = true;
      movers += c.size;
    }
  }
  return shuffled;
}

function demoStop(rng: DemoRandom, state: DemoState, avoid?: DemoDistrict): DemoStop {
  const choices = demoStateInfo[state].districts.filter((d) => d !== avoid);
  return { state, district: rng.pick(choices) };
}

function stopPlace(demo: DemoStop): Place {
  return { city: demo.district.city, state: demo.state, country: 'US' };
}

/** The sequence of places, before dates: demo states, and places that send no file. */
function routeOf(rng: DemoRandom, multiState: boolean): (DemoStop | Place)[] {
  const states = rng.shuffle(demoStates);
  const [a, b, c] = states as [DemoState, DemoState, DemoState, DemoState];
  let route: (DemoStop | Place)[];
  if (multiState) {
    const kind = rng.weighted([
      ['two', 0.7],
      ['three', 0.2],
      ['return', 0.1],
    ] as const);
    const first = demoStop(rng, a);
    if (kind === 'two') route = [first, demoStop(rng, b)];
    else if (kind === 'three') route = [first, demoStop(rng, b), demoStop(rng, c)];
    else route = [first, demoStop(rng, b), demoStop(rng, a)];
  } else {
    const first = demoStop(rng, a);
    const kind = rng.weighted([
      ['one', 0.72],
      ['intrastate', 0.16],
      ['away-and-back', 0.12],
    ] as const);
    if (kind === 'one') route = [first];
    else if (kind === 'intrastate') route = [first, demoStop(rng, a, first.district)];
    else route = [first, rng.pick(otherUsPlaces), demoStop(rng, a)];
  }
  // Some families have left the demo states by the time of the extract.
  if (rng.chance(0.2))
    route.push(rng.chance(0.5) ? rng.pick(otherUsPlaces) : rng.pick(originsAbroad));
  return route;
}

function originOf(rng: DemoRandom, hispanic: boolean, firstState: DemoState): Place {
  const kind = rng.weighted<'abroad' | 'us' | 'demo' | 'instate'>(
    hispanic
      ? [
          ['abroad', 0.5],
          ['us', 0.2],
          ['demo', 0.12],
          ['instate', 0.18],
        ]
      : [
          ['us', 0.5],
          ['demo', 0.2],
          ['instate', 0.3],
        ],
  );
  if (kind === 'abroad') return rng.pick(originsAbroad);
  if (kind === 'us') return rng.pick(otherUsPlaces);
  const state =
    kind === 'instate' ? firstState : rng.pick(demoStates.filter((s) => s !== firstState));
  const district = rng.pick(demoStateInfo[state].districts);
  return { city: district.city, state, country: 'US' };
}

/** `count` sorted dates in [from, to], at least `gap` days apart. */
function spacedDates(rng: DemoRandom, from: IsoDate, to: IsoDate, count: number, gap: number) {
  const room = daysBetween(from, to) - (count - 1) * gap;
  const offsets = Array.from({ length: count }, () => rng.int(0, room)).sort((x, y) => x - y);
  return offsets.map((o, i) => addDays(from, o + i * gap));
}

function datedStops(rng: DemoRandom, route: (DemoStop | Place)[], origin: Place, today: IsoDate) {
  // QADs within the 36 months before the extract, none in the last ten days (a certificate of
  // eligibility takes time to reach the state system: 34 CFR 200.85 allows 10 working days).
  const qads = spacedDates(rng, addDays(today, -1080), addDays(today, -10), route.length, 75);
  const stops: Stop[] = [];
  let from = origin;
  route.forEach((r, i) => {
    const qad = qads[i] as IsoDate;
    const isDemo = 'district' in r;
    const place = isDemo ? stopPlace(r) : (r as Place);
    stops.push(isDemo ? { place, demo: r, qad, from } : { place, qad, from });
    from = place;
  });
  return stops;
}

const ageWeights: readonly (readonly [readonly [number, number], number])[] = [
  [[0, 2], 0.08],
  [[3, 4], 0.08],
  [[5, 10], 0.3],
  [[11, 13], 0.17],
  [[14, 17], 0.22],
  [[18, 21], 0.15],
];

function birthDateFor(rng: DemoRandom, age: number, today: IsoDate, latest: IsoDate): IsoDate {
  const oldest = addDays(addYears(today, -22), 1);
  const born = addDays(addYears(today, -age), -rng.int(0, 364));
  const clamped = minDate(born, latest);
  return clamped < oldest ? oldest : clamped;
}

function birthOf(
  rng: DemoRandom,
  age: number,
  stops: readonly Stop[],
  today: IsoDate,
  familyOrigin: Place | undefined,
): { date: IsoDate; place: Place } {
  const first = stops[0] as Stop;
  const date = birthDateFor(rng, age, today, addDays(first.qad, -20));
  // Older children of a family from abroad were born there; younger ones often in the US.
  const bornAbroad = familyOrigin !== undefined && (age >= 6 || rng.chance(0.5));
  if (bornAbroad) return { date, place: familyOrigin };
  if (first.demo && rng.chance(0.6)) return { date, place: first.place };
  return { date, place: rng.pick(otherUsPlaces) };
}

function verificationFor(rng: DemoRandom, place: Place): BirthDateVerification | undefined {
  if (rng.chance(0.15)) return undefined;
  if (place.country === 'US')
    return rng.weighted([
      ['1004', 0.85],
      ['1006', 0.1],
      ['1010', 0.05],
    ] as const);
  return rng.weighted([
    ['1004', 0.55],
    ['1003', 0.15],
    ['1007', 0.1],
    ['1008', 0.1],
    ['1013', 0.1],
  ] as const);
}

function parentOf(rng: DemoRandom, given: GivenName, lastName: string, areaCode: string): Parent {
  const parent: Parent = { firstName: given.firstName, lastName };
  if (rng.chance(0.45)) parent.email = demoEmail(rng, given.firstName, lastName);
  if (rng.chance(0.85)) parent.phone = demoPhone(rng, areaCode);
  return parent;
}

export function planFamily(
  rng: DemoRandom,
  composition: Composition,
  ids: { familyId: string; personIds: string[] },
  today: IsoDate,
): FamilyPlan {
  const hispanic = rng.chance(0.88);
  const route = routeOf(rng, composition.multiState);
  const firstState = (route[0] as DemoStop).state;
  const stops = datedStops(rng, route, originOf(rng, hispanic, firstState), today);
  const areaCode = rng.pick(demoStateInfo[firstState].areaCodes);

  const paternal = hispanic ? hispanicSurname(rng) : angloSurname(rng);
  const maternal = hispanic ? hispanicSurname(rng) : undefined;
  const unaccompanied = composition.size === 1 && !composition.twins && rng.chance(0.12);
  const parents: Parent[] = [];
  if (!unaccompanied) {
    const nameOf = hispanic ? hispanicGivenName : angloGivenName;
    const mother = parentOf(rng, nameOf(rng, 'F'), maternal ?? paternal, areaCode);
    const father = parentOf(rng, nameOf(rng, 'M'), paternal, areaCode);
    const both = rng.chance(0.6);
    if (rng.chance(0.65)) parents.push(mother, ...(both ? [father] : []));
    else parents.push(father, ...(both ? [mother] : []));
  }

  const familyOrigin = stops[0]?.from.country === 'US' ? undefined : stops[0]?.from;
  const children: ChildPlan[] = [];
  const [lo, hi] = unaccompanied ? [16, 21] : rng.weighted(ageWeights);
  let age = rng.int(lo, hi);
  const ages: number[] = [];
  let twinBirth: { date: IsoDate; place: Place } | undefined;
  for (let i = 0; i < composition.size; i++) {
    const isTwin = composition.twins && i < 2;
    const sex: Sex = rng.chance(0.5) ? 'F' : 'M';
    const birth = isTwin && twinBirth ? twinBirth : birthOf(rng, age, stops, today, familyOrigin);
    if (isTwin) twinBirth = birth;
    const nameOf = hispanic ? hispanicGivenName : angloGivenName;
    let given = nameOf(rng, sex);
    while (children.some((c) => c.given.firstName === given.firstName)) given = nameOf(rng, sex);
    const child: ChildPlan = {
      personId: ids.personIds[i] as string,
      sex,
      given,
      lastName1: paternal,
      birthDate: birth.date,
      birthPlace: birth.place,
      multipleBirth: isTwin,
      gradeOffset: rng.chance(0.15) ? -1 : 0,
      outOfSchool: unaccompanied || (age >= 17 && rng.chance(0.4)),
      englishLearner: hispanic && rng.chance(birth.place.country === 'US' ? 0.45 : 0.8),
      iep: rng.chance(0.09),
    };
    if (maternal) child.lastName2 = maternal;
    if (!hispanic && sex === 'M' && rng.chance(0.08)) child.suffix = rng.pick(['Jr', 'II', 'III']);
    const verification = verificationFor(rng, birth.place);
    if (verification) child.birthDateVerification = verification;
    children.push(child);
    ages.push(age);
    if (!isTwin || i === 1) {
      // The next sibling is a few years younger, or older when this one is already the baby.
      const gap = rng.int(1, 4);
      age =
        Math.min(...ages) - gap >= 0
          ? Math.min(...ages) - gap
          : Math.min(21, Math.max(...ages) + gap);
    }
  }
  const first = children[0];
  const second = children[1];
  if (composition.twins && first && second) {
    first.twinOf = second.personId;
    second.twinOf = first.personId;
  }
  return { familyId: ids.familyId, hispanic, parents, stops, children };
}
