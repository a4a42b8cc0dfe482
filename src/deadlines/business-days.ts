/**
 * A state's business-day calendar (config/states/XX.yaml `calendar`): weekends and listed
 * holidays are not working days. Days are civil dates (YYYY-MM-DD) in the state's time zone;
 * arithmetic is done on UTC midnights so no daylight-saving change can shift a day.
 */
export interface BusinessCalendar {
  timeZone: string;
  weekend: readonly ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
  holidays: readonly { date: string; name: string }[];
}

const weekdayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_MS = 86_400_000;

function dayNumber(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a date YYYY-MM-DD: ${day}`);
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function dayOf(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addCalendarDays(day: string, days: number): string {
  return dayOf(dayNumber(day) + days);
}

export function isWorkingDay(calendar: BusinessCalendar, day: string): boolean {
  const weekday = weekdayNames[new Date(dayNumber(day) * DAY_MS).getUTCDay()] ?? 'sun';
  if (calendar.weekend.includes(weekday)) return false;
  return !calendar.holidays.some((h) => h.date === day);
}

/**
 * The day `days` working days after `day` (the start day itself is not counted, as "within 4
 * working days of" counts the days that follow it).
 */
export function addWorkingDays(calendar: BusinessCalendar, day: string, days: number): string {
  if (calendar.weekend.length >= 7) throw new Error('a calendar needs at least one working day');
  let n = dayNumber(day);
  let left = days;
  while (left > 0) {
    n += 1;
    if (isWorkingDay(calendar, dayOf(n))) left -= 1;
  }
  return dayOf(n);
}

/** The civil date of an instant in a time zone, e.g. a submission's receipt in the state. */
export function localDay(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
