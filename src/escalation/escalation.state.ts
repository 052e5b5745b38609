import type { ChildCaseEvent } from '../child-case/child-case.events';
import type { RuleName } from './policy/escalation-policy';
import type { EscalationEvent } from './escalation.events';

export interface MeetingState {
  readonly meetingId: string;
  readonly status: 'open' | 'closed';
  readonly agenda: readonly string[];
}

export interface EscalationState {
  readonly escalationId: string;
  readonly rule: RuleName;
  readonly tier: number;
  readonly district: string;
  readonly episodeId: string | null;
  readonly raisedAt: string;
  readonly acknowledged: boolean;
  /** E-mail addresses already told, so a redelivered job records nothing twice. */
  readonly notified: readonly string[];
}

/** What the machine has done about a child, and what it needs to decide the next step. */
export interface Safeguarding {
  readonly meetings: Readonly<Record<string, MeetingState>>;
  readonly openMeetingId: string | null;
  readonly escalations: Readonly<Record<string, EscalationState>>;
  /** The last risk review (a RiskAssessed) of each episode: the review clock runs from it. */
  readonly lastReviewAt: Readonly<Record<string, string>>;
  /** Safeguarding plans arrive with the casework slice; until then no child has one. */
  readonly activePlan: boolean;
}

export const initialSafeguarding = (): Safeguarding => ({
  meetings: {},
  openMeetingId: null,
  escalations: {},
  lastReviewAt: {},
  activePlan: false,
});

export function evolveSafeguarding(state: Safeguarding, event: EscalationEvent | ChildCaseEvent): Safeguarding {
  switch (event.type) {
    case 'RiskAssessed':
      return { ...state, lastReviewAt: { ...state.lastReviewAt, [event.episodeId]: event.assessedAt } };
    case 'StrategyMeetingConvened':
      return {
        ...state,
        openMeetingId: event.meetingId,
        meetings: { ...state.meetings, [event.meetingId]: { meetingId: event.meetingId, status: 'open', agenda: event.agenda } },
      };
    case 'EpisodeAddedToMeetingAgenda': {
      const meeting = state.meetings[event.meetingId];
      if (!meeting) return state;
      const agenda = [...meeting.agenda, event.episodeId];
      return { ...state, meetings: { ...state.meetings, [event.meetingId]: { ...meeting, agenda } } };
    }
    case 'EscalationRaised':
      return {
        ...state,
        escalations: {
          ...state.escalations,
          [event.escalationId]: {
            escalationId: event.escalationId,
            rule: event.rule,
            tier: event.tier,
            district: event.district,
            episodeId: event.episodeId,
            raisedAt: event.raisedAt,
            acknowledged: false,
            notified: [],
          },
        },
      };
    case 'EscalationNotified':
      return updateEscalation(state, event.escalationId, (e) => ({ ...e, notified: [...e.notified, event.recipient.email] }));
    case 'EscalationAcknowledged':
      return updateEscalation(state, event.escalationId, (e) => ({ ...e, acknowledged: true }));
    default:
      return state;
  }
}

export const findEscalation = (state: Safeguarding, escalationId: string): EscalationState | undefined =>
  Object.hasOwn(state.escalations, escalationId) ? state.escalations[escalationId] : undefined;

function updateEscalation(state: Safeguarding, id: string, change: (e: EscalationState) => EscalationState): Safeguarding {
  const escalation = findEscalation(state, id);
  return escalation ? { ...state, escalations: { ...state.escalations, [id]: change(escalation) } } : state;
}
