// Category 1 and 2 counts (issue 8) on every dialect: every edge the issue names, the
// breakdowns, linked and merged children, "as of", freezing and certification.
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { Store } from '../../src/store/index.js';
import {
  closeStore,
  initStore,
  linkStudentRecords,
  migrate,
  upsertStates,
} from '../../src/store/index.js';
import {
  childCountReport,
  computeChildCounts,
  refreshChildCounts,
} from '../../src/reports/child-count/child-count.js';
import { parsePeriod } from '../../src/reports/child-count/period.js';
import {
  ChildCountStatusError,
  certifyCount,
  freezeCount,
  listCountedChildren,
} from '../../src/reports/child-count/stored-counts.js';
import { reconcileChildCount } from '../../src/reports/child-count/reconciliation.js';
import { applyMerge } from '../../src/linkage/changes.js';
import { parseCsvList, saveStateList } from '../../src/reports/child-count/state-lists.js';
import { dialects } from '../helpers/databases.js';
import {
  storeTestChildren,
  type StoredTestChild,
  type TestChild,
} from '../helpers/child-count-data.js';

const period = '2024-25';
const summer: TestChild['enrollments'] = [
  { enrollmentDate: '2025-06-20', withdrawalDate: '2025-07-30', enrollmentType: '03', grade: '05' },
];

/** Every edge of the issue, in CA. The id says what the child is. */
const caChildren: TestChild[] = [
  { id: 'TURNS3IN', birthDate: '2022-03-15', enrollments: [{ enrollmentType: '06', grade: 'P2' }] },
  {
    id: 'TURNS3AFTER',
    birthDate: '2022-09-01',
    enrollments: [{ enrollmentType: '06', grade: 'P2' }],
  },
  { id: 'AGE22SEP1', birthDate: '2002-09-01', enrollments: [{ grade: 'OS' }] },
  { id: 'AGE22SEP2', birthDate: '2002-09-02', enrollments: [{ grade: 'OS' }] },
  {
    id: 'EXPAUG31',
    moves: [{ qualifyingArrivalDate: '2021-09-01', eligibilityExpirationDate: '2024-08-31' }],
  },
  {
    id: 'EXPSEP1',
    moves: [{ qualifyingArrivalDate: '2021-09-02', eligibilityExpirationDate: '2024-09-01' }],
  },
  // No stored expiration: QAD + 36 months - 1 day is computed (2024-08-31, then 2024-09-01).
  { id: 'QADSEP1', moves: [{ qualifyingArrivalDate: '2021-09-01' }] },
  { id: 'QADSEP2', moves: [{ qualifyingArrivalDate: '2021-09-02' }] },
  {
    id: 'GRADUATED',
    birthDate: '2006-03-03',
    enrollments: [
      {
        enrollmentDate: '2024-01-15',
        withdrawalDate: '2024-06-01',
        grade: '12',
        graduationDate: '2024-06-01',
      },
      { enrollmentDate: '2024-09-03', withdrawalDate: '2025-06-01', grade: 'UG' },
    ],
  },
  { id: 'RESIDENCY', enrollments: [{ enrollmentType: '06', grade: '07' }] },
  { id: 'SUMMER', enrollments: summer },
  // Two districts, one record: counted once, attributed to the later enrollment (grade 02).
  {
    id: 'TWODISTRICTS',
    birthDate: '2017-02-02',
    enrollments: [
      {
        enrollmentDate: '2024-08-20',
        withdrawalDate: '2024-12-20',
        grade: '01',
        districtId: '0600001',
      },
      {
        enrollmentDate: '2025-01-06',
        withdrawalDate: '2025-06-10',
        grade: '02',
        districtId: '0600002',
        priorityForServices: true,
      },
    ],
  },
  // Two state IDs of one child (linked below): counted once.
  { id: 'TWOIDS-A', enrollments: [{ grade: 'KG', englishLearner: true }], birthDate: '2019-04-04' },
  {
    id: 'TWOIDS-B',
    birthDate: '2019-04-04',
    enrollments: [
      {
        enrollmentDate: '2025-06-16',
        withdrawalDate: '2025-07-25',
        enrollmentType: '03',
        grade: 'KG',
      },
    ],
  },
  // Served after eligibility ended (continuation of services): not counted.
  {
    id: 'CONTINUATION',
    moves: [{ qualifyingArrivalDate: '2021-06-01', eligibilityExpirationDate: '2024-05-31' }],
    enrollments: [{ continuationOfServicesReason: '01' }],
  },
  // QAD inside the period, IEP.
  {
    id: 'NEWARRIVAL',
    moves: [{ qualifyingArrivalDate: '2024-10-01' }],
    enrollments: [{ iep: true }],
  },
  // Eligible all period, but enrolled only before it: no residency in the period.
  {
    id: 'NORESIDENCY',
    enrollments: [{ enrollmentDate: '2023-09-01', withdrawalDate: '2024-06-01' }],
  },
  // Only enrolled after the as-of day used below.
  {
    id: 'SPRINGONLY',
    enrollments: [{ enrollmentDate: '2025-01-15', withdrawalDate: '2025-05-30', grade: '09' }],
  },
];

