/**
 * Calendar arithmetic on ISO 8601 dates (`YYYY-MM-DD` strings).
 *
 * A birth date or a qualifying arrival date is a day, not an instant, so nothing here goes through
 * `Date` objects or a time zone: days are converted to an integer day number (days since
 * 1970-01-01 in the proleptic Gregorian calendar) and back with integer arithmetic only. This also
 * keeps years 0001-0099 right, which `Date.UTC` would map to 1900-1999.
 */
import type { IsoDate } from './types.js';

export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * What `addMonths` does when the day of the month does not exist in the target month
 * (Jan 31 + 1 month): `clamp` gives the last day of that month (Feb 28 or 29), `next-month` gives
 * the first day of the month after it (Mar 1).
 */
export type MonthOverflow = 'clamp' | 'next-month';

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when year (from 1), month and day name a day the calendar has (not 30 February). */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The number written by the ASCII digits of `value` from `at`, `n` of them; -1 if one is not. */
export function digitsAt(value: string, at: number, n: number): number {
  let out = 0;
  for (let i = at; i < at + n; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    out = out * 10 + c;
  }
  return out;
}

/**
 * The year, month and day of `YYYY-MM-DD` (ASCII digits), or undefined; read in place rather than
 * with a regular expression: every date of every record of a file goes through here.
 */
function isoParts(value: string): [number, number, number] | undefined {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) {
    return undefined;
  }
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  return isCalendarDay(year, month, day) ? [year, month, day] : undefined;
}

/** The parts of a real calendar day `YYYY-MM-DD` (year 0001-9999), or undefined. */
export function parseIsoDate(value: string): CalendarDay | undefined {
  const parts = isoParts(value);
  return parts && { year: parts[0], month: parts[1], day: parts[2] };
}

/** True when `value` is a string naming a real calendar day, e.g. not `2025-02-30`. */
export function isIsoDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && isoParts(value) !== undefined;
}

function mustParse(value: IsoDate): CalendarDay {
  const parsed = parseIsoDate(value);
  if (!parsed) throw new RangeError(`not a calendar date YYYY-MM-DD: '${value}'`);
  return parsed;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function formatIsoDate({ year, month, day }: CalendarDay): IsoDate {
  if (year < 1 || year > 9999) throw new RangeError(`year out of range 0001-9999: ${year}`);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Days since 1970-01-01 (negative before). H. Hinnant's days_from_civil, integers only. */
export function toDayNumber(date: IsoDate): number {
  const { year, month, day } = mustParse(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of `toDayNumber` (civil_from_days). */
export function fromDayNumber(dayNumber: number): IsoDate {
  if (!Number.isInteger(dayNumber)) throw new RangeError(`not a whole day: ${dayNumber}`);
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return formatIsoDate({ year, month, day });
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * `date` moved by whole calendar months (negative to go back). The day of the month is kept; when
 * the target month is too short for it, `overflow` decides (see `MonthOverflow`; default clamp).
 */
export function addMonths(
  date: IsoDate,
  months: number,
  overflow: MonthOverflow = 'clamp',
): IsoDate {
  if (!Number.isInteger(months)) throw new RangeError(`not a whole number of months: ${months}`);
  const { year, month, day } = mustParse(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  const last = daysInMonth(targetYear, targetMonth);
  if (day <= last) return formatIsoDate({ year: targetYear, month: targetMonth, day });
  if (overflow === 'clamp')
    return formatIsoDate({ year: targetYear, month: targetMonth, day: last });
  return addDays(formatIsoDate({ year: targetYear, month: targetMonth, day: last }), 1);
}

export function addYears(date: IsoDate, years: number, overflow: MonthOverflow = 'clamp'): IsoDate {
  return addMonths(date, years * 12, overflow);
}

/**
 * The last day of a span of `months` calendar months that begins on (and includes) `start`: the
 * day before the same day of the month `months` later. When that day does not exist (a span that
 * starts on Jan 31 or Feb 29), the span runs to the end of the shorter month, so that it is never
 * shorter than `months` whole months: Feb 29, 2024 + 36 months ends Feb 28, 2027.
 */
export function lastDayOfMonthSpan(start: IsoDate, months: number): IsoDate {
  return addDays(addMonths(start, months, 'next-month'), -1);
}

export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  const d = toDayNumber(a) - toDayNumber(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

export function minIsoDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  return rest.reduce((min, d) => (compareIsoDates(d, min) < 0 ? d : min), first);
}

export function maxIsoDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  return rest.reduce((max, d) => (compareIsoDates(d, max) > 0 ? d : max), first);
}

/** Today's date in UTC: never earlier than the local date anywhere in the Americas. */
export function todayUtc(now: Date = new Date()): IsoDate {
  return now.toISOString().slice(0, 10);
}
