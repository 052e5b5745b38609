/**
 * Calendar dates (YYYY-MM-DD) as people in the force mean them: days in UK time. A due date is
 * met until that day ends in the UK, so "past its due date" starts at the next UK midnight.
 * Pure: the clock is never read here.
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const UK_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
const UK_HOUR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' });

/** A real date in the YYYY-MM-DD form (not 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/**
 * UK time is UTC or an hour ahead, so its date changes only on a whole UTC hour: one formatting per
 * UTC hour serves every instant in it (formatting each instant was a sixteenth of the dashboard's
 * rebuild, which dates every event several times).
 */
const ukDateByUtcHour = new Map<number, string>();
const UTC_HOURS_KEPT = 100_000;

/** The UK calendar date of an instant: 2026-06-30T23:30Z is already 1 July in summer time. */
export function ukDateOf(iso: string): string {
  const hour = Math.floor(Date.parse(iso) / HOUR_MS);
  let date = ukDateByUtcHour.get(hour);
  if (date === undefined) {
    const parts = Object.fromEntries(UK_DAY.formatToParts(new Date(hour * HOUR_MS)).map((part) => [part.type, part.value]));
    date = `${parts.year}-${parts.month}-${parts.day}`;
    if (ukDateByUtcHour.size >= UTC_HOURS_KEPT) ukDateByUtcHour.clear();
    ukDateByUtcHour.set(hour, date);
  }
  return date;
}

/** The instant a UK calendar day ends (the next UK midnight), as ISO-8601. */
export function endOfUkDay(date: string): string {
  const nextUtcMidnight = Date.parse(date) + DAY_MS;
  // UK midnight is UTC midnight in winter and 23:00 UTC the evening before in summer time; the
  // clocks change at 01:00 UTC, so the UK hour at UTC midnight says which.
  const ukHour = Number(UK_HOUR.formatToParts(new Date(nextUtcMidnight)).find((part) => part.type === 'hour')?.value ?? 0);
  return new Date(nextUtcMidnight - ukHour * HOUR_MS).toISOString();
}
