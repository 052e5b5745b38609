import * as fc from 'fast-check';
import { CHILD_ID, registered } from '../child-case/child-case.fixtures';
import { type ChildStreamCommand, type ChildStreamEvent, decideChildStream, evolveChildStream, initialChildStream } from '../child-stream/child-stream';
import { decideEach } from '../child-stream/child-stream.given';
import { ukDateOf } from '../shared/calendar';
import { Refusal } from '../shared/refusal';
import { findMeeting } from './strategy-meeting.state';

// Late October: the UK clocks go back on the 25th, so UK dates and UTC dates part at 23:00.
const START = Date.parse('2026-10-22T18:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Step {
  kind: 'call' | 'convene' | 'held' | 'decide' | 'agree' | 'complete' | 'outcome' | 'close' | 'overdue';
  meeting: number;
  action: number;
  hoursLater: number;
  /** How long before `now` the meeting was held; negative is in the future. */
  hoursAgo: number;
  /** Days from today's UTC date to the due or review date; negative is in the past. */
  days: number;
  blank: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.oneof(
    { arbitrary: fc.constantFrom<Step['kind'][]>('held', 'agree', 'complete', 'outcome', 'close'), weight: 4 },
    { arbitrary: fc.constantFrom<Step['kind'][]>('call', 'convene', 'decide', 'overdue'), weight: 2 },
  ),
  meeting: fc.integer({ min: 0, max: 2 }),
  action: fc.integer({ min: 0, max: 1 }),
  hoursLater: fc.integer({ min: 0, max: 30 }),
  hoursAgo: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 3 }), weight: 4 }, { arbitrary: fc.integer({ min: -2, max: 48 }), weight: 1 }),
  days: fc.integer({ min: -2, max: 10 }),
  blank: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
});

function commandFor(s: Step, now: number, index: number): ChildStreamCommand {
  const meetingId = `meeting-${s.meeting}`;
  const actionId = `action-${s.action}`;
  const at = new Date(now).toISOString();
  const date = new Date(now + s.days * DAY).toISOString().slice(0, 10);
  const text = s.blank ? ' ' : 'agreed by all agencies';
  switch (s.kind) {
    case 'call':
      return { type: 'CallStrategyMeeting', meetingId, childId: CHILD_ID, reason: text, agencies: ['police'], calledBy: 'coordinator-1', now: at };
    case 'convene': {
      // The policy's ids derive from the triggering event, so each convening has ids of its own.
      const figures = { episodesInWindow: 3, windowDays: 30, windowStart: new Date(now - 30 * DAY).toISOString(), windowEnd: at, threshold: 3 };
      return {
        type: 'ApplyRuleOutcome',
        outcome: { rule: 'repeat-in-window', kind: 'crossed', tier: 1, figures },
        episodeId: `episode-${index}`,
        meetingId: `convened-${index}`,
        escalationId: `repeat-${index}`,
        notify: ['senior-officer'],
        agencies: ['police', 'health'],
        cause: `trigger-${index}`,
        now: at,
      };
    }
    case 'held': {
      const heldAt = new Date(now - s.hoursAgo * HOUR).toISOString();
      return { type: 'RecordMeetingHeld', meetingId, heldAt, attendees: [{ name: 'DS Hart', agency: 'police' }], absentees: [], now: at };
    }
    case 'decide':
      return { type: 'RecordMeetingDecision', meetingId, decisionId: `decision-${index}`, decision: text, now: at };
    case 'agree':
      return { type: 'AgreeMeetingAction', meetingId, actionId, what: text, owner: 'DS Hart', agency: 'police', dueDate: date, now: at };
    case 'complete':
      return { type: 'CompleteMeetingAction', meetingId, actionId, completedBy: 'DS Hart', now: at };
    case 'outcome':
      return { type: 'RecordMeetingOutcome', meetingId, outcome: text, nextReviewDate: s.days > 5 ? undefined : date, now: at };
    case 'close':
      return { type: 'CloseStrategyMeeting', meetingId, closedBy: 'coordinator-1', now: at };
    default:
      // As the deadline job does: one clock per agreed action, so one escalation id per action, redelivered at will.
      return {
        type: 'RaiseOverdueEscalation',
        work: { rule: 'meeting-action-overdue', meetingId, actionId },
        tier: 1,
        notify: ['senior-officer'],
        escalationId: `overdue-${meetingId}-${actionId}`,
        figures: {},
        cause: `agreed-${meetingId}-${actionId}`,
        now: at,
      };
  }
}

/** No meeting yet, meeting-0 called, or called and held with one action agreed: each part of the record gets its turn. */
const OPENING: Step[] = [
  { kind: 'call', meeting: 0, action: 0, hoursLater: 0, hoursAgo: 0, days: 0, blank: false },
  { kind: 'held', meeting: 0, action: 0, hoursLater: 0, hoursAgo: 0, days: 0, blank: false },
  { kind: 'agree', meeting: 0, action: 0, hoursLater: 0, hoursAgo: 0, days: 1, blank: false },
];

function run([opened, steps]: [number, Step[]]) {
  let now = START;
  const opening = OPENING.slice(0, opened);
  const history = opening.reduce<ChildStreamEvent[]>((events, s, i) => {
    const state = events.reduce(evolveChildStream, initialChildStream());
    return [...events, ...decideChildStream(commandFor(s, START - (3 - i) * HOUR, -1 - i), state)];
  }, [registered()]);
  return decideEach(history, steps.map((s, i) => commandFor(s, (now += s.hoursLater * HOUR), i)));
}

