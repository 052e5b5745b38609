import { typesOf } from '../child-stream/child-stream-slice';
import type { RecipientRole, RuleOutcome } from './policy/escalation-policy';

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

/** The piece of work a deadline watches, by rule: what the re-check looks at when it fires. */
export type OverdueWork =
  /** `reviewAnchor`: the review the clock ran from (null: from missing-since); a later review cancels it. */
  | { rule: 'review-overdue'; episodeId: string; reviewAnchor: string | null }
  | { rule: 'long-missing'; episodeId: string }
  | { rule: 'return-interview-overdue'; episodeId: string }
  | { rule: 'meeting-action-overdue'; meetingId: string; actionId: string }
  | { rule: 'cawn-not-served'; noticeId: string };

export type OverdueRule = OverdueWork['rule'];

/** Issued when a deadline job fires; the decider re-checks that the work is still undone. */
export interface RaiseOverdueEscalation {
  type: 'RaiseOverdueEscalation';
  work: OverdueWork;
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

export const ESCALATION_COMMAND_TYPES = typesOf<EscalationCommand['type']>({
  ApplyRuleOutcome: true,
  RaiseOverdueEscalation: true,
  EscalateUnacknowledged: true,
  RecordEscalationNotified: true,
  AcknowledgeEscalation: true,
});
