// 34 CFR 200.85 deadline arithmetic: working days skip weekends and the state's holidays, and
// day counting crosses month and year ends without drifting.
import assert from 'node:assert/strict';
import {
  addCalendarDays,
  addWorkingDays,
  isWorkingDay,
  localDay,
  type BusinessCalendar,
} from '../../src/deadlines/business-days.js';
import { loadConfig } from '../../src/config/index.js';

const plain: BusinessCalendar = {
  timeZone: 'America/New_York',
  weekend: ['sat', 'sun'],
  holidays: [],
};
const withHolidays: BusinessCalendar = {
  ...plain,
  holidays: [
    { date: '2026-12-25', name: 'Christmas Day' },
    { date: '2027-01-01', name: "New Year's Day" },
    { date: '2026-11-26', name: 'Thanksgiving Day' },
    { date: '2026-11-27', name: 'Day after Thanksgiving' },
  ],
};

describe('business-day calendar', () => {
  it('skips a weekend: 4 working days after a Friday is the Thursday', () => {
    assert.equal(addWorkingDays(plain, '2026-12-04', 4), '2026-12-10');
  });

  it('starting on a Saturday counts from Monday', () => {
    assert.equal(addWorkingDays(plain, '2026-12-05', 1), '2026-12-07');
  });

  it('10 working days over Christmas and New Year end in the next year', () => {
    // Dec 21-24 (4), 28-31 (4), Jan 4-5 (2): Dec 25 and Jan 1 are holidays.
    assert.equal(addWorkingDays(withHolidays, '2026-12-18', 10), '2027-01-05');
    assert.equal(addWorkingDays(plain, '2026-12-18', 10), '2027-01-01');
  });

  it('Thanksgiving and the day after are skipped with the weekend', () => {
    // Wed Nov 25 + 1 working day: Thu, Fri holidays, Sat/Sun weekend -> Mon Nov 30.
    assert.equal(addWorkingDays(withHolidays, '2026-11-25', 1), '2026-11-30');
  });

  it('a different weekend (Friday and Saturday) is honoured', () => {
    const cal: BusinessCalendar = { ...plain, weekend: ['fri', 'sat'] };
    assert.equal(isWorkingDay(cal, '2026-12-06'), true, 'Sunday works');
    assert.equal(addWorkingDays(cal, '2026-12-03', 1), '2026-12-06');
  });

  it('30 calendar days after a term cross the year end and leap days', () => {
    assert.equal(addCalendarDays('2026-12-18', 30), '2027-01-17');
    assert.equal(addCalendarDays('2028-02-15', 30), '2028-03-16', '2028 is a leap year');
    assert.equal(addCalendarDays('2027-02-15', 30), '2027-03-17');
  });

  it('does not drift across a daylight-saving change', () => {
    assert.equal(addWorkingDays(plain, '2026-10-30', 1), '2026-11-02');
    assert.equal(addCalendarDays('2026-03-07', 2), '2026-03-09');
  });

  it('reads an instant as the civil date in the state’s time zone', () => {
    // 02:30 UTC on Jan 1 is still Dec 31 in California.
    assert.equal(localDay(new Date('2027-01-01T02:30:00Z'), 'America/Los_Angeles'), '2026-12-31');
    assert.equal(localDay(new Date('2027-01-01T02:30:00Z'), 'America/New_York'), '2026-12-31');
    assert.equal(localDay(new Date('2027-01-01T06:00:00Z'), 'America/New_York'), '2027-01-01');
  });

  it('uses the holidays of config/states (California: Cesar Chavez Day)', () => {
    const ca = loadConfig({ env: { NODE_ENV: 'test' } }).states.find((s) => s.code === 'CA')!;
    assert.equal(isWorkingDay(ca.calendar, '2026-03-31'), false);
    // Mon Mar 30 + 2: Tue Mar 31 is a holiday -> Thu Apr 2.
    assert.equal(addWorkingDays(ca.calendar, '2026-03-30', 2), '2026-04-02');
  });

  it('refuses a calendar without working days rather than loop forever', () => {
    const none: BusinessCalendar = {
      ...plain,
      weekend: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    };
    assert.throws(() => addWorkingDays(none, '2026-01-01', 1), /at least one working day/);
  });
});
