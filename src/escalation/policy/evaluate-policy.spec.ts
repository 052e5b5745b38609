import * as fc from 'fast-check';
import { countEpisodes } from '../../child-case/episode-counts';
import type { PolicyEpisode } from './escalation-policy';
import {
  DAY,
  POLICY,
  day,
  given,
  history,
  lifetimeCrossed,
  missing,
  repeatAgenda,
  repeatCrossed,
  withoutPlanCrossed,
} from './escalation-policy.fixtures';
import { evaluateEpisodeRules } from './evaluate-policy';

describe('repeat in window: the 3rd episode whose missing-since falls in any rolling 30 days', () => {
  it('crosses on the 3rd episode within 30 days', () => {
    given(missing(day(0)), missing(day(10))).whenReported(missing(day(20))).thenRepeat(repeatCrossed(3, day(20)));
  });

  it('does nothing on the 2nd', () => {
    given(missing(day(0))).whenReported(missing(day(10))).thenRepeat();
  });

  it('does not put episodes exactly 30 days apart in one window: (end - 30 days, end]', () => {
    given(missing(day(0)), missing(day(15))).whenReported(missing(day(30))).thenRepeat();
  });

  it('puts episodes 30 days less a minute apart in one window', () => {
    given(missing(day(0)), missing(day(15)))
      .whenReported(missing(day(30, -1)))
      .thenRepeat(repeatCrossed(3, day(30, -1)));
  });

  it('does not put a late report in one window with an episode exactly 30 days after it', () => {
    given(missing(day(25)), missing(day(50))).whenReported(missing(day(20))).thenRepeat();
  });

  it('puts a late report in one window with an episode 30 days less a minute after it', () => {
    given(missing(day(25)), missing(day(50, -1)))
      .whenReported(missing(day(20)))
      .thenRepeat(repeatCrossed(3, day(50, -1)));
  });

  it('does nothing for three episodes spread over 31 days', () => {
    given(missing(day(0)), missing(day(16))).whenReported(missing(day(31))).thenRepeat();
  });

  it('fires once per crossing: the 4th episode with no meeting open does nothing', () => {
    given(missing(day(0)), missing(day(10)), missing(day(20))).whenReported(missing(day(25))).thenNothing();
  });

  it('puts the 4th episode on the agenda of an open meeting, without crossing again', () => {
    given(missing(day(0)), missing(day(10)), missing(day(20)))
      .whenReported(missing(day(25)), { meetingOpen: true })
      .thenRepeat(repeatAgenda(4, day(25)));
  });

  it('does not cross again when the 1st episode leaves the window the instant the 4th enters it', () => {
    // The count as at day 30 is 10, 20, 30: three, but it was three the moment before too.
    const earlier = [missing(day(0)), missing(day(10)), missing(day(20))];
    given(...earlier).whenReported(missing(day(30))).thenNothing();
    given(...earlier).whenReported(missing(day(30)), { meetingOpen: true }).thenRepeat(repeatAgenda(3, day(30)));
    given(...earlier, missing(day(30))).whenReported(missing(day(40))).thenNothing();
  });

  it('crosses again after the count fell under the threshold for a while', () => {
    // Day 0 leaves at day 30; from then to day 35 the child had two episodes in 30 days.
    given(missing(day(0)), missing(day(10)), missing(day(20)))
      .whenReported(missing(day(35)))
      .thenRepeat(repeatCrossed(3, day(35)));
  });

  it('crosses, not joins an agenda, when the 3rd episode comes while a meeting is open', () => {
    given(missing(day(0)), missing(day(10)))
      .whenReported(missing(day(20)), { meetingOpen: true })
      .thenRepeat(repeatCrossed(3, day(20)));
  });

  it('puts nothing on the agenda of an open meeting while the child is under the threshold', () => {
    given(missing(day(0))).whenReported(missing(day(10)), { meetingOpen: true }).thenNothing();
  });

  it('does not count a cancelled episode', () => {
    given(missing(day(0)), missing(day(10), { cancelled: true })).whenReported(missing(day(20))).thenRepeat();
  });

  it('crosses again after a cancellation took the child back under the threshold', () => {
    given(missing(day(0)), missing(day(10)), missing(day(20), { cancelled: true }))
      .whenReported(missing(day(25)))
      .thenRepeat(repeatCrossed(3, day(25)));
  });

  it('never fires for a cancelled trigger, meeting open or not', () => {
    const earlier = [missing(day(0)), missing(day(10)), missing(day(15))];
    given(...earlier).whenReported(missing(day(20), { cancelled: true }), { meetingOpen: true, activePlan: false }).thenNothing();
  });

  it('counts a duplicate report until it is cancelled', () => {
    given(missing(day(0)), missing(day(10)))
      .whenReported(missing(day(10), { episodeId: 'duplicate' }))
      .thenRepeat(repeatCrossed(3, day(10)));
  });

  it('crosses on a late, back-dated report that completes a window, which ends at its latest episode', () => {
    given(missing(day(0)), missing(day(20))).whenReported(missing(day(10))).thenRepeat(repeatCrossed(3, day(20)));
  });

  it('crosses on a late report that completes the window after it, not the one before', () => {
    given(missing(day(0)), missing(day(40)), missing(day(50)))
      .whenReported(missing(day(35)))
      .thenRepeat(repeatCrossed(3, day(50)));
  });

  it('treats a late report into a window already over the threshold as a 4th episode', () => {
    const earlier = [missing(day(0)), missing(day(10)), missing(day(20))];
    given(...earlier).whenReported(missing(day(5))).thenNothing();
    given(...earlier).whenReported(missing(day(5)), { meetingOpen: true }).thenRepeat(repeatAgenda(4, day(20)));
  });

  it('crosses again for a new cluster months after the last one', () => {
    given(missing(day(0)), missing(day(10)), missing(day(20)), missing(day(100)), missing(day(110)))
      .whenReported(missing(day(120)))
      .thenRepeat(repeatCrossed(3, day(120)));
  });

  it('refuses a trigger that is not among the episodes', () => {
    expect(() => evaluateEpisodeRules(POLICY, [missing(day(0))], 'nope', { meetingOpen: false, activePlan: true })).toThrow(
      'episode nope is not among the child\'s episodes',
    );
  });
});

