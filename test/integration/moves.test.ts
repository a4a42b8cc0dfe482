// Move detection (set-based, idempotent), move notices and the sending state's 4-working-day
// clock, on every dialect. Each test makes its own child, so the order does not matter.
import assert from 'node:assert/strict';
import { loadConfig, type Config } from '../../src/config/index.js';
import { addCalendarDays, addWorkingDays, localDay } from '../../src/deadlines/business-days.js';
import { deadlineList } from '../../src/deadlines/deadline-list.js';
import { deadlineTrackingJob } from '../../src/jobs/deadline-tracking-job.js';
import { silentLogger } from '../helpers/identity-sessions.js';
import { detectMoves } from '../../src/moves/detect-moves.js';
import { recruiterLeads, sendMoveNotice } from '../../src/moves/move-notices.js';
import { closeStore, initStore, migrate, upsertStates, type Store } from '../../src/store/index.js';
import { createChild } from '../../src/store/repositories/children.js';
import { selectRows } from '../../src/store/repositories/sql-statements.js';
import { testDatabases } from '../helpers/databases.js';
import { sendRecord, studentIdOf } from '../helpers/move-data.js';

interface EventRow {
  event_type: string;
  child_id: string;
  from_state: string | null;
  to_state: string | null;
  from_district: string | null;
  to_district: string | null;
  payload: string;
}

async function eventsOf(store: Store, childId: string): Promise<EventRow[]> {
  const rows = await selectRows<EventRow>(
    store,
    `SELECT event_type, child_id, from_state, to_state, from_district, to_district, payload
       FROM notification_outbox WHERE child_id = :childId ORDER BY id`,
    { childId },
  );
  return rows.map((r) => ({
    ...r,
    from_state: r.from_state?.trim() ?? null,
    to_state: r.to_state?.trim() ?? null,
  }));
}