for (const db of dialects()) {
  describe(`child counts on ${db.name}`, function () {
    this.timeout(60_000);
    let store: Store;
    let ca: Map<string, StoredTestChild>;
    let tx: Map<string, StoredTestChild>;

    const childOf = (id: string) => ca.get(id)?.childId ?? '';

    before(async function () {
      const url = await db.create(this);
      store = await initStore({ url });
      await migrate(store.sequelize);
      await upsertStates(store, [
        { code: 'CA', name: 'California' },
        { code: 'TX', name: 'Texas' },
        { code: 'FL', name: 'Florida' },
      ]);
      ca = await storeTestChildren(store, 'CA', caChildren);
      // TWOIDS-B is the same child as TWOIDS-A: one child, two state student IDs.
      await linkStudentRecords(store, [
        { studentRecordId: ca.get('TWOIDS-B')!.recordId, childId: childOf('TWOIDS-A') },
      ]);
      // The SUMMER child also lives in Texas (linked across states): once in each state.
      tx = await storeTestChildren(store, 'TX', [
        { id: 'TX-SUMMER', enrollments: summer },
        { id: 'TX-MERGED-A' },
        { id: 'TX-MERGED-B', enrollments: [{ enrollmentType: '06' }] },
      ]);
      await linkStudentRecords(store, [
        { studentRecordId: tx.get('TX-SUMMER')!.recordId, childId: childOf('SUMMER') },
      ]);
      // TX-MERGED-A's child was merged into TX-MERGED-B's (as a validated merge does: the
      // record moves to the master, the other child is marked merged): one child.
      await store.sequelize.transaction((transaction) =>
        applyMerge(store, transaction, {
          master: tx.get('TX-MERGED-B')!.childId,
          others: [tx.get('TX-MERGED-A')!.childId],
          actor: 'test',
          worklistItemId: null,
        }),
      );
    });
    after(async () => {
      await closeStore(store);
      await db.drop();
    });

    async function counted(state: string, category: 1 | 2, asOf?: string) {
      const count = await childCountReport(store, { state, period, ...(asOf ? { asOf } : {}) });
      const children = await listCountedChildren(store, count.id, category);
      return { count, children, ids: new Set(children.map((c) => c.childId)) };
    }

    it('counts each edge of the issue in Category 1 as the rules say', async () => {
      const { ids, count } = await counted('CA', 1);
      const expected: Record<string, boolean> = {
        TURNS3IN: true,
        TURNS3AFTER: false,
        AGE22SEP1: false,
        AGE22SEP2: true,
        EXPAUG31: false,
        EXPSEP1: true,
        QADSEP1: false,
        QADSEP2: true,
        GRADUATED: false,
        RESIDENCY: true,
        SUMMER: true,
        TWODISTRICTS: true,
        'TWOIDS-A': true,
        CONTINUATION: false,
        NEWARRIVAL: true,
        SPRINGONLY: true,
        NORESIDENCY: false,
      };
      const got = Object.fromEntries(Object.keys(expected).map((id) => [id, ids.has(childOf(id))]));
      assert.deepEqual(got, expected);
      assert.equal(count.category1.total, 10, 'TWOIDS-A and -B are one child');
      assert.equal(count.countedThrough, '2025-08-31');
    });

    it('counts the days the rules allow: from the 3rd birthday, Sept 1 only at 21', async () => {
      const { children } = await counted('CA', 1);
      const of = (id: string) => children.find((c) => c.childId === childOf(id));
      assert.deepEqual(
        [of('TURNS3IN')?.firstDay, of('TURNS3IN')?.lastDay],
        ['2025-03-15', '2025-06-10'],
      );
      assert.deepEqual(
        [of('AGE22SEP2')?.firstDay, of('AGE22SEP2')?.lastDay],
        ['2024-09-01', '2024-09-01'],
      );
      assert.deepEqual(
        [of('EXPSEP1')?.firstDay, of('EXPSEP1')?.lastDay],
        ['2024-09-01', '2024-09-01'],
      );
    });

    it('counts summer or intersession projects only in Category 2', async () => {
      const { ids, count } = await counted('CA', 2);
      assert.deepEqual(
        [...ids].sort(),
        [childOf('SUMMER'), childOf('TWOIDS-A')].sort(),
        'RESIDENCY (06) is Category 1 only; the linked TWOIDS-B brings its summer project',
      );
      assert.equal(count.category2.total, 2);
    });

    it('attributes each child to one grade, so every breakdown is unduplicated', async () => {
      const { count, children } = await counted('CA', 1);
      const c1 = count.category1;
      const sum = Object.values(c1.byGrade).reduce((a, b) => a + b, 0);
      assert.equal(sum, c1.total);
      assert.equal(children.find((c) => c.childId === childOf('TWODISTRICTS'))?.grade, '02');
      assert.equal(c1.byGrade['age3to5'], 1, 'TURNS3IN, graded P2 by the state, is 3 to 5');
      assert.equal(c1.byGrade['OS'], 1);
      assert.equal(c1.byGrade['KG'], 1, 'TWOIDS-A and -B: one child in KG');
      assert.equal(c1.priorityForServices, 1);
      assert.equal(c1.englishLearner, 1);
      assert.equal(c1.iep, 1);
      assert.equal(c1.qadInPeriod, 1, 'NEWARRIVAL');
    });

    it('counts a child once in each state it lived in, and a merged child once', async () => {
      const texas = await counted('TX', 2);
      assert.ok(texas.ids.has(childOf('SUMMER')));
      assert.equal(texas.count.category1.total, 2, 'TX-SUMMER, and TX-MERGED-A/B as one child');
      const merged = (await counted('TX', 1)).children.filter(
        (c) => c.childId === tx.get('TX-MERGED-B')!.childId,
      );
      assert.equal(merged.length, 1);
      const all = await computeChildCounts(store, { period });
      assert.equal(all.get('CA')?.category1.total, 10);
      assert.equal(all.get('TX')?.category1.total, 2);
      assert.equal(all.get('FL'), undefined);
    });

    it('counts only the days through the "as of" date', async () => {
      const { ids, count } = await counted('CA', 1, '2024-12-31');
      assert.equal(count.countedThrough, '2024-12-31');
      assert.ok(!ids.has(childOf('SPRINGONLY')));
      assert.ok(!ids.has(childOf('TURNS3IN')));
      assert.ok(ids.has(childOf('RESIDENCY')));
    });

    it('reconciles a state list: every difference named, with the reason', async () => {
      // A record not linked to any child yet.
      const unlinked = await storeTestChildren(store, 'CA', [{ id: 'UNLINKED' }]);
      await store.sequelize.query('UPDATE student_records SET child_id = NULL WHERE id = :id', {
        type: QueryTypes.RAW,
        replacements: { id: unlinked.get('UNLINKED')!.recordId },
      });
      const csv = [
        'stateStudentId,category',
        ...[
          'TURNS3IN',
          'TURNS3AFTER',
          'AGE22SEP1',
          'AGE22SEP2',
          'EXPAUG31',
          'EXPSEP1',
          'QADSEP2',
          'GRADUATED',
          'RESIDENCY',
          'TWODISTRICTS',
          'TWOIDS-B',
          'TWOIDS-A',
          'CONTINUATION',
          'NEWARRIVAL',
          'SPRINGONLY',
          'NORESIDENCY',
          'UNLINKED',
          'NOSUCHID',
          'NEWARRIVAL',
        ].map((id) => `${id},1`),
        'SUMMER,2',
        'RESIDENCY,2',
      ].join('\n');
      await saveStateList(store, {
        state: 'CA',
        period,
        entries: parseCsvList(csv),
        by: 'ca-admin',
        now: new Date(),
      });
      const report = await reconcileChildCount(store, { state: 'CA', period });
      const [c1, c2] = report.categories;
      const reasonsOf = (c: typeof c1) =>
        Object.fromEntries(c!.differences.map((d) => [`${d.side}:${d.stateStudentId}`, d.reason]));
      assert.deepEqual(reasonsOf(c1), {
        'state-only:TURNS3AFTER': 'too-young',
        'state-only:AGE22SEP1': 'too-old',
        'state-only:EXPAUG31': 'not-eligible',
        'state-only:GRADUATED': 'graduated',
        'state-only:TWOIDS-A': 'linked-to-another-record',
        'state-only:CONTINUATION': 'not-eligible',
        'state-only:NORESIDENCY': 'no-residency',
        'state-only:UNLINKED': 'not-linked',
        'state-only:NOSUCHID': 'unknown-id',
        'state-only:NEWARRIVAL': 'duplicate-id',
        'continuum-only:SUMMER': 'counted-by-continuum',
      });
      assert.equal(c1!.matched, 9);
      assert.equal(c1!.continuum, 10);
      assert.deepEqual(reasonsOf(c2), {
        'state-only:RESIDENCY': 'no-summer-project',
        // Continuum attributes the child of TWOIDS-A/-B to TWOIDS-B, its summer record.
        'continuum-only:TWOIDS-B': 'counted-by-continuum',
      });
    });

    it('keeps a frozen count through later uploads and refreshes; certifies once', async () => {
      const p = parsePeriod(period);
      const now = new Date('2025-10-15T12:00:00Z');
      const frozen = await freezeCount(store, {
        state: 'FL',
        period: p,
        countedThrough: '2025-08-31',
        by: 'fl-admin',
        now,
      });
      assert.equal(frozen.status, 'frozen');
      assert.equal(frozen.category1.total, 0);
      await storeTestChildren(store, 'FL', [{ id: 'FL-LATE' }]);
      const summaries = await refreshChildCounts(
        store,
        { states: [{ code: 'FL' }, { code: 'CA' }] } as never,
        now,
      );
      const thisPeriod = summaries.find((s) => s.period === period)!;
      assert.deepEqual(thisPeriod.kept, [{ state: 'FL', status: 'frozen' }]);
      assert.equal((await childCountReport(store, { state: 'FL', period })).category1.total, 0);
      const certified = await certifyCount(store, { state: 'FL', period: p, by: 'fl-admin', now });
      assert.equal(certified.status, 'certified');
      await assert.rejects(
        freezeCount(store, { state: 'FL', period: p, countedThrough: p.end, by: 'x', now }),
        ChildCountStatusError,
      );
      await assert.rejects(
        certifyCount(store, { state: 'FL', period: p, by: 'x', now }),
        ChildCountStatusError,
      );
      // An unfrozen count sees the late record.
      const next = await childCountReport(store, { state: 'FL', period: '2023-24' });
      assert.equal(next.status, 'computed');
    });
  });
}
