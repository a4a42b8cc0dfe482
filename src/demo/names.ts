/**
 * Fictional names for demo children and parents, drawn from faker's locale lists (never from any
 * real roster), plus the spelling habits that make one child look different in two states'
 * systems: nicknames, dropped accents, surname order and joins.
 */
import { en, es_MX } from '@faker-js/faker';
import type { Sex } from '../exchange/code-sets.js';
import type { DemoRandom } from './random.js';

export interface GivenName {
  firstName: string;
  middleName?: string;
}

interface PersonEntry {
  generic?: string[];
  male?: string[];
  female?: string[];
}

function listOf(
  entry: PersonEntry | null | undefined,
  sex: 'male' | 'female' | 'generic',
): string[] {
  const list = entry?.[sex] ?? entry?.generic;
  if (!list || list.length === 0) throw new Error(`faker locale has no ${sex} names`);
  return list;
}

// faker's es_MX surname list carries a few non-Hispanic fillers and misspellings; a child's
// "true" surname should be a plain one, and the spelling noise is added on purpose later.
const notSurnames = new Set(['Gollum', 'Garica', 'Hernádez', 'Domínquez', 'Jimínez', 'Bétancourt']);
const singleWord = /^\p{Lu}[\p{Ll}']+$/u;

const hispanicSurnames = listOf(es_MX.person?.last_name, 'generic').filter(
  (n) => singleWord.test(n) && !n.startsWith('K') && !notSurnames.has(n),
);
const hispanicGiven = {
  male: listOf(es_MX.person?.first_name, 'male'),
  female: listOf(es_MX.person?.first_name, 'female'),
};
const angloSurnames = listOf(en.person?.last_name, 'generic').filter((n) => singleWord.test(n));
const angloGiven = {
  male: listOf(en.person?.first_name, 'male').filter((n) => singleWord.test(n)),
  female: listOf(en.person?.first_name, 'female').filter((n) => singleWord.test(n)),
};

const maleNicknames: Readonly<Record<string, string>> = {
  Francisco: 'Pancho',
  Jesús: 'Chuy',
  Guillermo: 'Memo',
  José: 'Pepe',
  Enrique: 'Kike',
  Roberto: 'Beto',
  Alberto: 'Beto',
  Ignacio: 'Nacho',
  Eduardo: 'Lalo',
  Salvador: 'Chava',
  Antonio: 'Toño',
  Alejandro: 'Alex',
  Manuel: 'Manolo',
  Refugio: 'Cuco',
};
const femaleNicknames: Readonly<Record<string, string>> = {
  Guadalupe: 'Lupe',
  Dolores: 'Lola',
  Concepción: 'Conchita',
  Rosario: 'Chayo',
  Isabel: 'Chabela',
  Consuelo: 'Chelo',
  Socorro: 'Coco',
  Alejandra: 'Ale',
};

/** Formal given name → the nickname a family or a school may register instead. */
export const nicknames: Readonly<Record<string, string>> = { ...maleNicknames, ...femaleNicknames };

const nicknamedGiven = { male: Object.keys(maleNicknames), female: Object.keys(femaleNicknames) };

function sexKey(sex: Sex, rng: DemoRandom): 'male' | 'female' {
  if (sex === 'M') return 'male';
  if (sex === 'F') return 'female';
  return rng.chance(0.5) ? 'male' : 'female';
}

/** Splits a compound given name: `José Luis` → José + Luis, `María de Jesús` → María + de Jesús. */
export function splitGiven(full: string): GivenName {
  const space = full.indexOf(' ');
  if (space < 0) return { firstName: full };
  return { firstName: full.slice(0, space), middleName: full.slice(space + 1) };
}

export function hispanicGivenName(rng: DemoRandom, sex: Sex): GivenName {
  const key = sexKey(sex, rng);
  // A fifth of the children get a name that has a common nickname, so that the linkage tests see
  // Lupe/Guadalupe, Chuy/Jesús and the like often enough.
  const full = rng.chance(0.2) ? rng.pick(nicknamedGiven[key]) : rng.pick(hispanicGiven[key]);
  const given = splitGiven(full);
  if (!given.middleName && rng.chance(0.35)) {
    given.middleName = splitGiven(rng.pick(hispanicGiven[key])).firstName;
  }
  return given;
}

export function angloGivenName(rng: DemoRandom, sex: Sex): GivenName {
  const key = sexKey(sex, rng);
  const given: GivenName = { firstName: rng.pick(angloGiven[key]) };
  if (rng.chance(0.6)) given.middleName = rng.pick(angloGiven[key]);
  return given;
}

export function hispanicSurname(rng: DemoRandom): string {
  return rng.pick(hispanicSurnames);
}

export function angloSurname(rng: DemoRandom): string {
  return rng.pick(angloSurnames);
}

export function nicknameOf(firstName: string): string | undefined {
  return nicknames[firstName];
}

/** Drops diacritics the way a keyboard without them does: `Muñoz` → `Munoz`, `Jesús` → `Jesus`. */
export function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

export function hasAccents(text: string): boolean {
  return stripAccents(text) !== text;
}

/** A fictional address at the reserved example.org domain (RFC 2606), never a real mailbox. */
export function demoEmail(rng: DemoRandom, firstName: string, lastName: string): string {
  const local = `${firstName}.${lastName}`.toLowerCase();
  const ascii = stripAccents(local).replace(/[^a-z0-9.]/g, '');
  return `${ascii}${rng.int(1, 99)}@example.org`;
}

/** 555-0100 through 555-0199 are the numbers reserved for fiction in the North American plan. */
export function demoPhone(rng: DemoRandom, areaCode: string): string {
  return `${areaCode}-555-01${String(rng.int(0, 99)).padStart(2, '0')}`;
}
