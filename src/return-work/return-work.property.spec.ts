import * as fc from 'fast-check';
import { CHILD_ID, registered, reported, returned } from '../child-case/child-case.fixtures';
import { findEpisode } from '../child-case/child-case.state';
import type { ChildStreamCommand } from '../child-stream/child-stream';
import { decideEach } from '../child-stream/child-stream.given';
import { Refusal } from '../shared/refusal';
import { FINDINGS } from './return-work.fixtures';
import { returnWorkOf } from './return-work.state';

const START = Date.parse('2026-03-20T00:00:00Z');
const HOUR = 3_600_000;

interface Step {
  kind: 'report' | 'return' | 'cancel' | 'close' | 'check' | 'offer' | 'complete' | 'decline' | 'overdue';
  episode: number;
  hoursLater: number;
  /** How long before `now` the work was done; negative is in the future. */
  hoursAgo: number;
  blank: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  // Reports and returns weigh more, so that most sequences have returned episodes to work on.
  kind: fc.oneof(
    { arbitrary: fc.constantFrom<Step['kind'][]>('report', 'return'), weight: 3 },
    { arbitrary: fc.constantFrom<Step['kind'][]>('cancel', 'close', 'check', 'offer', 'complete', 'decline', 'overdue'), weight: 5 },
  ),
  episode: fc.integer({ min: 0, max: 2 }),
  hoursLater: fc.integer({ min: 0, max: 48 }),
  hoursAgo: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 4 }), weight: 4 }, { arbitrary: fc.integer({ min: -2, max: 60 }), weight: 1 }),
  blank: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
});

function commandFor(s: Step, now: number): ChildStreamCommand {
  const episodeId = `episode-${s.episode}`;
  const at = new Date(now).toISOString();
  const then = new Date(now - s.hoursAgo * HOUR).toISOString();
  const text = s.blank ? ' ' : 'seen and spoken to';
  switch (s.kind) {
    case 'report':
      return { type: 'ReportChildMissing', childId: CHILD_ID, episodeId, missingSince: then, district: 'Sheffield', now: at };
    case 'return':
      return { type: 'RecordReturn', episodeId, returnedAt: then, how: 'found', where: 'home', now: at };
    case 'cancel':
      return { type: 'CancelEpisode', episodeId, reason: 'duplicate', now: at };
    case 'close':
      return { type: 'CloseEpisode', episodeId, now: at };
    case 'check':
      return { type: 'RecordSafeAndWellCheck', episodeId, checkedBy: 'PC 1', checkedAt: then, childAccount: text, harmObserved: false, now: at };
    case 'offer':
      return { type: 'OfferReturnInterview', episodeId, offeredAt: then, offeredBy: text, now: at };
    case 'complete':
      return { type: 'CompleteReturnInterview', episodeId, completedAt: then, interviewer: 'J. Patel', findings: { ...FINDINGS, whereabouts: text }, now: at };
    case 'decline':
      return { type: 'DeclineReturnInterview', episodeId, declinedAt: then, declinedBy: 'child', reason: text, now: at };
    default:
      // As the deadline job does: one clock per return, so one escalation id per episode, redelivered at will.
      return {
        type: 'RaiseOverdueEscalation',
        work: { rule: 'return-interview-overdue', episodeId },
        tier: 1,
        notify: ['coordinator'],
        escalationId: `overdue-${episodeId}`,
        figures: {},
        cause: `returned-${episodeId}`,
        now: at,
      };
  }
}

function run(steps: Step[]) {
  let now = START;
  const commands = steps.map((s) => commandFor(s, (now += s.hoursLater * HOUR)));
  // One episode already back, so that every sequence has work to record; the others come and go at random.
  const back = [
    reported({ episodeId: 'episode-0', missingSince: new Date(START - 10 * HOUR).toISOString(), reportedAt: new Date(START - 9 * HOUR).toISOString() }),
    returned({ episodeId: 'episode-0', returnedAt: new Date(START - HOUR).toISOString() }),
  ];
  return decideEach([registered(), ...back], commands);
}

