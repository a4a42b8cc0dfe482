import assert from 'node:assert/strict';
import {
  addDays,
  addMonths,
  addYears,
  ageOn,
  birthday,
  compareIsoDates,
  daysBetween,
  eligibilityEnd,
  eligibilityExpirationDate,
  fromDayNumber,
  isEligibleOn,
  isIsoDate,
  lastDayOfMonthSpan,
  maxIsoDate,
  minIsoDate,
  parseIsoDate,
  toDayNumber,
  todayUtc,
} from '../../src/exchange/eligibility.js';

describe('exchange dates: ISO calendar days without time zones', () => {
  it('accepts real calendar days only', () => {
    for (const d of ['2024-02-29', '2000-02-29', '2025-12-31', '0001-01-01', '9999-12-31']) {
      assert.ok(isIsoDate(d), d);
    }
    for (const d of [
      '2025-02-30',
      '2023-02-29',
      '1900-02-29',
      '2025-04-31',
      '2025-13-01',
      '2025-00-10',
      '2025-01-00',
      '0000-01-01',
      '2025-1-01',
      ' 2025-01-01',
      '2025-01-01T00:00:00Z',
      '20250101',
    ]) {
      assert.equal(isIsoDate(d), false, d);
    }
    assert.equal(isIsoDate(20250101), false);
    assert.deepEqual(parseIsoDate('2024-02-29'), { year: 2024, month: 2, day: 29 });
  });

  it('numbers days exactly like the UTC calendar, in both directions', () => {
    assert.equal(toDayNumber('1970-01-01'), 0);
    assert.equal(toDayNumber('2000-03-01'), 11017);
    assert.equal(toDayNumber('1969-12-31'), -1);
    for (let n = -719162; n <= 2932896; n += 997) {
      const viaDate = new Date(n * 86_400_000).toISOString().slice(0, 10);
      assert.equal(fromDayNumber(n), viaDate, `day ${n}`);
      assert.equal(toDayNumber(viaDate), n, viaDate);
    }
    assert.equal(fromDayNumber(toDayNumber('0001-01-01')), '0001-01-01');
    assert.throws(() => addDays('9999-12-31', 1), RangeError);
    assert.throws(() => toDayNumber('2025-02-30'), RangeError);
  });

  it('adds days and months across month ends, year ends and leap days', () => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2023-02-28', 1), '2023-03-01');
    assert.equal(addDays('2024-12-31', 1), '2025-01-01');
    assert.equal(addDays('2025-03-01', -1), '2025-02-28');
    assert.equal(daysBetween('2024-01-01', '2025-01-01'), 366);
    assert.equal(daysBetween('2025-01-01', '2024-01-01'), -366);

    assert.equal(addMonths('2025-12-15', 1), '2026-01-15');
    assert.equal(addMonths('2025-01-15', -1), '2024-12-15');
    assert.equal(addMonths('2025-01-15', 0), '2025-01-15');
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
    assert.equal(addMonths('2023-01-31', 1), '2023-02-28');
    assert.equal(addMonths('2024-03-31', -1), '2024-02-29');
    assert.equal(addMonths('2023-01-31', 1, 'next-month'), '2023-03-01');
    assert.equal(addMonths('2024-01-31', 1, 'next-month'), '2024-03-01');
    assert.equal(addMonths('2024-01-30', 1, 'next-month'), '2024-03-01');
    assert.equal(addMonths('2024-01-29', 1, 'next-month'), '2024-02-29');
    assert.equal(addYears('2024-02-29', 1), '2025-02-28');
    assert.equal(addYears('2024-02-29', 1, 'next-month'), '2025-03-01');
    assert.equal(addYears('2024-02-29', 4), '2028-02-29');
    assert.throws(() => addMonths('2025-01-15', 1.5), RangeError);
  });

  it('ends a span of months on the day before the anniversary, or at the end of a short month', () => {
    assert.equal(lastDayOfMonthSpan('2024-08-16', 36), '2027-08-15');
    assert.equal(lastDayOfMonthSpan('2024-01-01', 36), '2026-12-31');
    assert.equal(lastDayOfMonthSpan('2022-01-31', 36), '2025-01-30');
    assert.equal(lastDayOfMonthSpan('2024-02-29', 36), '2027-02-28');
    assert.equal(lastDayOfMonthSpan('2024-02-29', 48), '2028-02-28');
    assert.equal(lastDayOfMonthSpan('2023-03-31', 1), '2023-04-30');
    assert.equal(lastDayOfMonthSpan('2023-12-31', 2), '2024-02-29');
  });

  it('compares, picks extremes and reads today in UTC', () => {
    assert.equal(compareIsoDates('2025-01-02', '2025-01-10'), -1);
    assert.equal(compareIsoDates('2025-01-10', '2025-01-10'), 0);
    assert.equal(minIsoDate('2025-03-01', '2024-12-31', '2025-01-01'), '2024-12-31');
    assert.equal(maxIsoDate('2025-03-01', '2024-12-31', '2025-01-01'), '2025-03-01');
    // 23:30 on Mar 9 in California is already Mar 10 in UTC.
    assert.equal(todayUtc(new Date('2025-03-09T23:30:00-08:00')), '2025-03-10');
  });
});

