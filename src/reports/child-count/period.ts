/**
 * Performance periods of the child count: September 1 through August 31 (ESEA section 1303(e),
 * 34 CFR 200.81), named by their two years, `2024-25`.
 */
import { compareIsoDates, isIsoDate, minIsoDate } from '../../exchange/dates.js';
import type { IsoDate } from '../../exchange/types.js';

export interface PerformancePeriod {
  /** `2024-25`. */
  name: string;
  /** September 1 of the first year. */
  start: IsoDate;
  /** August 31 of the second year. */
  end: IsoDate;
}

/** Thrown for a period or date the caller wrote wrongly; the message says how to write it. */
export class ChildCountInputError extends Error {
  override readonly name = 'ChildCountInputError';
}

const PERIOD = /^(\d{4})-(\d{2})$/;

export function parsePeriod(name: string): PerformancePeriod {
  const match = PERIOD.exec(name);
  const first = Number(match?.[1]);
  if (!match || first < 1990 || first > 2998 || Number(match[2]) !== (first + 1) % 100) {
    throw new ChildCountInputError(
      `period must name two consecutive years as YYYY-YY, e.g. 2024-25 (got "${name}")`,
    );
  }
  return { name, start: `${first}-09-01`, end: `${first + 1}-08-31` };
}

/** The period that contains `day`. */
export function periodContaining(day: IsoDate): PerformancePeriod {
  const year = Number(day.slice(0, 4));
  const first = Number(day.slice(5, 7)) >= 9 ? year : year - 1;
  return parsePeriod(`${first}-${String((first + 1) % 100).padStart(2, '0')}`);
}

/** The period before `period`. */
export function previousPeriod(period: PerformancePeriod): PerformancePeriod {
  const first = Number(period.start.slice(0, 4)) - 1;
  return parsePeriod(`${first}-${String((first + 1) % 100).padStart(2, '0')}`);
}

/**
 * The last day to count: the period's end, or the "as of" day when it is earlier (days after it
 * have not been reported yet). An "as of" day before the period starts is refused.
 */
export function countedThrough(period: PerformancePeriod, asOf?: IsoDate): IsoDate {
  if (asOf === undefined) return period.end;
  if (!isIsoDate(asOf)) {
    throw new ChildCountInputError(`as-of must be a date YYYY-MM-DD (got "${asOf}")`);
  }
  if (compareIsoDates(asOf, period.start) < 0) {
    throw new ChildCountInputError(
      `as-of ${asOf} is before the period ${period.name} starts (${period.start})`,
    );
  }
  return minIsoDate(asOf, period.end);
}
