/**
 * The `date` transform: a state's date written with a pattern such as `MM/DD/YYYY` or `YYYYMMDD`
 * becomes an ISO date `YYYY-MM-DD`. The pattern is compiled once into a regular expression; a
 * value that does not fit it, or names a day the calendar does not have (`02/30/2024`), is an
 * error naming the field, never a guess.
 */
import { digitsAt, isCalendarDay } from '../exchange/dates.js';
import { MappingValueError } from './errors.js';

const TOKENS = ['YYYY', 'MM', 'DD', 'M', 'D'] as const;
type Token = (typeof TOKENS)[number];

const tokenPattern: Record<Token, string> = {
  YYYY: '(\\d{4})',
  MM: '(\\d{2})',
  DD: '(\\d{2})',
  M: '(\\d{1,2})',
  D: '(\\d{1,2})',
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Compiles `pattern`; answers a reason string when the pattern itself is wrong. */
export function compileDatePattern(pattern: string): ((value: string) => string) | string {
  let regex = '^';
  const order: ('year' | 'month' | 'day')[] = [];
  let rest = pattern;
  while (rest.length > 0) {
    const token = TOKENS.find((t) => rest.startsWith(t));
    if (token) {
      const part = token.startsWith('Y') ? 'year' : token.startsWith('M') ? 'month' : 'day';
      if (order.includes(part)) return `date pattern '${pattern}' has the ${part} twice`;
      order.push(part);
      regex += tokenPattern[token];
      rest = rest.slice(token.length);
    } else if (/^[A-Za-z]/.test(rest)) {
      return `date pattern '${pattern}' has '${rest[0] ?? ''}', which is none of YYYY, MM, DD, M, D`;
    } else {
      regex += escapeRegExp(rest[0] ?? '');
      rest = rest.slice(1);
    }
  }
  for (const part of ['year', 'month', 'day'] as const) {
    if (!order.includes(part)) return `date pattern '${pattern}' has no ${part}`;
  }
  const fixed = fixedPattern(pattern);
  if (fixed) return fixed;
  const compiled = new RegExp(`${regex}$`);
  const yearAt = order.indexOf('year') + 1;
  const monthAt = order.indexOf('month') + 1;
  const dayAt = order.indexOf('day') + 1;
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  return (value: string): string => {
    const m = compiled.exec(value);
    if (!m) throw new MappingValueError(`does not match the date pattern ${pattern}`);
    const year = Number(m[yearAt]);
    const month = Number(m[monthAt]);
    const day = Number(m[dayAt]);
    if (!isCalendarDay(year, month, day)) {
      throw new MappingValueError(`is not a real calendar date (${pattern})`);
    }
    return `${m[yearAt]}-${two(month)}-${two(day)}`;
  };
}

const ZERO = 48;
const NINE = 57;

/**
 * A pattern of YYYY, MM, DD and separators only (`MM/DD/YYYY`, `YYYYMMDD`): every character has
 * its place, so the digits are read where they stand, without a regular expression. The same
 * answers and errors as the general parser above; undefined for patterns with M or D.
 */
function fixedPattern(pattern: string): ((value: string) => string) | undefined {
  // Per character of a matching value: -1 a digit, else the character code it must be.
  const shape: number[] = [];
  let yearAt = -1;
  let monthAt = -1;
  let dayAt = -1;
  for (let rest = pattern; rest.length > 0;) {
    if (rest.startsWith('YYYY')) {
      yearAt = shape.length;
      shape.push(-1, -1, -1, -1);
      rest = rest.slice(4);
    } else if (rest.startsWith('MM') || rest.startsWith('DD')) {
      if (rest.startsWith('MM')) monthAt = shape.length;
      else dayAt = shape.length;
      shape.push(-1, -1);
      rest = rest.slice(2);
    } else if (/^[A-Za-z]/.test(rest)) {
      return undefined;
    } else {
      // One UTF-16 unit at a time, as the regular expression (without the u flag) matches.
      shape.push(rest.charCodeAt(0));
      rest = rest.slice(1);
    }
  }
  const length = shape.length;
  return (value: string): string => {
    let ok = value.length === length;
    for (let i = 0; ok && i < length; i++) {
      const c = value.charCodeAt(i);
      const want = shape[i] as number;
      ok = want < 0 ? c >= ZERO && c <= NINE : c === want;
    }
    if (!ok) throw new MappingValueError(`does not match the date pattern ${pattern}`);
    const year = digitsAt(value, yearAt, 4);
    const month = digitsAt(value, monthAt, 2);
    const day = digitsAt(value, dayAt, 2);
    if (!isCalendarDay(year, month, day)) {
      throw new MappingValueError(`is not a real calendar date (${pattern})`);
    }
    return `${value.slice(yearAt, yearAt + 4)}-${value.slice(monthAt, monthAt + 2)}-${value.slice(dayAt, dayAt + 2)}`;
  };
}