for (const db of testDatabases()) {
  describe(`moves on ${db.name}`, function () {
    this.timeout(60_000);
    let store: Store;
    let config: Config;

    before(async function () {
      const url = await db.create(this);
      config = loadConfig({ env: { NODE_ENV: 'test', DATABASE_URL: url } });
      store = await initStore({ url });
      await migrate(store.sequelize);
      await upsertStates(
        store,
        config.states.map((s) => ({ code: s.code, name: s.name })),
      );
    });
    after(async () => {
      await closeStore(store);
      await db.drop();
    });

    it('raises one move event for an enrollment in another state, and none on a re-run', async () => {
      const childId = await createChild(store);
      await sendRecord(store, {
        state: 'CA',
        stateStudentId: studentIdOf(),
        childId,
        qualifyingArrivalDate: '2025-08-20',
        enrollments: [{ enrollmentDate: '2025-08-25', districtId: '0600001' }],
      });
      const first = await detectMoves(store, config, new Date());
      assert.equal((await eventsOf(store, childId)).length, 0, 'one state only: no move');

      const txId = studentIdOf();
      const txRecord = {
        state: 'TX',
        stateStudentId: txId,
        childId,
        qualifyingArrivalDate: '2026-01-12',
        enrollments: [
          { enrollmentDate: '2026-01-14', districtId: '4800001', medicalAlert: 'Chronic' as const },
        ],
      };
      await sendRecord(store, txRecord);
      const second = await detectMoves(store, config, new Date());
      assert.ok(second.watermark > first.watermark);
      let events = await eventsOf(store, childId);
      assert.equal(events.length, 1, JSON.stringify(events));
      assert.equal(events[0]!.event_type, 'move.detected');
      assert.equal(events[0]!.from_state, 'CA');
      assert.equal(events[0]!.to_state, 'TX');
      const payload = JSON.parse(events[0]!.payload) as Record<string, unknown>;
      assert.equal(payload['movedOn'], '2026-01-12', 'the qualifying move shows the move first');

      // Run again, and let TX send the same record again in a new file: nothing new.
      assert.equal((await detectMoves(store, config, new Date())).movesDetected, 0);
      await sendRecord(store, txRecord);
      const again = await detectMoves(store, config, new Date());
      assert.equal(again.movesDetected, 0);
      assert.ok(again.candidates >= 1, 'the re-sent move was seen and recognised');
      events = await eventsOf(store, childId);
      assert.equal(events.length, 1);
    });

    it('raises a move for another district of the same state', async () => {
      const childId = await createChild(store);
      const id = studentIdOf();
      await sendRecord(store, {
        state: 'WA',
        stateStudentId: id,
        childId,
        qualifyingArrivalDate: '2025-09-01',
        enrollments: [{ enrollmentDate: '2025-09-03', districtId: '5300001' }],
      });
      await detectMoves(store, config, new Date());
      await sendRecord(store, {
        state: 'WA',
        stateStudentId: id,
        childId,
        qualifyingArrivalDate: '2025-09-01',
        enrollments: [
          { enrollmentDate: '2025-09-03', districtId: '5300001' },
          { enrollmentDate: '2026-02-02', districtId: '5300002' },
        ],
      });
      const counts = await detectMoves(store, config, new Date());
      assert.equal(counts.movesDetected, 1);
      const [event] = await eventsOf(store, childId);
      assert.equal(event?.from_district, '5300001');
      assert.equal(event?.to_district, '5300002');
      const [move] = await selectRows<{ notified_state: string | null }>(
        store,
        'SELECT notified_state FROM moves WHERE child_id = :childId',
        { childId },
      );
      assert.equal(move?.notified_state, null, 'no other state to tell within one state');
    });

    it('turns a move notice into a lead, then tells the sending state once the child is enrolled', async () => {
      const childId = await createChild(store);
      await sendRecord(store, {
        state: 'CA',
        stateStudentId: studentIdOf(),
        childId,
        qualifyingArrivalDate: '2025-08-20',
        enrollments: [{ enrollmentDate: '2025-08-25', districtId: '0600001' }],
      });
      await detectMoves(store, config, new Date());
      const notice = await sendMoveNotice(store, config, {
        childId,
        fromState: 'CA',
        toState: 'FL',
        toCity: 'Immokalee',
        departureDate: '2026-11-20',
        forwardingAddress: '1 Main St, Immokalee FL',
        comment: 'Family left for the harvest',
        createdBy: 'registrar@ca',
      });
      const leads = await recruiterLeads(store, 'FL', 'open');
      assert.ok(leads.some((l) => l.id === notice.id));
      let events = await eventsOf(store, childId);
      assert.deepEqual(
        events.map((e) => e.event_type),
        ['move-notice.created'],
      );
      assert.equal(events[0]!.to_state, 'FL');

      // FL's data now show the child enrolled.
      await sendRecord(store, {
        state: 'FL',
        stateStudentId: studentIdOf(),
        childId,
        qualifyingArrivalDate: '2026-11-23',
        enrollments: [{ enrollmentDate: '2026-11-24', districtId: '1200001' }],
      });
      const counts = await detectMoves(store, config, new Date());
      assert.equal(counts.noticesEnrolled, 1);
      events = await eventsOf(store, childId);
      assert.deepEqual(events.map((e) => e.event_type).sort(), [
        'move-notice.created',
        'move-notice.enrolled',
        'move.detected',
      ]);
      const enrolled = events.find((e) => e.event_type === 'move-notice.enrolled')!;
      assert.equal(enrolled.from_state, 'CA', 'the sending state is told');
      assert.equal((await recruiterLeads(store, 'FL', 'open')).length, 0);
      assert.equal((await detectMoves(store, config, new Date())).noticesEnrolled, 0);

      // CA's 4-working-day clock runs: due, not yet met (CA has sent nothing since).
      const ca = config.states.find((s) => s.code === 'CA')!;
      const deadlines = await deadlineList(store, ca, { now: new Date() });
      const moveData = deadlines.filter((d) => d.kind === 'move-data' && d.childId === childId);
      assert.ok(moveData.length >= 1, JSON.stringify(deadlines.slice(0, 3)));
      assert.ok(moveData.every((d) => d.status === 'due' && d.dueOn > d.startsOn));
    });

    it('lists certificate and term deadlines as met, due or overdue, and raises overdue ones once', async () => {
      const now = new Date();
      const base = config.states.find((s) => s.code === 'WA')!;
      const today = localDay(now, base.calendar.timeZone);
      const wa = {
        ...base,
        calendar: {
          ...base.calendar,
          terms: [
            {
              name: 'Long ago',
              start: addCalendarDays(today, -140),
              end: addCalendarDays(today, -40),
            },
            {
              name: 'Just ended',
              start: addCalendarDays(today, -110),
              end: addCalendarDays(today, -10),
            },
          ],
        },
      };
      const childId = await createChild(store);
      const qad = addCalendarDays(today, -60);
      const receivedLate = new Date(`${addCalendarDays(today, -20)}T18:00:00Z`);
      await sendRecord(store, {
        state: 'WA',
        stateStudentId: studentIdOf(),
        childId,
        qualifyingArrivalDate: qad,
        enrollments: [{ enrollmentDate: addCalendarDays(today, -150), districtId: '5300009' }],
        receivedAt: receivedLate,
      });
      const list = (await deadlineList(store, wa, { now })).filter((d) => d.childId === childId);
      const certificate = list.find((d) => d.kind === 'eligibility-certificate')!;
      assert.equal(certificate.startsOn, qad);
      assert.equal(certificate.dueOn, addWorkingDays(wa.calendar, qad, 10));
      assert.equal(certificate.status, 'met');
      assert.equal(certificate.late, true, 'sent 40 days after the arrival');
      const terms = list.filter((d) => d.kind === 'term-end');
      const longAgo = terms.find((d) => d.startsOn === addCalendarDays(today, -40))!;
      const justEnded = terms.find((d) => d.startsOn === addCalendarDays(today, -10))!;
      assert.equal(longAgo.status, 'met', 'received 20 days after that term ended');
      assert.equal(longAgo.late, false);
      assert.equal(justEnded.status, 'due', 'nothing received since; due in 20 days');
      assert.equal(justEnded.dueOn, addCalendarDays(today, 20));

      // A later term whose 30 days have passed with nothing received: overdue, raised once.
      const overdueState = {
        ...wa,
        calendar: {
          ...wa.calendar,
          terms: [
            {
              name: 'Summer',
              start: addCalendarDays(today, -19),
              end: addCalendarDays(today, -18),
            },
          ],
        },
      };
      const overdue = (
        await deadlineList(store, overdueState, { now: new Date(now.getTime() + 15 * 86_400_000) })
      ).filter((d) => d.childId === childId && d.kind === 'term-end');
      assert.equal(overdue[0]?.status, 'overdue');
      const jobConfig = { ...config, states: [overdueState] };
      const later = new Date(now.getTime() + 15 * 86_400_000);
      const ctx = {
        store,
        config: jobConfig,
        logger: silentLogger,
        now: later,
        signal: new AbortController().signal,
        trigger: 'manual' as const,
        instanceId: 'test',
      };
      const first = await deadlineTrackingJob.run(ctx);
      assert.ok(first['eventsRaised']! >= 1, JSON.stringify(first));
      const second = await deadlineTrackingJob.run(ctx);
      assert.equal(second['eventsRaised'], 0, 'each overdue deadline is raised once');
      const events = await eventsOf(store, childId);
      assert.ok(events.some((e) => e.event_type === 'deadline.overdue' && e.to_state === 'WA'));
    });
  });
}