describe('exchange ageOn and birthday', () => {
  it('counts whole years, turning a year older on the birthday itself', () => {
    assert.equal(ageOn('2010-06-15', '2010-06-15'), 0);
    assert.equal(ageOn('2010-06-15', '2013-06-14'), 2);
    assert.equal(ageOn('2010-06-15', '2013-06-15'), 3);
    assert.equal(ageOn('2003-12-31', '2025-12-30'), 21);
    assert.equal(ageOn('2003-12-31', '2025-12-31'), 22);
  });

  it('lets a child born on Feb 29 turn a year older on Mar 1 in common years', () => {
    assert.equal(birthday('2004-02-29', 22), '2026-03-01');
    assert.equal(birthday('2004-02-29', 20), '2024-02-29');
    assert.equal(ageOn('2004-02-29', '2024-02-28'), 19);
    assert.equal(ageOn('2004-02-29', '2024-02-29'), 20);
    assert.equal(ageOn('2004-02-29', '2025-02-28'), 20);
    assert.equal(ageOn('2004-02-29', '2025-03-01'), 21);
    assert.equal(ageOn('2004-02-29', '2026-02-28'), 21);
    assert.equal(ageOn('2004-02-29', '2026-03-01'), 22);
  });

  it('refuses a day before the birth and malformed dates', () => {
    assert.throws(() => ageOn('2010-06-15', '2010-06-14'), RangeError);
    assert.throws(() => ageOn('2010-02-30', '2012-01-01'), RangeError);
    assert.throws(() => ageOn('2010-06-15', 'today'), RangeError);
  });
});

