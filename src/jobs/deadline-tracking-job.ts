/**
 * Deadline tracking: each state's deadlines that became overdue in the last 30 days raise a
 * `deadline.overdue` event (once: keyed by the deadline), delivered to the state's subscribers,
 * e.g. its contacts' e-mail subscription.
 */
import { addCalendarDays, localDay } from '../deadlines/business-days.js';
import { deadlineList } from '../deadlines/deadline-list.js';
import { insertOutboxEvents } from '../store/repositories/notification-outbox.js';
import type { JobDefinition } from './job.js';

export const deadlineTrackingJob: JobDefinition = {
  name: 'deadline-tracking',
  description: 'Raise an event for each 34 CFR 200.85 deadline that became overdue',
  defaultCron: '0 15 6 * * *',
  async run(ctx) {
    let overdue = 0;
    let raised = 0;
    for (const state of ctx.config.states) {
      if (ctx.signal.aborted) break;
      const today = localDay(ctx.now, state.calendar.timeZone);
      const list = await deadlineList(ctx.store, state, { now: ctx.now, status: 'overdue' });
      const recent = list.filter((d) => d.dueOn >= addCalendarDays(today, -30));
      overdue += list.length;
      raised += await insertOutboxEvents(
        ctx.store,
        undefined,
        recent.map((d) => ({
          eventType: 'deadline.overdue',
          dedupeKey: `overdue:${d.key}`,
          childId: d.childId,
          toState: d.state,
          occurredAt: ctx.now,
          payload: {
            childId: d.childId,
            state: d.state,
            kind: d.kind,
            startsOn: d.startsOn,
            dueOn: d.dueOn,
            rule: d.rule,
          },
        })),
      );
    }
    return { overdue, eventsRaised: raised };
  },
};
