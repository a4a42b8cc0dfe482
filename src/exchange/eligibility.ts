/**
 * When a migratory child's eligibility through one qualifying move ends, and the child's age.
 * Used by validation, ingest (to fill a missing eligibilityExpirationDate) and the child counts.
 *
 * The rule and which day is last:
 * - ESEA section 1309(3) (20 U.S.C. 6399(3)) and 34 CFR 200.81(e): a migratory child is one who
 *   "made a qualifying move in the preceding 36 months". Counting the QAD as day one, the 36 months
 *   run up to and including the day before the 36-month anniversary of the QAD: QAD 2024-08-16 is
 *   eligible through 2027-08-15, and on 2027-08-16 the move is 36 months old and no longer in the
 *   preceding 36 months. When the anniversary day does not exist (QAD on Feb 29, or on the 29th-31st
 *   of a month), the span runs to the end of the shorter month (see lastDayOfMonthSpan).
 * - ESEA section 1115(c)(1)(A) (children "not older than age 21" entitled to a free public
 *   education) and 34 CFR 200.103(a) ("younger than 22"): the last eligible day on age is the day
 *   before the 22nd birthday.
 * - A child who has graduated from high school or holds a high school equivalency is no longer
 *   entitled to a free public education (34 CFR 200.103(a); DESIGN section 8: "not counted after
 *   graduation"), so the graduation/HSE date is the last eligible day.
 * The exchange field `eligibilityExpirationDate` holds that last day (inclusive): a child is
 * eligible on day D through a move when QAD <= D <= eligibilityExpirationDate.
 *
 * Birthdays of children born on Feb 29 fall on Mar 1 in common years (the year is complete only
 * once Feb 28 has passed), so such a child is 21 through Feb 28 and 22 from Mar 1.
 */
import { addMonths, compareIsoDates, isIsoDate, lastDayOfMonthSpan, addDays } from './dates.js';
import type { IsoDate } from './types.js';

export {
  addDays,
  addMonths,
  addYears,
  compareIsoDates,
  daysBetween,
  daysInMonth,
  formatIsoDate,
  fromDayNumber,
  isIsoDate,
  isLeapYear,
  lastDayOfMonthSpan,
  maxIsoDate,
  minIsoDate,
  parseIsoDate,
  toDayNumber,
  todayUtc,
} from './dates.js';
export type { CalendarDay, MonthOverflow } from './dates.js';

/** ESEA section 1309(3): a qualifying move in the preceding 36 months. */
export const ELIGIBILITY_MONTHS = 36;
/** ESEA section 1115(c)(1)(A), 34 CFR 200.103(a): not older than 21. */
export const AGE_LIMIT = 22;

export interface EligibilityInput {
  qualifyingArrivalDate: IsoDate;
  birthDate: IsoDate;
  /** Date of high-school graduation or of the high school equivalency, when there is one. */
  graduationDate?: IsoDate | undefined;
}

export type EligibilityEndReason = 'thirty-six-months' | 'age-22' | 'graduation';

export interface EligibilityEnd {
  /** The last day (inclusive) the child is eligible through this move. */
  lastEligibleDay: IsoDate;
  /** Which limit came first; on a tie the earlier of 36 months, age 22, graduation is named. */
  reason: EligibilityEndReason;
}

function requireDate(name: string, value: IsoDate): void {
  if (!isIsoDate(value))
    throw new RangeError(`${name} is not a calendar date YYYY-MM-DD: '${value}'`);
}

/** The date on which a child born on `birthDate` turns `age` (Feb 29 births: Mar 1 in common years). */
export function birthday(birthDate: IsoDate, age: number): IsoDate {
  requireDate('birthDate', birthDate);
  return addMonths(birthDate, age * 12, 'next-month');
}

/** Age in whole years on `day`. Throws when `day` is before the birth date. */
export function ageOn(birthDate: IsoDate, day: IsoDate): number {
  requireDate('birthDate', birthDate);
  requireDate('day', day);
  if (compareIsoDates(day, birthDate) < 0) {
    throw new RangeError(`${day} is before the birth date ${birthDate}`);
  }
  // Both were checked above, so the years are there.
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return compareIsoDates(birthday(birthDate, years), day) > 0 ? years - 1 : years;
}

/** The last eligible day through one qualifying move, and which limit set it. */
export function eligibilityEnd(input: EligibilityInput): EligibilityEnd {
  const { qualifyingArrivalDate, birthDate, graduationDate } = input;
  requireDate('qualifyingArrivalDate', qualifyingArrivalDate);
  requireDate('birthDate', birthDate);
  if (graduationDate !== undefined) requireDate('graduationDate', graduationDate);

  const limits: EligibilityEnd[] = [
    {
      lastEligibleDay: lastDayOfMonthSpan(qualifyingArrivalDate, ELIGIBILITY_MONTHS),
      reason: 'thirty-six-months',
    },
    { lastEligibleDay: addDays(birthday(birthDate, AGE_LIMIT), -1), reason: 'age-22' },
  ];
  if (graduationDate !== undefined) {
    limits.push({ lastEligibleDay: graduationDate, reason: 'graduation' });
  }
  return limits.reduce((first, l) =>
    compareIsoDates(l.lastEligibleDay, first.lastEligibleDay) < 0 ? l : first,
  );
}

/**
 * The exchange's `eligibilityExpirationDate`: the last day (inclusive) the child is eligible
 * through the move. It can fall before the QAD (a child who had already graduated or turned 22):
 * then the move never made the child eligible, and validation rejects such a document.
 */
export function eligibilityExpirationDate(input: EligibilityInput): IsoDate {
  return eligibilityEnd(input).lastEligibleDay;
}

/** True when the child is eligible on `day` through the move (QAD <= day <= last eligible day). */
export function isEligibleOn(input: EligibilityInput, day: IsoDate): boolean {
  requireDate('day', day);
  return (
    compareIsoDates(day, input.qualifyingArrivalDate) >= 0 &&
    compareIsoDates(day, eligibilityExpirationDate(input)) <= 0
  );
}