const TIME_OF = {
  SafeAndWellCheckRecorded: 'checkedAt',
  ReturnInterviewOffered: 'offeredAt',
  ReturnInterviewCompleted: 'completedAt',
  ReturnInterviewDeclined: 'declinedAt',
} as const;

/** Random reports, returns, cancellations, checks, interviews and redelivered deadlines, in any order. */
describe('return work invariants over random command sequences', () => {
  const sequences = fc.array(step, { minLength: 1, maxLength: 50 });

  it('records work only for a returned episode that is not cancelled, between the return and now', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(sequences, (steps) => {
        for (const { command, before, outcome } of run(steps).steps) {
          if (outcome instanceof Refusal) continue;
          for (const event of outcome) {
            if (!(event.type in TIME_OF)) continue;
            seen.add(event.type);
            const episode = findEpisode(before.childCase, (event as { episodeId: string }).episodeId)!;
            expect(episode.returnedAt).not.toBeNull();
            expect(episode.status).not.toBe('cancelled');
            const at = Date.parse((event as unknown as Record<string, string>)[TIME_OF[event.type as keyof typeof TIME_OF]]);
            expect(at).toBeGreaterThanOrEqual(Date.parse(episode.returnedAt!));
            expect(at).toBeLessThanOrEqual(Date.parse((command as { now: string }).now));
          }
        }
      }),
      { numRuns: 400 },
    );
    // The generator reaches every kind of work, so the property is not true for want of examples.
    expect([...seen].sort()).toEqual(Object.keys(TIME_OF).sort());
  });

  it('checks once, completes once, takes nothing after a completion, and never declines twice running', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        const { events, state } = run(steps);
        const byEpisode = new Map<string, string[]>();
        for (const event of events) {
          if (!(event.type in TIME_OF)) continue;
          const id = (event as { episodeId: string }).episodeId;
          byEpisode.set(id, [...(byEpisode.get(id) ?? []), event.type]);
        }
        for (const [episodeId, types] of byEpisode) {
          const interview = types.filter((t) => t !== 'SafeAndWellCheckRecorded');
          expect(types.filter((t) => t === 'SafeAndWellCheckRecorded').length).toBeLessThanOrEqual(1);
          const completed = interview.indexOf('ReturnInterviewCompleted');
          if (completed >= 0) expect(completed).toBe(interview.length - 1);
          interview.forEach((t, i) => {
            if (t === 'ReturnInterviewDeclined') expect(interview[i - 1]).not.toBe('ReturnInterviewDeclined');
          });
          // The state says what the last interview event said.
          const last = interview.at(-1);
          const expected = { ReturnInterviewOffered: 'offered', ReturnInterviewCompleted: 'completed', ReturnInterviewDeclined: 'declined' };
          expect(returnWorkOf(state.returnWork, episodeId).interview).toBe(last ? expected[last as keyof typeof expected] : 'none');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('escalates an overdue interview at most once per episode, and only while it is owed', () => {
    let raised = 0;
    fc.assert(
      fc.property(sequences, (steps) => {
        const perEpisode = new Map<string, number>();
        for (const { before, outcome } of run(steps).steps) {
          if (outcome instanceof Refusal) continue;
          for (const event of outcome) {
            if (event.type !== 'EscalationRaised') continue;
            raised++;
            const episode = findEpisode(before.childCase, event.episodeId!)!;
            expect(episode.returnedAt).not.toBeNull();
            expect(episode.status).not.toBe('cancelled');
            expect(['none', 'offered']).toContain(returnWorkOf(before.returnWork, event.episodeId!).interview);
            perEpisode.set(event.episodeId!, (perEpisode.get(event.episodeId!) ?? 0) + 1);
          }
        }
        for (const count of perEpisode.values()) expect(count).toBe(1);
      }),
      { numRuns: 400 },
    );
    expect(raised).toBeGreaterThan(0);
  });
});
