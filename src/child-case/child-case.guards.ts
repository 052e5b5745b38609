import { refuse, refuseInvalid, refuseNotFound } from '../shared/refusal';
import { isCalendarDate } from '../shared/calendar';
import { ChildCase, EpisodeState, findEpisode } from './child-case.state';

/** The checks several commands share; each throws a Refusal, or returns what it checked. */

export function requireEpisode(state: ChildCase, episodeId: string): EpisodeState {
  const episode = findEpisode(state, episodeId);
  if (!episode) throw refuseNotFound(`episode ${episodeId} does not exist`);
  return episode;
}

/** Cancelled and closed episodes are part of the permanent record and take no more work. */
export function refuseIfEnded(episode: EpisodeState): void {
  if (episode.status === 'cancelled' || episode.status === 'closed') {
    throw refuse(`episode ${episode.episodeId} is ${episode.status}`);
  }
}

export function requireText(value: string | undefined, field: string, name = field): void {
  if (typeof value !== 'string' || value.trim() === '') throw refuseInvalid(`${name} is required`, field);
}

/** Milliseconds since the epoch; NaN would make every comparison false and let anything through. */
export function instant(value: string, field: string, name = field): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw refuseInvalid(`${name} is not an ISO-8601 time`, field);
  return ms;
}

/** `now` is set by the application, not by the person asking: a bad one is a bug, not a refusal. */
export function clock(now: string): number {
  const ms = Date.parse(now);
  if (Number.isNaN(ms)) throw new Error(`now is not an ISO-8601 time: ${JSON.stringify(now)}`);
  return ms;
}

export function checkDateOfBirth(dateOfBirth: string | undefined, field: string, now: string): void {
  if (dateOfBirth === undefined) return;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth) ? Date.parse(dateOfBirth) : NaN;
  if (Number.isNaN(ms)) throw refuseInvalid('dateOfBirth is not a date (YYYY-MM-DD)', field);
  // A date-only string parses as UTC midnight, so a child born today is not "in the future".
  if (ms > clock(now)) throw refuseInvalid('dateOfBirth is in the future', field);
}

/** Drops absent optional fields, so an event in memory equals the same event read back from JSON. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A UK calendar date (YYYY-MM-DD), as people agree due dates and reviews. */
export function calendarDate(value: string, field: string, name = field): string {
  if (!isCalendarDate(value)) throw refuseInvalid(`${name} is not a date (YYYY-MM-DD)`, field);
  return value;
}
