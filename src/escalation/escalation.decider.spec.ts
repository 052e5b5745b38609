import { EPISODE_ID, NOW, registered, reported, returned, riskAssessed } from '../child-case/child-case.fixtures';
import { type ChildStreamEvent, decideChildStream, evolveChildStream, initialChildStream } from '../child-stream/child-stream';
import { Refusal } from '../shared/refusal';
import type { ApplyRuleOutcome, EscalationCommand, OverdueWork, RaiseOverdueEscalation } from './escalation.commands';
import type { EscalationRaised, StrategyMeetingConvened } from './escalation.events';
import type { WindowFigures } from './policy/escalation-policy';

const figures: WindowFigures = {
  episodesInWindow: 3,
  windowDays: 30,
  windowStart: '2026-10-27T06:00:00.000Z',
  windowEnd: '2026-11-25T06:00:00.000Z',
  threshold: 3,
};

const crossed = (o: Partial<ApplyRuleOutcome> = {}): ApplyRuleOutcome => ({
  type: 'ApplyRuleOutcome',
  outcome: { rule: 'repeat-in-window', kind: 'crossed', tier: 1, figures },
  episodeId: EPISODE_ID,
  meetingId: 'meeting-1',
  escalationId: 'escalation-1',
  notify: ['senior-officer', 'lscb-lead'],
  agencies: ['police', 'childrens-social-care', 'health', 'education'],
  cause: 'event-1',
  now: NOW,
  ...o,
});

const overdue = (work: OverdueWork = { rule: 'review-overdue', episodeId: EPISODE_ID, reviewAnchor: null }): RaiseOverdueEscalation => ({
  type: 'RaiseOverdueEscalation',
  work,
  tier: 1,
  notify: ['supervisor'],
  escalationId: 'escalation-9',
  figures: {},
  cause: 'event-1',
  now: NOW,
});

const decideAfter = (history: ChildStreamEvent[], command: EscalationCommand) =>
  decideChildStream(command, history.reduce(evolveChildStream, initialChildStream()));

const types = (events: ChildStreamEvent[]) => events.map((event) => event.type);
const meetingFrom = (events: ChildStreamEvent[]) => events.find((e) => e.type === 'StrategyMeetingConvened') as StrategyMeetingConvened;

