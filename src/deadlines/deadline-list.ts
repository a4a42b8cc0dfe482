/**
 * The 34 CFR 200.85(b)(3) deadlines of one state, each due, met or overdue, computed from the
 * times the state's data were received:
 * - a new eligibility certificate: within 10 working days (from the qualifying arrival date, the
 *   only determination date the exchange carries);
 * - records of a term: updated within 30 calendar days after the term ends (terms from the
 *   state's calendar);
 * - after a move notification: the sending state's data within 4 working days.
 * Known limit: an item re-sent later carries its latest receipt time, so a certificate first sent
 * on time and re-sent after its due day reads as met late.
 */
import type { StateConfig } from '../config/index.js';
import type { Store } from '../store/index.js';
import { certificateFacts, termFacts } from '../store/repositories/deadline-facts.js';
import { listMovesNotifying } from '../store/repositories/moves.js';
import { addCalendarDays, addWorkingDays, localDay } from './business-days.js';

export const deadlineKinds = ['eligibility-certificate', 'term-end', 'move-data'] as const;
export type DeadlineKind = (typeof deadlineKinds)[number];
export type DeadlineStatus = 'met' | 'due' | 'overdue';

export interface Deadline {
  /** Stable: the same deadline has the same key in every list. */
  key: string;
  kind: DeadlineKind;
  state: string;
  childId: string | null;
  studentRecordId: number | null;
  /** The day the clock started (state's civil date). */
  startsOn: string;
  /** The last day that counts as on time. */
  dueOn: string;
  status: DeadlineStatus;
  /** When the data that meet it arrived; with `late` when that was after `dueOn`. */
  metAt: string | null;
  late: boolean;
  rule: string;
}

// 34 CFR 200.85(b)(3)(i)-(iii).
const CERTIFICATE_WORKING_DAYS = 10;
const TERM_CALENDAR_DAYS = 30;
const MOVE_WORKING_DAYS = 4;

function statusOf(
  today: string,
  dueOn: string,
  metAt: Date | null,
  timeZone: string,
): Pick<Deadline, 'status' | 'metAt' | 'late'> {
  if (metAt) {
    return { status: 'met', metAt: metAt.toISOString(), late: localDay(metAt, timeZone) > dueOn };
  }
  return { status: today > dueOn ? 'overdue' : 'due', metAt: null, late: false };
}

export async function deadlineList(
  store: Store,
  state: StateConfig,
  opts: { now: Date; sinceDay?: string; status?: DeadlineStatus },
): Promise<Deadline[]> {
  const cal = state.calendar;
  const today = localDay(opts.now, cal.timeZone);
  const sinceDay = opts.sinceDay ?? addCalendarDays(today, -365);
  const list: Deadline[] = [];

  for (const f of await certificateFacts(store, state.code, sinceDay)) {
    const dueOn = addWorkingDays(cal, f.qualifyingArrivalDate, CERTIFICATE_WORKING_DAYS);
    list.push({
      key: `eligibility-certificate:${f.studentRecordId}:${f.qualifyingArrivalDate}`,
      kind: 'eligibility-certificate',
      state: state.code,
      childId: f.childId,
      studentRecordId: f.studentRecordId,
      startsOn: f.qualifyingArrivalDate,
      dueOn,
      ...statusOf(today, dueOn, f.receivedAt, cal.timeZone),
      rule: '34 CFR 200.85(b)(3)(i): within 10 working days',
    });
  }

  for (const term of cal.terms) {
    if (term.end < sinceDay || term.end >= today) continue;
    const dueOn = addCalendarDays(term.end, TERM_CALENDAR_DAYS);
    for (const f of await termFacts(store, state.code, term)) {
      // Only data received after the term ended can be its update.
      const metAt = localDay(f.receivedAt, cal.timeZone) > term.end ? f.receivedAt : null;
      list.push({
        key: `term-end:${term.end}:${f.studentRecordId}`,
        kind: 'term-end',
        state: state.code,
        childId: f.childId,
        studentRecordId: f.studentRecordId,
        startsOn: term.end,
        dueOn,
        ...statusOf(today, dueOn, metAt, cal.timeZone),
        rule: `34 CFR 200.85(b)(3)(ii): within 30 calendar days after ${term.name} ends`,
      });
    }
  }

  const since = new Date(`${sinceDay}T00:00:00Z`);
  for (const m of await listMovesNotifying(store, state.code, since)) {
    const startsOn = localDay(m.detectedAt, cal.timeZone);
    const dueOn = addWorkingDays(cal, startsOn, MOVE_WORKING_DAYS);
    list.push({
      key: `move-data:${m.id}`,
      kind: 'move-data',
      state: state.code,
      childId: m.childId,
      studentRecordId: null,
      startsOn,
      dueOn,
      ...statusOf(today, dueOn, m.dataSentAt, cal.timeZone),
      rule: '34 CFR 200.85(b)(3)(iii): within 4 working days after a move notification',
    });
  }
  const filtered = opts.status ? list.filter((d) => d.status === opts.status) : list;
  return filtered.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.key.localeCompare(b.key));
}
