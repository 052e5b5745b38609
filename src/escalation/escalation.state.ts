import type { ChildStreamEvent } from '../child-stream/child-stream';
import type { RuleName } from './policy/escalation-policy';

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
  /** A safeguarding plan is open (at most one is): repeat-without-plan stays quiet while it is. */
  readonly activePlan: boolean;
}

export const initialSafeguarding = (): Safeguarding => ({
  meetings: {},
  openMeetingId: null,
  escalations: {},
  lastReviewAt: {},
  activePlan: false,
});

/** Follows the machine's own events, and the casework facts its rules read (reviews, meetings, plans). */
export function evolveSafeguarding(state: Safeguarding, event: ChildStreamEvent): Safeguarding {
  switch (event.type) {
    case 'RiskAssessed':
      return { ...state, lastReviewAt: { ...state.lastReviewAt, [event.episodeId]: event.assessedAt } };
    case 'StrategyMeetingConvened':
      return {
        ...state,
        openMeetingId: event.meetingId,
        meetings: { ...state.meetings, [event.meetingId]: { meetingId: event.meetingId, status: 'open', agenda: event.agenda } },
      };
    case 'StrategyMeetingCalled':
      return {
        ...state,
        openMeetingId: event.meetingId,
        meetings: { ...state.meetings, [event.meetingId]: { meetingId: event.meetingId, status: 'open', agenda: [] } },
      };
    case 'StrategyMeetingClosed': {
      // Once closed, a later repeat crossing convenes a new meeting instead of joining this agenda.
      const meeting = state.meetings[event.meetingId];
      const meetings = meeting ? { ...state.meetings, [event.meetingId]: { ...meeting, status: 'closed' as const } } : state.meetings;
      return { ...state, meetings, openMeetingId: state.openMeetingId === event.meetingId ? null : state.openMeetingId };
    }
    case 'SafeguardingPlanCreated':
      return { ...state, activePlan: true };
    case 'SafeguardingPlanClosed':
      return { ...state, activePlan: false };
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
