/**
 * One seeded source of randomness for a whole demo dataset. Every choice the generator makes goes
 * through the same seeded faker instance, in a fixed order, so that a seed and a child count give
 * byte-identical files on any machine. Nothing here may read the clock: faker's own date helpers
 * default to `Date.now()`, so the generator never calls them and does its dates in `calendar.ts`.
 */
import { Faker, base, en, es, es_MX } from '@faker-js/faker';
import type { IsoDate } from '../exchange/types.js';
import { addDays, daysBetween } from './calendar.js';

export type DemoSeed = number | string;

/** FNV-1a over the UTF-8 bytes, so that a textual seed from the command line is a number too. */
export function seedNumber(seed: DemoSeed): number {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer: ${seed}`);
    return seed >>> 0;
  }
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(seed, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export class DemoRandom {
  readonly faker: Faker;

  constructor(seed: DemoSeed) {
    this.faker = new Faker({ locale: [es_MX, es, en, base], seed: seedNumber(seed) });
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return this.faker.number.int({ min, max });
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.faker.number.float({ min: 0, max: 1 }) < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Picks by weight: `[[value, weight], ...]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.faker.number.float({ min: 0, max: total });
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll <= 0) return value;
    }
    const last = choices[choices.length - 1];
    if (!last) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** A date in [from, to], both inclusive. */
  dateBetween(from: IsoDate, to: IsoDate): IsoDate {
    const span = daysBetween(from, to);
    if (span < 0) throw new RangeError(`empty date range ${from}..${to}`);
    return addDays(from, this.int(0, span));
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }

  shuffle<T>(items: readonly T[]): T[] {
    return this.faker.helpers.shuffle([...items]);
  }
}