describe('repeat in window, any history in any order', () => {
  // Whole days give many episodes exactly 30 days apart; a minute either side probes both edges.
  const pick = fc.record({ days: fc.integer({ min: 0, max: 100 }), minutes: fc.constantFrom(-1, 0, 0, 1), cancelled: fc.boolean() });
  const stories = fc
    .array(pick, { minLength: 1, maxLength: 12 })
    .chain((picks) => fc.tuple(fc.constant(picks), fc.nat({ max: picks.length - 1 })));
  const context = { meetingOpen: true, activePlan: true };
  const counted = (episodes: PolicyEpisode[]) => episodes.filter((episode) => !episode.cancelled);
  const msAfter = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

  it('judges the rolling 30-day count as countEpisodes counts it, whatever the order', () => {
    fc.assert(
      fc.property(stories, ([picks, index]) => {
        const episodes = picks.map(({ days, minutes, cancelled }, i) =>
          missing(day(days, minutes), { episodeId: `e${i}`, cancelled }),
        );
        const trigger = episodes[index];
        const outcomes = evaluateEpisodeRules(POLICY, episodes, trigger.episodeId, context);
        const repeat = outcomes.find((outcome) => outcome.rule === 'repeat-in-window');
        // Oracle, from countEpisodes alone: the busiest window holding the trigger ends at an
        // episode less than 30 days after it; "already" is that window without the trigger, or
        // the count a millisecond before the trigger.
        const others = counted(episodes).filter((episode) => episode !== trigger);
        const ends = counted(episodes)
          .map((episode) => episode.missingSince)
          .filter((end) => end >= trigger.missingSince && end < msAfter(trigger.missingSince, 30 * DAY));
        const busiest = Math.max(...ends.map((end) => countEpisodes(counted(episodes), end).last30Days));
        const already = Math.max(busiest - 1, countEpisodes(others, msAfter(trigger.missingSince, -1)).last30Days);
        const expected = trigger.cancelled ? undefined : already >= 3 ? 'agenda' : busiest >= 3 ? 'crossed' : undefined;
        expect(repeat?.kind).toBe(expected);
        if (repeat) {
          expect(repeat.figures.episodesInWindow).toBe(busiest);
          expect(countEpisodes(counted(episodes), repeat.figures.windowEnd).last30Days).toBe(busiest);
        }
        expect(evaluateEpisodeRules(POLICY, [...episodes].reverse(), trigger.episodeId, context)).toEqual(outcomes);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('lifetime: 10, then 20, then 40 episodes, a tier higher each time', () => {
  it.each([
    [9, []],
    [10, [lifetimeCrossed(10, 1)]],
    [11, []],
    [19, []],
    [20, [lifetimeCrossed(20, 2)]],
    [21, []],
    [39, []],
    [40, [lifetimeCrossed(40, 3)]],
    [41, []],
  ])('the episode that takes the count to %i', (count, expected) => {
    given(...history(count - 1)).whenReported(missing(day(count * 100))).thenLifetime(...expected);
  });

  it('counts a late, back-dated 10th episode like any other', () => {
    given(...history(9)).whenReported(missing(day(-50))).thenLifetime(lifetimeCrossed(10, 1));
  });

  it('does not count cancelled episodes, so the 10th that counts crosses', () => {
    const earlier = [...history(9), missing(day(950), { cancelled: true })];
    given(...earlier).whenReported(missing(day(1000))).thenLifetime(lifetimeCrossed(10, 1));
  });

  it('takes the highest threshold if one episode reaches two (only a hand-made policy can)', () => {
    const thresholds = [{ episodes: 10, tier: 1 }, { episodes: 10, tier: 2 }];
    const policy = { ...POLICY, lifetime: { ...POLICY.lifetime, thresholds } };
    given(...history(9)).whenReported(missing(day(1000)), {}, policy).thenLifetime(lifetimeCrossed(10, 2));
  });
});

describe('repeat without a plan: 3 episodes in 90 days and no active safeguarding plan', () => {
  const earlier = [missing(day(0)), missing(day(45))];

  it('crosses on the 3rd episode in 90 days without an active plan', () => {
    given(...earlier).whenReported(missing(day(89)), { activePlan: false }).thenWithoutPlan(withoutPlanCrossed(3, day(89)));
  });

  it('does nothing while a plan is active', () => {
    given(...earlier).whenReported(missing(day(89)), { activePlan: true }).thenNothing();
  });

  it('does not put episodes exactly 90 days apart in one window', () => {
    given(...earlier).whenReported(missing(day(90)), { activePlan: false }).thenWithoutPlan();
  });

  it('fires once per crossing: the 4th episode does nothing', () => {
    given(...earlier, missing(day(60))).whenReported(missing(day(80)), { activePlan: false }).thenWithoutPlan();
  });

  it('fires beside repeat-in-window when both cross on one episode', () => {
    given(missing(day(0)), missing(day(10)))
      .whenReported(missing(day(20)), { activePlan: false })
      .thenWithoutPlan(withoutPlanCrossed(3, day(20)));
  });
});
