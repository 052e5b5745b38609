import * as fc from 'fast-check';
import { CHILD_ID, registered } from '../child-case/child-case.fixtures';
import type { ChildStreamCommand } from '../child-stream/child-stream';
import { decideEach } from '../child-stream/child-stream.given';
import { Refusal } from '../shared/refusal';
import { findNotice } from './warning-notice.state';

const START = Date.parse('2026-11-01T12:00:00Z');
const HOUR = 3_600_000;

interface Step {
  kind: 'recommend' | 'serve' | 'overdue';
  notice: number;
  hoursLater: number;
  /** How long before `now` it was done; negative is in the future. */
  hoursAgo: number;
  blank: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<Step['kind'][]>('recommend', 'serve', 'overdue'),
  notice: fc.integer({ min: 0, max: 3 }),
  hoursLater: fc.integer({ min: 0, max: 24 * 5 }),
  hoursAgo: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 6 }), weight: 3 }, { arbitrary: fc.integer({ min: -3, max: 24 * 10 }), weight: 1 }),
  blank: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
});

function commandFor(s: Step, now: number): ChildStreamCommand {
  const noticeId = `notice-${s.notice}`;
  const at = new Date(now).toISOString();
  const then = new Date(now - s.hoursAgo * HOUR).toISOString();
  switch (s.kind) {
    case 'recommend':
      return { type: 'RecommendWarningNotice', noticeId, childId: CHILD_ID, against: s.blank ? '' : 'adult-7', recommendedBy: 'DS Hart', recommendedAt: then, now: at };
    case 'serve':
      return { type: 'ServeWarningNotice', noticeId, servedBy: s.blank ? ' ' : 'PC 12', servedAt: then, now: at };
    default:
      // As the deadline job does: one clock per recommendation, so one escalation id per notice, redelivered at will.
      return {
        type: 'RaiseOverdueEscalation',
        work: { rule: 'cawn-not-served', noticeId },
        tier: 1,
        notify: ['senior-officer'],
        escalationId: `overdue-${noticeId}`,
        figures: {},
        cause: `recommended-${noticeId}`,
        now: at,
      };
  }
}

function run(steps: Step[]) {
  let now = START;
  return decideEach([registered()], steps.map((s) => commandFor(s, (now += s.hoursLater * HOUR))));
}

/** Random recommendations, services and redelivered deadlines, on a few notice ids so that they collide. */
describe('warning notice invariants over random command sequences', () => {
  const sequences = fc.array(step, { minLength: 1, maxLength: 30, size: 'medium' });

  it('recommends each notice once, serves it at most once and never before the recommendation or after now', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(sequences, (steps) => {
        const recommendedAt = new Map<string, number>();
        const served = new Set<string>();
        for (const { command, outcome } of run(steps).steps) {
          if (outcome instanceof Refusal) continue;
          const now = Date.parse((command as { now: string }).now);
          for (const event of outcome) {
            seen.add(event.type);
            if (event.type === 'WarningNoticeRecommended') {
              expect(recommendedAt.has(event.noticeId)).toBe(false);
              expect(Date.parse(event.recommendedAt)).toBeLessThanOrEqual(now);
              recommendedAt.set(event.noticeId, Date.parse(event.recommendedAt));
            }
            if (event.type === 'WarningNoticeServed') {
              expect(recommendedAt.has(event.noticeId)).toBe(true);
              expect(served.has(event.noticeId)).toBe(false);
              expect(Date.parse(event.servedAt)).toBeGreaterThanOrEqual(recommendedAt.get(event.noticeId)!);
              expect(Date.parse(event.servedAt)).toBeLessThanOrEqual(now);
              served.add(event.noticeId);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
    expect([...seen].sort()).toEqual(['EscalationRaised', 'WarningNoticeRecommended', 'WarningNoticeServed']);
  });

  it('escalates a notice not served at most once, and never once it is served', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        const escalated = new Set<string>();
        for (const { command, before, outcome } of run(steps).steps) {
          if (command.type !== 'RaiseOverdueEscalation' || outcome instanceof Refusal || outcome.length === 0) continue;
          const { noticeId } = command.work as { noticeId: string };
          expect(findNotice(before.notices, noticeId)?.servedAt).toBeNull();
          expect(escalated.has(noticeId)).toBe(false);
          escalated.add(noticeId);
        }
      }),
      { numRuns: 200 },
    );
  });
});
