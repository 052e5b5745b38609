import { endOfUkDay } from '../../shared/calendar';
import type { EscalationPolicy } from './escalation-policy';

/**
 * When the casework after a return falls due, from the times in the events: pure, no clock, so a
 * back-dated return or recommendation gives a deadline already past (it fires at once).
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** DfE 2014: the independent return home interview within 72 hours (by default) of the return. */
export function returnInterviewDeadline(policy: EscalationPolicy, returnedAt: string): string {
  return new Date(toMs(returnedAt, 'returnedAt') + policy.returnInterviewOverdue.hours * HOUR_MS).toISOString();
}

/** A meeting action is done in time until its due date ends in the UK. */
export function meetingActionDeadline(dueDate: string): string {
  return endOfUkDay(dueDate);
}

/** A warning notice served within 7 days (by default) of the recommendation. */
export function warningNoticeDeadline(policy: EscalationPolicy, recommendedAt: string): string {
  return new Date(toMs(recommendedAt, 'recommendedAt') + policy.cawnNotServed.days * DAY_MS).toISOString();
}

function toMs(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`${what} is not an ISO-8601 time: ${JSON.stringify(iso)}`);
  return ms;
}
