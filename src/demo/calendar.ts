/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`) for the demo generator. Dates are days, not
 * instants: everything goes through UTC day numbers so no time zone or clock can shift a result,
 * and nothing here reads the current time (the generator's `today` is always passed in).
 */
import type { IsoDate } from '../exchange/types.js';

const msPerDay = 86_400_000;
const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export function parseIso(date: IsoDate): DateParts {
  const m = isoPattern.exec(date);
  if (!m) throw new RangeError(`not an ISO calendar date: ${date}`);
  const parts = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (toIso(parts) !== date) throw new RangeError(`not a real calendar date: ${date}`);
  return parts;
}

export function toIso({ year, month, day }: DateParts): IsoDate {
  const d = new Date(Date.UTC(year, month - 1, day));
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const mo = String(d.getUTCMonth() + 1).padStart(2, '0');
  const da = String(d.getUTCDate()).padStart(2, '0');
  return `${y}-${mo}-${da}`;
}

export function isIsoDate(value: string): boolean {
  try {
    parseIso(value);
    return true;
  } catch {
    return false;
  }
}

/** Days since 1970-01-01. */
export function dayNumber(date: IsoDate): number {
  const { year, month, day } = parseIso(date);
  return Date.UTC(year, month - 1, day) / msPerDay;
}

export function fromDayNumber(n: number): IsoDate {
  const d = new Date(n * msPerDay);
  return toIso({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Adds calendar months; a day past the end of the target month falls back to its last day. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = parseIso(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return toIso({ year: y, month: m, day: Math.min(day, lastDay) });
}

export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function minDate(...dates: IsoDate[]): IsoDate {
  return dates.reduce((a, b) => (b < a ? b : a));
}

export function maxDate(...dates: IsoDate[]): IsoDate {
  return dates.reduce((a, b) => (b > a ? b : a));
}

/** Age in whole years on `on` (a child born on 29 February turns a year older on 1 March). */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  const b = parseIso(birthDate);
  const o = parseIso(on);
  const hadBirthday = o.month > b.month || (o.month === b.month && o.day >= b.day);
  return o.year - b.year - (hadBirthday ? 0 : 1);
}

export function yearOf(date: IsoDate): number {
  return parseIso(date).year;
}

export function monthOf(date: IsoDate): number {
  return parseIso(date).month;
}

/** `MM/DD/YYYY`, as California's extract prints dates. */
export function toUsDate(date: IsoDate): string {
  const { year, month, day } = parseIso(date);
  return `${pad2(month)}/${pad2(day)}/${String(year).padStart(4, '0')}`;
}

/** `YYYYMMDD`, as Texas's fixed-width extract prints dates. */
export function toCompactDate(date: IsoDate): string {
  return date.replaceAll('-', '');
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
