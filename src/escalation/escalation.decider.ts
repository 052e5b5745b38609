import type { ChildStream, ChildStreamEvent } from '../child-stream/child-stream';
import { findEpisode } from '../child-case/child-case.state';
import { assertNever, refuse, refuseNotFound } from '../shared/refusal';
import type {
  AcknowledgeEscalation,
  ApplyRuleOutcome,
  EscalateUnacknowledged,
  EscalationCommand,
  RaiseOverdueEscalation,
  RecordEscalationNotified,
} from './escalation.commands';
import type { EscalationRaised } from './escalation.events';
import { findEscalation } from './escalation.state';
import { episodeOfWork, stillOverdue } from './overdue-work';

/** What the machine does about a child: meetings and escalations, each decided on the current state. */
export function decideEscalation(command: EscalationCommand, state: ChildStream): ChildStreamEvent[] {
  switch (command.type) {
    case 'ApplyRuleOutcome':
      return applyRuleOutcome(command, state);
    case 'RaiseOverdueEscalation':
      return raiseOverdueEscalation(command, state);
    case 'EscalateUnacknowledged':
      return escalateUnacknowledged(command, state);
    case 'RecordEscalationNotified':
      return recordNotified(command, state);
    case 'AcknowledgeEscalation':
      return acknowledge(command, state);
    default:
      return assertNever(command);
  }
}

function applyRuleOutcome(command: ApplyRuleOutcome, state: ChildStream): ChildStreamEvent[] {
  const { outcome } = command;
  const openMeetingId = state.safeguarding.openMeetingId;
  const agendaAdd = (meetingId: string): ChildStreamEvent[] =>
    state.safeguarding.meetings[meetingId]?.agenda.includes(command.episodeId)
      ? []
      : [{ type: 'EpisodeAddedToMeetingAgenda', meetingId, episodeId: command.episodeId, cause: command.cause, addedAt: command.now }];

  if (outcome.kind === 'agenda') return openMeetingId ? agendaAdd(openMeetingId) : [];
  // Raised already (a replayed trigger): raising it again would reset it.
  if (findEscalation(state.safeguarding, command.escalationId)) return [];
  const escalation = raised(state, {
    escalationId: command.escalationId,
    rule: outcome.rule,
    tier: outcome.tier,
    notify: command.notify,
    episodeId: command.episodeId,
    figures: outcome.figures as unknown as Record<string, unknown>,
    cause: command.cause,
    escalates: null,
    raisedAt: command.now,
  });
  if (outcome.rule !== 'repeat-in-window') return [escalation];
  // DOMAIN: with a strategy meeting already open, the episode joins its agenda; no second meeting.
  if (openMeetingId) return [...agendaAdd(openMeetingId), escalation];
  const agenda = episodesInWindow(state, outcome.figures.windowStart, outcome.figures.windowEnd);
  return [
    {
      type: 'StrategyMeetingConvened',
      meetingId: command.meetingId,
      childId: state.childCase.childId ?? '',
      rule: outcome.rule,
      agencies: command.agencies,
      agenda: agenda.includes(command.episodeId) ? agenda : [...agenda, command.episodeId],
      figures: outcome.figures as unknown as Record<string, unknown>,
      cause: command.cause,
      convenedAt: command.now,
    },
    escalation,
  ];
}

function raiseOverdueEscalation(command: RaiseOverdueEscalation, state: ChildStream): ChildStreamEvent[] {
  // Raised already (a redelivered deadline, a replayed trigger): raising it again would reset it.
  if (findEscalation(state.safeguarding, command.escalationId)) return [];
  // The deadline re-checks the case when it fires: work done in time fires nothing.
  if (!stillOverdue(command.work, state)) return [];
  return [
    raised(state, {
      escalationId: command.escalationId,
      rule: command.work.rule,
      tier: command.tier,
      notify: command.notify,
      episodeId: episodeOfWork(command.work),
      figures: command.figures,
      cause: command.cause,
      escalates: null,
      raisedAt: command.now,
    }),
  ];
}

function escalateUnacknowledged(command: EscalateUnacknowledged, state: ChildStream): ChildStreamEvent[] {
  // Raised already (a redelivered deadline, a replayed trigger): raising it again would reset it.
  if (findEscalation(state.safeguarding, command.newEscalationId)) return [];
  const escalation = findEscalation(state.safeguarding, command.escalationId);
  if (!escalation || escalation.acknowledged) return [];
  return [
    raised(state, {
      escalationId: command.newEscalationId,
      rule: 'unacknowledged',
      tier: command.tier,
      notify: ['senior-officer'],
      episodeId: escalation.episodeId,
      figures: { unacknowledgedRule: escalation.rule, unacknowledgedTier: escalation.tier, raisedAt: escalation.raisedAt },
      cause: command.escalationId,
      escalates: command.escalationId,
      raisedAt: command.now,
    }),
  ];
}

function recordNotified(command: RecordEscalationNotified, state: ChildStream): ChildStreamEvent[] {
  const escalation = findEscalation(state.safeguarding, command.escalationId);
  if (!escalation) throw refuseNotFound(`escalation ${command.escalationId} does not exist`);
  if (escalation.notified.includes(command.recipient.email)) return [];
  const { type: _type, ...delivery } = command;
  return [{ type: 'EscalationNotified', ...delivery }];
}

function acknowledge(command: AcknowledgeEscalation, state: ChildStream): ChildStreamEvent[] {
  const escalation = findEscalation(state.safeguarding, command.escalationId);
  if (!escalation) throw refuseNotFound(`escalation ${command.escalationId} does not exist`);
  if (escalation.acknowledged) throw refuse(`escalation ${command.escalationId} is already acknowledged`);
  return [
    {
      type: 'EscalationAcknowledged',
      escalationId: command.escalationId,
      acknowledgedBy: command.acknowledgedBy,
      role: command.role,
      ...(command.note ? { note: command.note } : {}),
      acknowledgedAt: command.now,
    },
  ];
}

/** An escalation about the child, addressed to the child's local authority (the episode's district if none is recorded). */
export function raised(state: ChildStream, escalation: Omit<EscalationRaised, 'type' | 'childId' | 'district'>): EscalationRaised {
  // DOMAIN: the LSCB lead told is the one of the child's local authority, wherever the episode was reported.
  const episode = escalation.episodeId ? findEpisode(state.childCase, escalation.episodeId) : undefined;
  const district = state.childCase.profile?.localAuthority ?? episode?.district ?? 'unknown';
  return { type: 'EscalationRaised', childId: state.childCase.childId ?? '', district, ...escalation };
}

function episodesInWindow(state: ChildStream, start: string, end: string): string[] {
  const [from, to] = [Date.parse(start), Date.parse(end)];
  return Object.values(state.childCase.episodes)
    .filter((e) => e.status !== 'cancelled')
    .filter((e) => Date.parse(e.missingSince) >= from && Date.parse(e.missingSince) <= to)
    .sort((a, b) => Date.parse(a.missingSince) - Date.parse(b.missingSince))
    .map((e) => e.episodeId);
}
