import * as fc from 'fast-check';
import { CHILD_ID, registered } from '../child-case/child-case.fixtures';
import { type ChildStreamCommand, type ChildStreamEvent, decideChildStream, evolveChildStream, initialChildStream } from '../child-stream/child-stream';
import { decideEach } from '../child-stream/child-stream.given';
import { ukDateOf } from '../shared/calendar';
import { Refusal } from '../shared/refusal';

// Late March: the UK clocks go forward on the 29th, so UK dates and UTC dates part at midnight.
const START = Date.parse('2026-03-26T20:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Step {
  kind: 'create' | 'add' | 'complete' | 'review' | 'close';
  plan: number;
  action: number;
  hoursLater: number;
  /** Days from today's UTC date to the due or review date; negative is in the past. */
  days: number;
  blank: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.oneof(
    { arbitrary: fc.constantFrom<Step['kind'][]>('add', 'complete'), weight: 3 },
    { arbitrary: fc.constantFrom<Step['kind'][]>('create', 'review', 'close'), weight: 2 },
  ),
  plan: fc.integer({ min: 0, max: 2 }),
  action: fc.integer({ min: 0, max: 2 }),
  hoursLater: fc.integer({ min: 0, max: 30 }),
  days: fc.integer({ min: -2, max: 10 }),
  blank: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
});

function commandFor(s: Step, now: number): ChildStreamCommand {
  const planId = `plan-${s.plan}`;
  const actionId = `action-${s.action}`;
  const at = new Date(now).toISOString();
  const date = new Date(now + s.days * DAY).toISOString().slice(0, 10);
  const text = s.blank ? '' : 'agreed at the review';
  switch (s.kind) {
    case 'create':
      return { type: 'CreateSafeguardingPlan', planId, childId: CHILD_ID, createdBy: 'sw-1', concerns: text, now: at };
    case 'add':
      return { type: 'AddPlanAction', planId, actionId, what: text, owner: 'sw-1', agency: 'social care', dueDate: date, now: at };
    case 'complete':
      return { type: 'CompletePlanAction', planId, actionId, completedBy: 'sw-1', now: at };
    case 'review':
      return { type: 'ReviewSafeguardingPlan', planId, reviewId: `review-${now}`, reviewedBy: 'sw-2', summary: text, nextReviewDate: date, now: at };
    default:
      return { type: 'CloseSafeguardingPlan', planId, closedBy: 'sw-1', reason: text, now: at };
  }
}

function run(steps: Step[]) {
  let now = START;
  // plan-0 is open from the start, so that every sequence has a plan to work on.
  const created = commandFor({ kind: 'create', plan: 0, action: 0, hoursLater: 0, days: 0, blank: false }, START - HOUR);
  return decideEach([registered(), ...decideChildStream(created, evolveChildStream(initialChildStream(), registered()))], steps.map((s) => commandFor(s, (now += s.hoursLater * HOUR))));
}

const planOf = (event: ChildStreamEvent): string | null => (event.type.startsWith('SafeguardingPlan') ? (event as { planId: string }).planId : null);

/** Random plans, actions, completions, reviews and closings, on a few ids so that they collide. */
describe('safeguarding plan invariants over random command sequences', () => {
  const sequences = fc.array(step, { minLength: 1, maxLength: 40 });

  it('has at most one open plan, which the escalation rules see as the active plan', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        for (const { after } of run(steps).steps) {
          const open = Object.values(after.plans.byId).filter((plan) => plan.status === 'open');
          expect(open.length).toBeLessThanOrEqual(1);
          expect(after.plans.openPlanId).toBe(open[0]?.planId ?? null);
          expect(after.safeguarding.activePlan).toBe(open.length === 1);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('creates each plan once, and a closed plan takes nothing more', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        const created = new Set<string>();
        const closed = new Set<string>();
        for (const event of run(steps).events) {
          const planId = planOf(event);
          if (planId === null) continue;
          expect(closed.has(planId)).toBe(false);
          if (event.type === 'SafeguardingPlanCreated') {
            expect(created.has(planId)).toBe(false);
            created.add(planId);
          } else {
            expect(created.has(planId)).toBe(true);
          }
          if (event.type === 'SafeguardingPlanClosed') closed.add(planId);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('completes only an action the plan has, at most once, and never dates one before the plan', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(sequences, (steps) => {
        const { steps: decided, events } = run(steps);
        const createdAt = new Map<string, string>();
        const actions = new Map<string, 'open' | 'completed'>();
        for (const event of events) {
          if (event.type === 'SafeguardingPlanCreated') createdAt.set(event.planId, event.createdAt);
          if (event.type === 'SafeguardingPlanActionAdded') {
            const key = `${event.planId}/${event.actionId}`;
            expect(actions.has(key)).toBe(false);
            expect(event.dueDate >= ukDateOf(createdAt.get(event.planId)!)).toBe(true);
            actions.set(key, 'open');
          }
          if (event.type === 'SafeguardingPlanActionCompleted') {
            const key = `${event.planId}/${event.actionId}`;
            expect(actions.get(key)).toBe('open');
            actions.set(key, 'completed');
          }
        }
        for (const { command, outcome } of decided) {
          if (outcome instanceof Refusal) continue;
          for (const event of outcome) {
            seen.add(event.type);
            if (event.type === 'SafeguardingPlanReviewed' && event.nextReviewDate !== undefined) {
              expect(event.nextReviewDate >= ukDateOf((command as { now: string }).now)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 400 },
    );
    expect([...seen].sort()).toEqual([
      'SafeguardingPlanActionAdded',
      'SafeguardingPlanActionCompleted',
      'SafeguardingPlanClosed',
      'SafeguardingPlanCreated',
      'SafeguardingPlanReviewed',
    ]);
  });
});
