/**
 * The slips that make one child look like two in two states' systems, applied to the second and
 * later states that record the child. Rates are rough guesses at what registrars do, chosen so a
 * 200-child dataset shows every kind several times.
 */
import type { ExchangeDocument, Student } from '../exchange/types.js';
import { parseIso, toIso } from './calendar.js';
import type { DemoVariation } from './model.js';
import { hasAccents, nicknameOf, stripAccents } from './names.js';
import type { DemoState } from './places.js';
import type { DemoRandom } from './random.js';

type SurnameSlip =
  'none' | 'missingSecondSurname' | 'surnamesSwapped' | 'hyphenatedSurnames' | 'joinedSurnames';

function surnames(rng: DemoRandom, s: Student, state: DemoState): DemoVariation | undefined {
  const second = s.lastName2;
  if (!second) return undefined;
  const slip = rng.weighted<SurnameSlip>([
    ['none', 0.55],
    ['missingSecondSurname', 0.24],
    ['surnamesSwapped', 0.07],
    ['hyphenatedSurnames', 0.07],
    // California's one-column name cannot carry a space inside a surname (see caFullName).
    ['joinedSurnames', state === 'CA' ? 0 : 0.07],
  ]);
  switch (slip) {
    case 'none':
      return undefined;
    case 'missingSecondSurname':
      delete s.lastName2;
      break;
    case 'surnamesSwapped':
      s.lastName2 = s.lastName1;
      s.lastName1 = second;
      break;
    case 'hyphenatedSurnames':
      s.lastName1 = `${s.lastName1}-${second}`;
      delete s.lastName2;
      break;
    case 'joinedSurnames':
      s.lastName1 = `${s.lastName1} ${second}`;
      delete s.lastName2;
      break;
  }
  return slip;
}

/** Swaps day and month (`2014-03-07` → `2014-07-03`), as a US and a Mexican form read differently. */
export function transposeDayMonth(date: string): string | undefined {
  const { year, month, day } = parseIso(date);
  if (day > 12 || day === month) return undefined;
  return toIso({ year, month: day, day: month });
}

/** Applies a few random slips to the document's student in place and says which. */
export function applyVariations(
  rng: DemoRandom,
  doc: ExchangeDocument,
  state: DemoState,
): DemoVariation[] {
  const student = doc.student;
  const firstQad = doc.qualifyingMoves.map((m) => m.qualifyingArrivalDate).sort()[0] ?? '';
  const applied: DemoVariation[] = [];
  const surname = surnames(rng, student, state);
  if (surname) applied.push(surname);
  const nickname = nicknameOf(student.firstName);
  if (nickname && rng.chance(0.5)) {
    student.firstName = nickname;
    applied.push('nickname');
  }
  if (student.middleName && rng.chance(0.3)) {
    delete student.middleName;
    applied.push('middleNameMissing');
  }
  const names = [student.firstName, student.middleName, student.lastName1, student.lastName2];
  if (names.some((n) => n !== undefined && hasAccents(n)) && rng.chance(0.35)) {
    student.firstName = stripAccents(student.firstName);
    student.lastName1 = stripAccents(student.lastName1);
    if (student.middleName) student.middleName = stripAccents(student.middleName);
    if (student.lastName2) student.lastName2 = stripAccents(student.lastName2);
    applied.push('accentsDropped');
  }
  const transposed = transposeDayMonth(student.birthDate);
  if (transposed && transposed < firstQad && rng.chance(0.06)) {
    student.birthDate = transposed;
    applied.push('birthDateTransposed');
  }
  if (student.multipleBirth && rng.chance(0.15)) {
    delete student.multipleBirth;
    applied.push('multipleBirthFlagMissing');
  }
  return applied;
}

/** One keyboard slip in a name: a letter dropped, doubled, or two neighbours swapped. */
export function typoOf(rng: DemoRandom, name: string): string {
  if (name.length < 4) return name;
  const i = rng.int(1, name.length - 2);
  const kind = rng.int(0, 2);
  if (kind === 0) return name.slice(0, i) + name.slice(i + 1);
  if (kind === 1) return name.slice(0, i) + name[i] + name.slice(i);
  return name.slice(0, i) + (name[i + 1] ?? '') + (name[i] ?? '') + name.slice(i + 2);
}

/** The harder slips of `extraVariations` (model.ts), applied in place; says which. */
export function applyExtraVariations(rng: DemoRandom, doc: ExchangeDocument): DemoVariation[] {
  const s = doc.student;
  const applied: DemoVariation[] = [];
  if (rng.chance(0.1)) {
    if (rng.chance(0.5)) s.lastName1 = typoOf(rng, s.lastName1);
    else s.firstName = typoOf(rng, s.firstName);
    applied.push('typo');
  }
  if (rng.chance(0.02)) {
    const first = s.firstName;
    s.firstName = s.lastName1;
    s.lastName1 = first;
    applied.push('namesSwapped');
  }
  if (rng.chance(0.02)) {
    const year = Number(s.birthDate.slice(0, 4)) + (rng.chance(0.5) ? 1 : -1);
    const moved = `${year}${s.birthDate.slice(4)}`;
    // 29 February has no twin in the year next to it.
    if (!moved.endsWith('02-29')) {
      s.birthDate = moved;
      applied.push('birthYearOff');
    }
  }
  return applied;
}
