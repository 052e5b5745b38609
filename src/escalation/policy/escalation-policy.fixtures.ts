/**
 * Test support for the escalation policy specs: small builders with sensible defaults, so each
 * spec shows only what matters to it.
 */
import type { EscalationPolicy, PolicyEpisode, RuleName, RuleOutcome, WindowFigures } from './escalation-policy';
import { evaluateEpisodeRules } from './evaluate-policy';
import type { EpisodeRuleContext } from './evaluate-policy';

/** The DOMAIN defaults, written out by hand: the specs do not lean on the shipped file, whose own spec checks it equals these. */
export const POLICY: EscalationPolicy = {
  repeatInWindow: {
    episodes: 3,
    windowDays: 30,
    tier: 1,
    notify: ['senior-officer', 'lscb-lead'],
    agencies: ['police', 'childrens-social-care', 'health', 'education'],
  },
  lifetime: {
    thresholds: [
      { episodes: 10, tier: 1 },
      { episodes: 20, tier: 2 },
      { episodes: 40, tier: 3 },
    ],
    notify: ['senior-officer', 'lscb-lead'],
  },
  repeatWithoutPlan: { episodes: 3, windowDays: 90, tier: 1, notify: ['senior-officer'] },
  highRisk: { tier: 1, notify: ['senior-officer'] },
  reviewOverdue: {
    intervalHours: { high: 1, medium: 6, low: 24, 'no-apparent-risk': 24 },
    steps: [
      { tier: 1, notify: ['supervisor'] },
      { tier: 2, notify: ['senior-officer'] },
    ],
  },
  longMissing: { hours: 72, tier: 1, notify: ['senior-officer'] },
  unacknowledged: { hours: 24, maxTier: 3 },
  returnInterviewOverdue: { hours: 72, tier: 1, notify: ['coordinator', 'lscb-lead'] },
  meetingActionOverdue: { tier: 1, notify: ['senior-officer'] },
  cawnNotServed: { days: 7, tier: 1, notify: ['senior-officer'] },
  linkedPeopleOrPlaces: { tier: 1, notify: ['coordinator'], maxChildren: 12 },
};

// Episodes and outcomes for the episode-rule specs

export const MINUTE = 60 * 1000;
export const DAY = 24 * 60 * MINUTE;
const DAY_0 = Date.parse('2026-01-05T06:00:00.000Z');

/** The time `days` (and `minutes`) after day 0 of the story. */
export const day = (days: number, minutes = 0): string => new Date(DAY_0 + days * DAY + minutes * MINUTE).toISOString();
export const daysBefore = (iso: string, days: number): string => new Date(Date.parse(iso) - days * DAY).toISOString();

/** An episode by its missing-since time; its id is that time unless a test names it. */
export const missing = (missingSince: string, o: Partial<PolicyEpisode> = {}): PolicyEpisode => ({
  episodeId: `episode@${missingSince}`,
  missingSince,
  cancelled: false,
  ...o,
});
/** `count` episodes 100 days apart: a long history that never makes a 90-day window. */
export const history = (count: number): PolicyEpisode[] => Array.from({ length: count }, (_, i) => missing(day(i * 100)));

export const windowOf = (episodesInWindow: number, windowEnd: string, windowDays = 30): WindowFigures => ({
  episodesInWindow,
  windowDays,
  windowStart: daysBefore(windowEnd, windowDays),
  windowEnd,
  threshold: 3,
});
export const repeatCrossed = (count: number, windowEnd: string): RuleOutcome => ({
  rule: 'repeat-in-window', kind: 'crossed', tier: 1, figures: windowOf(count, windowEnd),
});
export const repeatAgenda = (count: number, windowEnd: string): RuleOutcome => ({
  rule: 'repeat-in-window', kind: 'agenda', figures: windowOf(count, windowEnd),
});
export const withoutPlanCrossed = (count: number, windowEnd: string): RuleOutcome => ({
  rule: 'repeat-without-plan', kind: 'crossed', tier: 1, figures: windowOf(count, windowEnd, 90),
});
export const lifetimeCrossed = (threshold: number, tier: number): RuleOutcome => ({
  rule: 'lifetime', kind: 'crossed', tier, figures: { lifetimeEpisodes: threshold, threshold },
});

/**
 * The child's episodes so far, then one reported. By default a safeguarding plan is active, so
 * repeat-without-plan stays out of the stories about the other rules, and no meeting is open.
 */
export function given(...earlier: PolicyEpisode[]) {
  return {
    whenReported(trigger: PolicyEpisode, context: Partial<EpisodeRuleContext> = {}, policy = POLICY) {
      const outcomes = evaluateEpisodeRules(policy, [...earlier, trigger], trigger.episodeId, {
        meetingOpen: false,
        activePlan: true,
        ...context,
      });
      const thenFor = (rule: RuleName) => (...expected: RuleOutcome[]) =>
        expect(outcomes.filter((outcome) => outcome.rule === rule)).toEqual(expected);
      return {
        thenRepeat: thenFor('repeat-in-window'),
        thenLifetime: thenFor('lifetime'),
        thenWithoutPlan: thenFor('repeat-without-plan'),
        thenNothing: () => expect(outcomes).toEqual([]),
      };
    },
  };
}
