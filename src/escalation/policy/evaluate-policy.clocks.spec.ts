import type { RiskGrade } from '../../child-case/child-case.events';
import type { RuleOutcome } from './escalation-policy';
import { POLICY } from './escalation-policy.fixtures';
import {
  acknowledgementDeadline,
  evaluateRiskGrading,
  longMissingDeadline,
  nextTier,
  reviewDeadlines,
} from './evaluate-policy';
import type { ReviewClock } from './evaluate-policy';

const MISSING_SINCE = '2026-11-25T06:00:00.000Z';
const HOUR = 60 * 60 * 1000;
const hoursAfter = (iso: string, hours: number): string => new Date(Date.parse(iso) + hours * HOUR).toISOString();

const highRisk = (previousGrade: RiskGrade | null): RuleOutcome => ({
  rule: 'high-risk',
  kind: 'crossed',
  tier: 1,
  figures: { grade: 'high', previousGrade },
});

describe('high risk: an episode graded high', () => {
  it.each<RiskGrade | null>([null, 'medium', 'low', 'no-apparent-risk'])('escalates when %s becomes high', (previous) => {
    expect(evaluateRiskGrading(POLICY, previous, 'high')).toEqual([highRisk(previous)]);
  });

  it('does not escalate again on a re-grade high to high', () => {
    expect(evaluateRiskGrading(POLICY, 'high', 'high')).toEqual([]);
  });

  it.each<[RiskGrade | null, RiskGrade]>([
    ['high', 'medium'],
    [null, 'medium'],
    ['low', 'medium'],
    [null, 'no-apparent-risk'],
  ])('does nothing when %s becomes %s', (previous, next) => {
    expect(evaluateRiskGrading(POLICY, previous, next)).toEqual([]);
  });
});

/** The two steps of the default policy, due one and two intervals after `anchor`. */
const steps = (anchor: string, intervalHours: number) => [
  { step: 0, dueAt: hoursAfter(anchor, intervalHours), tier: 1, notify: ['supervisor'] },
  { step: 1, dueAt: hoursAfter(anchor, 2 * intervalHours), tier: 2, notify: ['senior-officer'] },
];
const clock = (o: Partial<ReviewClock> = {}): ReviewClock => ({
  missingSince: MISSING_SINCE,
  grade: 'medium',
  lastReviewAt: null,
  ...o,
});

describe('review overdue: the supervisor after one interval without a review, then a senior officer', () => {
  it.each<[RiskGrade, number]>([
    ['high', 1],
    ['medium', 6],
    ['low', 24],
    ['no-apparent-risk', 24],
  ])('runs a %s episode on a %i-hour clock from missing-since before any review', (grade, hours) => {
    expect(reviewDeadlines(POLICY, clock({ grade }))).toEqual(steps(MISSING_SINCE, hours));
  });

  it('restarts the clock at the last review, at the grade it gave', () => {
    const lastReviewAt = hoursAfter(MISSING_SINCE, 30);
    expect(reviewDeadlines(POLICY, clock({ grade: 'high', lastReviewAt }))).toEqual(steps(lastReviewAt, 1));
  });

  it('runs an ungraded episode on the medium clock: no grade is not low priority', () => {
    expect(reviewDeadlines(POLICY, clock({ grade: null }))).toEqual(steps(MISSING_SINCE, 6));
  });

  it('has as many deadlines as the policy has steps', () => {
    const policy = { ...POLICY, reviewOverdue: { ...POLICY.reviewOverdue, steps: [{ tier: 2, notify: ['coordinator' as const] }] } };
    expect(reviewDeadlines(policy, clock({ grade: 'low' }))).toEqual([
      { step: 0, dueAt: hoursAfter(MISSING_SINCE, 24), tier: 2, notify: ['coordinator'] },
    ]);
  });

  it('refuses a time that is not ISO-8601', () => {
    expect(() => reviewDeadlines(POLICY, clock({ lastReviewAt: 'yesterday' }))).toThrow(
      'lastReviewAt is not an ISO-8601 time: "yesterday"',
    );
  });
});

describe('long missing and unacknowledged escalations', () => {
  it('falls due 72 hours after missing-since, whatever the grade', () => {
    expect(longMissingDeadline(POLICY, MISSING_SINCE)).toBe('2026-11-28T06:00:00.000Z');
  });

  it('gives a senior officer 24 hours to acknowledge', () => {
    expect(acknowledgementDeadline(POLICY, '2026-11-25T23:30:00.000Z')).toBe('2026-11-26T23:30:00.000Z');
  });

  it('normalises a time given with an offset to UTC', () => {
    expect(acknowledgementDeadline(POLICY, '2026-11-25T08:00:00+02:00')).toBe('2026-11-26T06:00:00.000Z');
  });

  it.each([
    [1, 2],
    [2, 3],
    [3, null],
    [4, null],
  ])('climbs from tier %i to %p, and no further than maxTier', (tier, next) => {
    expect(nextTier(POLICY, tier)).toBe(next);
  });
});
