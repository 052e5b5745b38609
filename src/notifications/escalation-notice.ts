import { createHash } from 'node:crypto';
import type { Recipient } from './directory';

/**
 * One e-mail to send: one escalation × one recipient. It carries only what the mail shows:
 * the case reference, initials and age, never a name, a date of birth, notes or an address.
 */
export interface EscalationNotice {
  escalationId: string;
  /** Whose stream records the delivery; an id, not personal data, and never shown in the mail. */
  childId: string;
  recipient: Recipient;
  /** The policy's rule name, e.g. "repeat-in-window"; the template puts it in words. */
  rule: string;
  tier: number;
  caseReference: string;
  childInitials: string;
  childAgeYears: number | null;
  district: string;
  counts: { last30Days: number; last90Days: number; last365Days: number; lifetime: number };
  /** The figures that triggered the rule (episodesInWindow, windowDays, threshold...). */
  figures: Record<string, unknown>;
  /** ISO 8601. */
  raisedAt: string;
  dashboardUrl: string;
}

/**
 * Copies exactly the fields of a notice, so that a caller who spreads a richer object into it
 * (a child's name, notes) does not carry those into Redis or a template.
 */
export function pickNotice(notice: EscalationNotice): EscalationNotice {
  const { escalationId, childId, recipient, rule, tier, caseReference, childInitials, childAgeYears, district, counts, figures, raisedAt, dashboardUrl } =
    notice;
  return {
    escalationId,
    childId,
    recipient: { role: recipient.role, name: recipient.name, email: recipient.email },
    rule,
    tier,
    caseReference,
    childInitials,
    childAgeYears,
    district,
    counts: { last30Days: counts.last30Days, last90Days: counts.last90Days, last365Days: counts.last365Days, lifetime: counts.lifetime },
    figures,
    raisedAt,
    dashboardUrl,
  };
}

/**
 * The BullMQ job id of a notice: the same escalation and address always give the same id, so
 * enqueuing a notice twice makes one job. BullMQ 6 refuses custom ids that are integers or contain
 * ":" (Job.validateOptions), so the address is hashed (it is not kept in Redis keys either) and an
 * escalation id with other characters than [A-Za-z0-9_-] is hashed too ("h" + hex; a clean id never
 * contains "."): "notice.<escalationId>.<16 hex of the address>".
 */
export function noticeJobId(escalationId: string, email: string): string {
  const escalation = /^[A-Za-z0-9_-]{1,100}$/.test(escalationId) ? escalationId : `h.${sha256(escalationId).slice(0, 32)}`;
  return `notice.${escalation}.${sha256(email.trim().toLowerCase()).slice(0, 16)}`;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
