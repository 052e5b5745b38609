import type { RecipientRole, RuleName, RuleOutcome } from './policy/escalation-policy';

/** Issued by the policy processor for one rule's outcome on one triggering event. */
export interface ApplyRuleOutcome {
  type: 'ApplyRuleOutcome';
  outcome: RuleOutcome;
  episodeId: string;
  /** The meeting or escalation this creates, ids derived from the trigger so a replay is a no-op. */
  meetingId: string;
  escalationId: string;
  notify: RecipientRole[];
  agencies: string[];
  cause: string;
  now: string;
}

/** Issued when a deadline job fires; the decider re-checks that the work is still undone. */
export interface RaiseOverdueEscalation {
  type: 'RaiseOverdueEscalation';
  rule: Extract<RuleName, 'review-overdue' | 'long-missing'>;
  episodeId: string;
  /** For review-overdue: the review time the deadline was computed from; a later review cancels it. */
  reviewAnchor: string | null;
  tier: number;
  notify: RecipientRole[];
  escalationId: string;
  figures: Record<string, unknown>;
  cause: string;
  now: string;
}

export interface EscalateUnacknowledged {
  type: 'EscalateUnacknowledged';
  escalationId: string;
  newEscalationId: string;
  tier: number;
  now: string;
}

export interface RecordEscalationNotified {
  type: 'RecordEscalationNotified';
  escalationId: string;
  recipient: { role: RecipientRole; email: string };
  messageId: string;
  deliveredAt: string;
}

export interface AcknowledgeEscalation {
  type: 'AcknowledgeEscalation';
  escalationId: string;
  acknowledgedBy: string;
  role: string;
  note?: string;
  now: string;
}

export type EscalationCommand =
  | ApplyRuleOutcome
  | RaiseOverdueEscalation
  | EscalateUnacknowledged
  | RecordEscalationNotified
  | AcknowledgeEscalation;

const ESCALATION_COMMAND_TYPES: readonly string[] = [
  'ApplyRuleOutcome',
  'RaiseOverdueEscalation',
  'EscalateUnacknowledged',
  'RecordEscalationNotified',
  'AcknowledgeEscalation',
] satisfies EscalationCommand['type'][];

export const isEscalationCommand = (command: { type: string }): command is EscalationCommand =>
  ESCALATION_COMMAND_TYPES.includes(command.type);
