/** Field limits and formats every DTO shares, so the API accepts the same text everywhere. */
export const SHORT_TEXT = 200;
export const LONG_TEXT = 4000;
/** ISO-8601 instants with a date and a time ("2026-11-25T08:30:00Z"). */
export const INSTANT = { strict: true, strictSeparator: true } as const;
/** A UK calendar date. */
export const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
