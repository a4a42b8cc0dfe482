// The per-dialect date arithmetic of the child count (dialect-sql.ts) agrees with
// src/exchange/eligibility.ts on every dialect, Feb 29 included.
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { birthday, lastDayOfMonthSpan } from '../../src/exchange/eligibility.js';
import { dialectSql } from '../../src/reports/child-count/dialect-sql.js';
import { isoDay } from '../../src/reports/child-count/stored-counts.js';
import { closeStore, initStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { dialects } from '../helpers/databases.js';

const days = [
  '2004-02-29',
  '2003-03-01',
  '2004-03-01',
  '2000-03-01',
  '2003-02-28',
  '2004-02-28',
  '2024-08-16',
  '2021-09-01',
  '2023-12-31',
  '2000-02-29',
];

for (const db of dialects()) {
  describe(`child-count date SQL on ${db.name}`, function () {
    this.timeout(60_000);
    let store: Store;
    before(async function () {
      store = await initStore({ url: await db.create(this) });
    });
    after(async () => {
      await closeStore(store);
      await db.drop();
    });

    for (const day of days) {
      it(`${day}: 3rd and 22nd birthdays, last day of 36 months, greatest and least`, async () => {
        const d = dialectSql(db.dialect);
        const x = d.date(':day');
        const [row] = await store.sequelize.query<Record<string, unknown>>(
          `SELECT ${d.addYears(x, 3)} AS b3, ${d.dayBefore(d.addYears(x, 22))} AS last21,
            ${d.dayBefore(d.addYears(x, 3))} AS span36,
            ${d.greatest(x, d.date(':other'))} AS hi, ${d.least(x, d.date(':other'))} AS lo`,
          { type: QueryTypes.SELECT, replacements: { day, other: '2010-06-15' } },
        );
        assert.equal(isoDay(row?.['b3']), birthday(day, 3));
        const b22 = new Date(`${birthday(day, 22)}T00:00:00Z`);
        assert.equal(
          isoDay(row?.['last21']),
          new Date(b22.getTime() - 86_400_000).toISOString().slice(0, 10),
        );
        assert.equal(isoDay(row?.['span36']), lastDayOfMonthSpan(day, 36));
        assert.equal(isoDay(row?.['hi']), day > '2010-06-15' ? day : '2010-06-15');
        assert.equal(isoDay(row?.['lo']), day < '2010-06-15' ? day : '2010-06-15');
      });
    }
  });
}