describe('escalation decider', () => {
  const child = registered({ profile: { localAuthority: 'Sheffield' } });

  it('convenes a strategy meeting with all four agencies and raises an escalation on a repeat crossing', () => {
    const events = decideAfter([child, reported()], crossed());
    expect(types(events)).toEqual(['StrategyMeetingConvened', 'EscalationRaised']);
    expect(meetingFrom(events)).toMatchObject({ agencies: ['police', 'childrens-social-care', 'health', 'education'], agenda: [EPISODE_ID] });
    expect(events[1]).toMatchObject({ rule: 'repeat-in-window', tier: 1, district: 'Sheffield', cause: 'event-1', figures });
  });

  it('adds a crossing episode to the agenda of an open meeting instead of convening another', () => {
    const history = [child, reported(), ...decideAfter([child, reported()], crossed()), returned(), reported({ episodeId: 'episode-2' })];
    const events = decideAfter(history, crossed({ episodeId: 'episode-2', meetingId: 'meeting-2', escalationId: 'escalation-2' }));
    expect(types(events)).toEqual(['EpisodeAddedToMeetingAgenda', 'EscalationRaised']);
    expect(events[0]).toMatchObject({ meetingId: 'meeting-1', episodeId: 'episode-2' });
  });

  it('puts a 4th episode on the open meeting agenda with no escalation, once', () => {
    const history = [child, reported(), ...decideAfter([child, reported()], crossed()), returned(), reported({ episodeId: 'episode-2' })];
    const agenda = crossed({ episodeId: 'episode-2', outcome: { rule: 'repeat-in-window', kind: 'agenda', figures } });
    const events = decideAfter(history, agenda);
    expect(types(events)).toEqual(['EpisodeAddedToMeetingAgenda']);
    expect(decideAfter([...history, ...events], agenda)).toEqual([]);
  });

  it('does nothing for an agenda outcome when no meeting is open', () => {
    expect(decideAfter([child, reported()], crossed({ outcome: { rule: 'repeat-in-window', kind: 'agenda', figures } }))).toEqual([]);
  });

  it('raises one escalation for a lifetime tier', () => {
    const outcome = { rule: 'lifetime' as const, kind: 'crossed' as const, tier: 2, figures: { lifetimeEpisodes: 20, threshold: 20 } };
    const events = decideAfter([child, reported()], crossed({ outcome }));
    expect(types(events)).toEqual(['EscalationRaised']);
    expect(events[0]).toMatchObject({ rule: 'lifetime', tier: 2 });
  });

  describe('a deadline re-checks the case when it fires', () => {
    it('escalates a review still overdue', () => {
      expect(types(decideAfter([child, reported()], overdue()))).toEqual(['EscalationRaised']);
    });

    it('does nothing when the episode was reviewed since the clock was set', () => {
      expect(decideAfter([child, reported(), riskAssessed({ assessedAt: NOW })], overdue())).toEqual([]);
    });

    it('escalates against the review it was set from, if no later one came', () => {
      const history = [child, reported(), riskAssessed({ assessedAt: NOW })];
      expect(types(decideAfter(history, overdue({ rule: 'review-overdue', episodeId: EPISODE_ID, reviewAnchor: NOW })))).toEqual(['EscalationRaised']);
    });

    it('does nothing once the child has returned', () => {
      expect(decideAfter([child, reported(), returned()], overdue())).toEqual([]);
      expect(decideAfter([child, reported(), returned()], overdue({ rule: 'long-missing', episodeId: EPISODE_ID }))).toEqual([]);
    });
  });

  describe('acknowledgement', () => {
    const raised = () => decideAfter([child, reported()], overdue());
    const acknowledge = { type: 'AcknowledgeEscalation' as const, escalationId: 'escalation-9', acknowledgedBy: 'insp-1', role: 'senior-officer', now: NOW };

    it('records who acknowledged', () => {
      expect(decideAfter([child, reported(), ...raised()], acknowledge)).toEqual([
        { type: 'EscalationAcknowledged', escalationId: 'escalation-9', acknowledgedBy: 'insp-1', role: 'senior-officer', acknowledgedAt: NOW },
      ]);
    });

    it('refuses a second acknowledgement and an unknown escalation', () => {
      const history = [child, reported(), ...raised()];
      const once = decideAfter(history, acknowledge);
      expect(() => decideAfter([...history, ...once], acknowledge)).toThrow(Refusal);
      expect(() => decideAfter(history, { ...acknowledge, escalationId: 'nope' })).toThrow('escalation nope does not exist');
    });

    it('climbs a tier when not acknowledged in time, and not once acknowledged', () => {
      const history = [child, reported(), ...raised()];
      const climb = { type: 'EscalateUnacknowledged' as const, escalationId: 'escalation-9', newEscalationId: 'escalation-10', tier: 2, now: NOW };
      const events = decideAfter(history, climb);
      expect(events).toHaveLength(1);
      expect(events[0] as EscalationRaised).toMatchObject({ rule: 'unacknowledged', tier: 2, escalates: 'escalation-9' });
      expect(decideAfter([...history, ...decideAfter(history, acknowledge)], climb)).toEqual([]);
    });
  });

  it('records each recipient told once, however often the delivery is reported', () => {
    const history = [child, reported(), ...decideAfter([child, reported()], overdue())];
    const delivered = {
      type: 'RecordEscalationNotified' as const,
      escalationId: 'escalation-9',
      recipient: { role: 'supervisor' as const, email: 'sgt@example.org' },
      messageId: '<m@x>',
      deliveredAt: NOW,
    };
    const first = decideAfter(history, delivered);
    expect(types(first)).toEqual(['EscalationNotified']);
    expect(decideAfter([...history, ...first], delivered)).toEqual([]);
  });
});
