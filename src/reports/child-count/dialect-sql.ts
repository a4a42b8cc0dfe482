/**
 * The few SQL expressions the child count writes differently on each dialect: date arithmetic,
 * GREATEST/LEAST, booleans. Everything else in count-sql.ts is plain SQL all three accept.
 *
 * Birthdays and the 36-month span follow src/exchange/eligibility.ts exactly, including Feb 29:
 * a child born on Feb 29 has birthdays on Mar 1 in common years, and a QAD on Feb 29 is eligible
 * through Feb 28 three years later. Adding whole years:
 * - SQLite's `date(x, '+N years')` already rolls a missing Feb 29 over to Mar 1;
 * - PostgreSQL (`+ INTERVAL`) and SQL Server (`DATEADD`) clamp it to Feb 28, so they add the
 *   years to the day before and then add that day back: Feb 29 + N years = (Feb 28 + N years) + 1,
 *   Mar 1 in a common year and Feb 29 in a leap one; every other day is unchanged by the detour
 *   (Mar 1 of a leap year goes by Feb 29, clamped to Feb 28 in a common year, + 1 = Mar 1). No
 *   CASE and no EXTRACT per row, which the count pays for on every record and move.
 */
import type { Dialect } from '../../store/index.js';

export interface DialectSql {
  dialect: Dialect;
  /** A bound parameter (`:name`) as a DATE. */
  date(param: string): string;
  /** A date literal for "no end" (open enrollments, no graduation). */
  endOfTime: string;
  /** The day `years` after `expr`, rolling a missing Feb 29 over to Mar 1. */
  addYears(expr: string, years: number): string;
  /** The day before `expr`. */
  dayBefore(expr: string): string;
  /** The latest of non-null date expressions. */
  greatest(...exprs: string[]): string;
  /** The earliest of non-null date expressions. */
  least(...exprs: string[]): string;
  /** True when a BOOLEAN column holds true (NULL counts as false). */
  isTrue(expr: string): string;
  /** Whole days from `from` to `to` (an integer). */
  daysBetween(from: string, to: string): string;
  /** The day `days` (an integer expression) after `expr`. */
  addDays(expr: string, days: string): string;
}

function valuesExtreme(fn: 'MAX' | 'MIN', exprs: string[]): string {
  // SQL Server 2019 has no GREATEST/LEAST (2022 has): the maximum over a VALUES list.
  return `(SELECT ${fn}(v) FROM (VALUES ${exprs.map((e) => `(${e})`).join(', ')}) AS x(v))`;
}

const sqlite: DialectSql = {
  dialect: 'sqlite',
  // DATEONLY columns hold 'YYYY-MM-DD' text, which compares in date order.
  date: (param) => param,
  endOfTime: `'9999-12-31'`,
  addYears: (expr, years) => `date(${expr}, '+${years} years')`,
  dayBefore: (expr) => `date(${expr}, '-1 day')`,
  // The scalar (multi-argument) MAX and MIN.
  greatest: (...exprs) => `MAX(${exprs.join(', ')})`,
  least: (...exprs) => `MIN(${exprs.join(', ')})`,
  isTrue: (expr) => `${expr} = 1`,
  daysBetween: (from, to) => `CAST(julianday(${to}) - julianday(${from}) AS INTEGER)`,
  addDays: (expr, days) => `date(${expr}, '+' || (${days}) || ' days')`,
};

const postgres: DialectSql = {
  dialect: 'postgres',
  date: (param) => `CAST(${param} AS DATE)`,
  endOfTime: `DATE '9999-12-31'`,
  addYears: (expr, years) => `(CAST(${expr} - 1 + INTERVAL '${years} years' AS DATE) + 1)`,
  dayBefore: (expr) => `(${expr} - 1)`,
  greatest: (...exprs) => `GREATEST(${exprs.join(', ')})`,
  least: (...exprs) => `LEAST(${exprs.join(', ')})`,
  isTrue: (expr) => `${expr} IS TRUE`,
  daysBetween: (from, to) => `(${to} - ${from})`,
  addDays: (expr, days) => `(${expr} + CAST(${days} AS INTEGER))`,
};

const mssql: DialectSql = {
  dialect: 'mssql',
  date: (param) => `CAST(${param} AS DATE)`,
  endOfTime: `CAST('9999-12-31' AS DATE)`,
  addYears: (expr, years) => `DATEADD(day, 1, DATEADD(year, ${years}, DATEADD(day, -1, ${expr})))`,
  dayBefore: (expr) => `DATEADD(day, -1, ${expr})`,
  greatest: (...exprs) => valuesExtreme('MAX', exprs),
  least: (...exprs) => valuesExtreme('MIN', exprs),
  isTrue: (expr) => `${expr} = 1`,
  daysBetween: (from, to) => `DATEDIFF(day, ${from}, ${to})`,
  addDays: (expr, days) => `DATEADD(day, CAST(${days} AS INT), ${expr})`,
};

/**
 * GREATEST/LEAST of one expression is that expression. SQLite needs this: its MIN() and MAX()
 * with one argument are the aggregates, which would turn the query into a grouping.
 */
function oneOrMore(d: DialectSql): DialectSql {
  const single =
    (fn: (...exprs: string[]) => string) =>
    (...exprs: string[]) =>
      exprs.length === 1 ? (exprs[0] as string) : fn(...exprs);
  return { ...d, greatest: single(d.greatest), least: single(d.least) };
}

const dialects = {
  sqlite: oneOrMore(sqlite),
  postgres: oneOrMore(postgres),
  mssql: oneOrMore(mssql),
};

export function dialectSql(dialect: Dialect): DialectSql {
  return dialects[dialect];
}
