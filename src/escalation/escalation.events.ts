import type { RecipientRole, RuleName } from './policy/escalation-policy';

/**
 * What the machine did about a child, in the child's own stream beside the episodes, so that
 * "is a meeting open", "was this escalation acknowledged" and the episodes are one consistent
 * state. Each carries the rule, the figures and the triggering event (`cause`), so the history
 * shows why.
 */
export interface StrategyMeetingConvened {
  type: 'StrategyMeetingConvened';
  meetingId: string;
  childId: string;
  rule: RuleName;
  /** Agencies invited: police, children's social care, health, education. */
  agencies: string[];
  /** The episodes that brought the child over the threshold. */
  agenda: string[];
  figures: Record<string, unknown>;
  cause: string;
  convenedAt: string;
}

export interface EpisodeAddedToMeetingAgenda {
  type: 'EpisodeAddedToMeetingAgenda';
  meetingId: string;
  episodeId: string;
  cause: string;
  addedAt: string;
}

export interface EscalationRaised {
  type: 'EscalationRaised';
  escalationId: string;
  childId: string;
  rule: RuleName;
  tier: number;
  notify: RecipientRole[];
  district: string;
  episodeId: string | null;
  figures: Record<string, unknown>;
  cause: string;
  /** The escalation this one climbs from, when a senior officer did not acknowledge in time. */
  escalates: string | null;
  raisedAt: string;
}

export interface EscalationNotified {
  type: 'EscalationNotified';
  escalationId: string;
  recipient: { role: RecipientRole; email: string };
  messageId: string;
  deliveredAt: string;
}

export interface EscalationAcknowledged {
  type: 'EscalationAcknowledged';
  escalationId: string;
  acknowledgedBy: string;
  role: string;
  note?: string;
  acknowledgedAt: string;
}

export type EscalationEvent =
  | StrategyMeetingConvened
  | EpisodeAddedToMeetingAgenda
  | EscalationRaised
  | EscalationNotified
  | EscalationAcknowledged;

export const ESCALATION_EVENT_TYPES = [
  'StrategyMeetingConvened',
  'EpisodeAddedToMeetingAgenda',
  'EscalationRaised',
  'EscalationNotified',
  'EscalationAcknowledged',
] as const satisfies readonly EscalationEvent['type'][];

export const isEscalationEventType = (type: string): type is EscalationEvent['type'] =>
  (ESCALATION_EVENT_TYPES as readonly string[]).includes(type);
