/**
 * The `date` transform: a state's date written with a pattern such as `MM/DD/YYYY` or `YYYYMMDD`
 * becomes an ISO date `YYYY-MM-DD`. The pattern is compiled once into a regular expression; a
 * value that does not fit it, or names a day the calendar does not have (`02/30/2024`), is an
 * error naming the field, never a guess.
 */
import { daysInMonth } from '../exchange/dates.js';
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
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      throw new MappingValueError(`is not a real calendar date (${pattern})`);
    }
    return `${m[yearAt]}-${two(month)}-${two(day)}`;
  };
}