const meetingOf = (event: ChildStreamEvent): string | null => ('meetingId' in event && event.type !== 'EpisodeAddedToMeetingAgenda' ? event.meetingId : null);

/** Random meetings called and convened, their record in any order, and redelivered action deadlines. */
describe('strategy meeting invariants over random command sequences', () => {
  const sequences = fc.tuple(fc.constantFrom(0, 1, 3), fc.array(step, { minLength: 5, maxLength: 40, size: 'large' }));

  it('has at most one open meeting, the same one the escalation rules see', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        for (const { after } of run(steps).steps) {
          const open = Object.values(after.meetings.byId).filter((meeting) => meeting.status === 'open');
          expect(open.length).toBeLessThanOrEqual(1);
          expect(after.safeguarding.openMeetingId).toBe(open[0]?.meetingId ?? null);
          for (const meeting of Object.values(after.safeguarding.meetings)) {
            expect(findMeeting(after.meetings, meeting.meetingId)?.status).toBe(meeting.status);
          }
        }
      }),
      { numRuns: 120 },
    );
  });

  it('keeps each record in order: opened once, held once, then decisions, actions and one outcome, closed last and only when done', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(sequences, (steps) => {
        const { events, accepted } = run(steps);
        accepted.forEach((event) => seen.add(event.type));
        const record = new Map<string, { held: boolean; outcome: boolean; closed: boolean; actions: Map<string, boolean> }>();
        for (const event of events) {
          const meetingId = meetingOf(event);
          if (meetingId === null) continue;
          const meeting = record.get(meetingId);
          if (event.type === 'StrategyMeetingCalled' || event.type === 'StrategyMeetingConvened') {
            expect(meeting).toBeUndefined();
            record.set(meetingId, { held: false, outcome: false, closed: false, actions: new Map() });
            continue;
          }
          if (event.type === 'EscalationRaised') continue;
          expect(meeting).toBeDefined();
          expect(meeting!.closed).toBe(false);
          switch (event.type) {
            case 'StrategyMeetingHeld':
              expect(meeting!.held).toBe(false);
              meeting!.held = true;
              break;
            case 'MeetingDecisionRecorded':
              expect(meeting!.held).toBe(true);
              break;
            case 'MeetingActionAgreed':
              expect(meeting!.held).toBe(true);
              expect(meeting!.actions.has(event.actionId)).toBe(false);
              meeting!.actions.set(event.actionId, false);
              break;
            case 'MeetingActionCompleted':
              expect(meeting!.actions.get(event.actionId)).toBe(false);
              meeting!.actions.set(event.actionId, true);
              break;
            case 'MeetingOutcomeRecorded':
              expect(meeting!.held).toBe(true);
              expect(meeting!.outcome).toBe(false);
              meeting!.outcome = true;
              break;
            case 'StrategyMeetingClosed':
              expect(meeting!.outcome).toBe(true);
              expect([...meeting!.actions.values()].every(Boolean)).toBe(true);
              meeting!.closed = true;
              break;
            default:
              throw new Error(`unexpected ${event.type}`);
          }
        }
      }),
      { numRuns: 120 },
    );
    expect([...seen].filter((type) => !type.startsWith('Escalation') && type !== 'EpisodeAddedToMeetingAgenda').sort()).toEqual([
      'MeetingActionAgreed',
      'MeetingActionCompleted',
      'MeetingDecisionRecorded',
      'MeetingOutcomeRecorded',
      'StrategyMeetingCalled',
      'StrategyMeetingClosed',
      'StrategyMeetingConvened',
      'StrategyMeetingHeld',
    ]);
  });

  it('holds a meeting between its convening and now, and dates nothing before the meeting or in the past', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        for (const { command, before, outcome } of run(steps).steps) {
          if (outcome instanceof Refusal) continue;
          const today = ukDateOf((command as { now: string }).now);
          for (const event of outcome) {
            if (event.type === 'StrategyMeetingHeld') {
              expect(Date.parse(event.heldAt)).toBeGreaterThanOrEqual(Date.parse(findMeeting(before.meetings, event.meetingId)!.convenedAt));
              expect(Date.parse(event.heldAt)).toBeLessThanOrEqual(Date.parse((command as { now: string }).now));
            }
            if (event.type === 'MeetingActionAgreed') {
              expect(event.dueDate >= ukDateOf(findMeeting(before.meetings, event.meetingId)!.heldAt!)).toBe(true);
            }
            if (event.type === 'MeetingOutcomeRecorded' && event.nextReviewDate !== undefined) expect(event.nextReviewDate >= today).toBe(true);
          }
        }
      }),
      { numRuns: 120 },
    );
  });

  it('escalates an overdue action at most once, and only while it is agreed and not completed', () => {
    let raised = 0;
    fc.assert(
      fc.property(sequences, (steps) => {
        const escalated = new Set<string>();
        for (const { command, before, outcome } of run(steps).steps) {
          if (command.type !== 'RaiseOverdueEscalation' || outcome instanceof Refusal || outcome.length === 0) continue;
          raised++;
          const work = command.work as { meetingId: string; actionId: string };
          expect(findMeeting(before.meetings, work.meetingId)?.actions[work.actionId]?.completed).toBe(false);
          const key = `${work.meetingId}/${work.actionId}`;
          expect(escalated.has(key)).toBe(false);
          escalated.add(key);
        }
      }),
      { numRuns: 120 },
    );
    expect(raised).toBeGreaterThan(0);
  });
});