describe('exchange eligibilityExpirationDate (ESEA 1309(3), 34 CFR 200.81(e), 200.103(a))', () => {
  const born2012 = '2012-04-10';

  it('lasts 36 months counted from the QAD: the last day is the day before the anniversary', () => {
    const input = { qualifyingArrivalDate: '2024-08-16', birthDate: born2012 };
    assert.equal(eligibilityExpirationDate(input), '2027-08-15');
    assert.deepEqual(eligibilityEnd(input), {
      lastEligibleDay: '2027-08-15',
      reason: 'thirty-six-months',
    });
    assert.equal(isEligibleOn(input, '2024-08-16'), true);
    assert.equal(isEligibleOn(input, '2027-08-15'), true);
    assert.equal(isEligibleOn(input, '2027-08-16'), false);
    assert.equal(isEligibleOn(input, '2024-08-15'), false);
  });

  it('handles QADs at month ends and on leap days', () => {
    assert.equal(
      eligibilityExpirationDate({ qualifyingArrivalDate: '2022-01-31', birthDate: born2012 }),
      '2025-01-30',
    );
    assert.equal(
      eligibilityExpirationDate({ qualifyingArrivalDate: '2024-02-29', birthDate: born2012 }),
      '2027-02-28',
    );
    assert.equal(
      eligibilityExpirationDate({ qualifyingArrivalDate: '2021-02-28', birthDate: born2012 }),
      '2024-02-27',
    );
    assert.equal(
      eligibilityExpirationDate({ qualifyingArrivalDate: '2023-03-01', birthDate: born2012 }),
      '2026-02-28',
    );
    assert.equal(
      eligibilityExpirationDate({ qualifyingArrivalDate: '2021-12-31', birthDate: born2012 }),
      '2024-12-30',
    );
  });

  it('ends on the day before the 22nd birthday when that comes first', () => {
    assert.deepEqual(
      eligibilityEnd({ qualifyingArrivalDate: '2024-09-01', birthDate: '2004-10-15' }),
      { lastEligibleDay: '2026-10-14', reason: 'age-22' },
    );
    // Born on Feb 29: 21 through Feb 28, 22 from Mar 1 of a common year.
    assert.deepEqual(
      eligibilityEnd({ qualifyingArrivalDate: '2025-01-10', birthDate: '2004-02-29' }),
      { lastEligibleDay: '2026-02-28', reason: 'age-22' },
    );
    // Born Feb 29, 2008: the 22nd birthday is Mar 1, 2030 (a common year).
    assert.equal(
      eligibilityExpirationDate({ qualifyingArrivalDate: '2028-06-01', birthDate: '2008-02-29' }),
      '2030-02-28',
    );
    // Born Mar 1, 2006: the 22nd birthday is Mar 1, 2028, so the last day is the leap day.
    assert.equal(
      eligibilityExpirationDate({ qualifyingArrivalDate: '2026-06-01', birthDate: '2006-03-01' }),
      '2028-02-29',
    );
    assert.equal(
      eligibilityExpirationDate({ qualifyingArrivalDate: '2026-06-01', birthDate: '2006-02-28' }),
      '2028-02-27',
    );
  });

  it('ends on the graduation or HSE date when that comes first', () => {
    assert.deepEqual(
      eligibilityEnd({
        qualifyingArrivalDate: '2023-09-05',
        birthDate: '2006-05-20',
        graduationDate: '2025-06-06',
      }),
      { lastEligibleDay: '2025-06-06', reason: 'graduation' },
    );
    // A later graduation changes nothing.
    assert.equal(
      eligibilityExpirationDate({
        qualifyingArrivalDate: '2023-09-05',
        birthDate: '2008-05-20',
        graduationDate: '2027-06-06',
      }),
      '2026-09-04',
    );
    // graduationDate: undefined is the same as none.
    assert.equal(
      eligibilityExpirationDate({
        qualifyingArrivalDate: '2023-09-05',
        birthDate: '2008-05-20',
        graduationDate: undefined,
      }),
      '2026-09-04',
    );
  });

  it('names the 36 months on a tie, and can end before the QAD (never eligible)', () => {
    assert.deepEqual(
      eligibilityEnd({
        qualifyingArrivalDate: '2023-09-05',
        birthDate: born2012,
        graduationDate: '2026-09-04',
      }),
      { lastEligibleDay: '2026-09-04', reason: 'thirty-six-months' },
    );
    const graduatedBefore = {
      qualifyingArrivalDate: '2025-07-01',
      birthDate: '2006-05-20',
      graduationDate: '2025-06-06',
    };
    assert.equal(eligibilityExpirationDate(graduatedBefore), '2025-06-06');
    assert.equal(isEligibleOn(graduatedBefore, '2025-07-01'), false);
  });

  it('refuses malformed dates instead of guessing', () => {
    assert.throws(
      () => eligibilityExpirationDate({ qualifyingArrivalDate: '2025-02-30', birthDate: born2012 }),
      /qualifyingArrivalDate/,
    );
    assert.throws(
      () =>
        eligibilityExpirationDate({ qualifyingArrivalDate: '2025-02-01', birthDate: '04/10/2012' }),
      /birthDate/,
    );
    assert.throws(
      () =>
        eligibilityExpirationDate({
          qualifyingArrivalDate: '2025-02-01',
          birthDate: born2012,
          graduationDate: '2026-06',
        }),
      /graduationDate/,
    );
  });
});
