import type { RiskGrade } from '../../child-case/child-case.events';
import type { EscalationPolicy, PolicyEpisode, RecipientRole, RuleOutcome, WindowFigures } from './escalation-policy';

/**
 * The policy applied to facts, as pure functions: no I/O and no clock. Every time comes in as an
 * ISO-8601 string and every deadline goes out as one, so a spec can stand on any day.
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface EpisodeRuleContext {
  /** A strategy meeting for the child is open: a further repeat episode joins its agenda. */
  meetingOpen: boolean;
  /** The child has an active safeguarding plan: repeat-without-plan stays quiet. */
  activePlan: boolean;
}

export interface ReviewClock {
  missingSince: string;
  /** The latest grade, or null before anyone graded the episode. */
  grade: RiskGrade | null;
  /** The latest RiskAssessed, or null before the first. */
  lastReviewAt: string | null;
}

export interface ReviewDeadline {
  /** 0-based: step 0 is the first escalation (the supervisor), step 1 the next (a senior officer). */
  step: number;
  dueAt: string;
  tier: number;
  notify: RecipientRole[];
}

/**
 * The counting rules, run when an episode is reported (also a late, back-dated report).
 * `episodes` are all the child's episodes as of that report, the trigger among them.
 *
 * Windows (repeat-in-window, repeat-without-plan) go by missing-since time, never by when an
 * episode was typed in, and are half-open as in episode-counts: a window of N days is
 * (end - N days, end], so episodes exactly N days apart never share one and episodes N days
 * less a minute apart do. `with` is the busiest window that holds the trigger, counting it.
 * `without` is how many the child already had around the trigger: the busiest of those windows
 * without the trigger (with - 1), or the N days just before the trigger if more. Then:
 *   - with reaches the threshold and without does not: `crossed`, once per crossing; a
 *     back-dated report that completes a window crosses it like any other;
 *   - without had reached it already: the child is over the threshold anyway, so only an open
 *     strategy meeting takes the episode onto its agenda (repeat-in-window); otherwise nothing.
 * The N days just before matter when an episode leaves the window the instant the trigger enters
 * it (0, 10, 20 then 30): the rolling count never fell below 3, so day 30 is no new crossing.
 * A cancelled episode counts nowhere: cancelling one can take the child back under a threshold,
 * and the next episode then crosses it again. A cancelled trigger fires nothing.
 */
export function evaluateEpisodeRules(
  policy: EscalationPolicy,
  episodes: readonly PolicyEpisode[],
  triggerEpisodeId: string,
  context: EpisodeRuleContext,
): RuleOutcome[] {
  const trigger = episodes.find((episode) => episode.episodeId === triggerEpisodeId);
  if (!trigger) throw new Error(`episode ${triggerEpisodeId} is not among the child's episodes`);
  if (trigger.cancelled) return [];

  const at = toMs(trigger.missingSince, `missingSince of episode ${trigger.episodeId}`);
  const others = episodes
    .filter((episode) => !episode.cancelled && episode.episodeId !== triggerEpisodeId)
    .map((episode) => toMs(episode.missingSince, `missingSince of episode ${episode.episodeId}`));
  const outcomes: RuleOutcome[] = [];

  const repeat = policy.repeatInWindow;
  const inWindow = judgeWindow(others, at, repeat);
  if (inWindow.crossed) {
    outcomes.push({ rule: 'repeat-in-window', kind: 'crossed', tier: repeat.tier, figures: inWindow.figures });
  } else if (inWindow.alreadyOver && context.meetingOpen) {
    outcomes.push({ rule: 'repeat-in-window', kind: 'agenda', figures: inWindow.figures });
  }

  // Lifetime has no window: every non-cancelled episode, the trigger included. With one episode the
  // count moves by one, so a threshold reached with it and not without it is one the count equals.
  const lifetime = others.length + 1;
  const reached = policy.lifetime.thresholds.filter(({ episodes: threshold }) => lifetime === threshold);
  if (reached.length > 0) {
    // One episode moves the count by one, so a valid policy has one threshold here; else the highest tier.
    const highest = reached.reduce((top, threshold) => (threshold.tier > top.tier ? threshold : top));
    outcomes.push({
      rule: 'lifetime',
      kind: 'crossed',
      tier: highest.tier,
      figures: { lifetimeEpisodes: lifetime, threshold: highest.episodes },
    });
  }

  const withoutPlan = policy.repeatWithoutPlan;
  if (!context.activePlan) {
    const judged = judgeWindow(others, at, withoutPlan);
    if (judged.crossed) {
      outcomes.push({ rule: 'repeat-without-plan', kind: 'crossed', tier: withoutPlan.tier, figures: judged.figures });
    }
  }
  return outcomes;
}

/** High risk fires when an episode becomes high; a re-grade high → high is not a new crossing. */
export function evaluateRiskGrading(
  policy: EscalationPolicy,
  previousGrade: RiskGrade | null,
  newGrade: RiskGrade,
): RuleOutcome[] {
  if (newGrade !== 'high' || previousGrade === 'high') return [];
  return [{ rule: 'high-risk', kind: 'crossed', tier: policy.highRisk.tier, figures: { grade: 'high', previousGrade } }];
}

/**
 * When each review-overdue step falls due. The clock runs from the last risk review, or from
 * missing-since before the first one, so every RiskAssessed restarts it at the new grade's
 * interval. Step i is due at anchor + (i + 1) intervals: the supervisor after one missed
 * interval, a senior officer after two.
 * An ungraded episode is reviewed on the medium interval: no grade yet must not mean low
 * priority (the inspection's low-risk girl, missing five days and never re-assessed).
 */
export function reviewDeadlines(policy: EscalationPolicy, episode: ReviewClock): ReviewDeadline[] {
  const intervalMs = policy.reviewOverdue.intervalHours[episode.grade ?? 'medium'] * HOUR_MS;
  const anchor = toMs(episode.lastReviewAt ?? episode.missingSince, episode.lastReviewAt ? 'lastReviewAt' : 'missingSince');
  return policy.reviewOverdue.steps.map((step, index) => ({
    step: index,
    dueAt: toIso(anchor + (index + 1) * intervalMs),
    tier: step.tier,
    notify: [...step.notify],
  }));
}

/** Open longer than this, whatever the grade, escalates to a senior officer. */
export function longMissingDeadline(policy: EscalationPolicy, missingSince: string): string {
  return toIso(toMs(missingSince, 'missingSince') + policy.longMissing.hours * HOUR_MS);
}

/** An escalation not acknowledged by then climbs a tier. */
export function acknowledgementDeadline(policy: EscalationPolicy, raisedAt: string): string {
  return toIso(toMs(raisedAt, 'raisedAt') + policy.unacknowledged.hours * HOUR_MS);
}

/** The tier an unacknowledged escalation climbs to; null once it is at the top (maxTier). */
export function nextTier(policy: EscalationPolicy, tier: number): number | null {
  return tier + 1 <= policy.unacknowledged.maxTier ? tier + 1 : null;
}

interface WindowJudgement {
  figures: WindowFigures;
  /** This episode takes the child to the threshold. */
  crossed: boolean;
  /** The child was at or over the threshold around this episode without it. */
  alreadyOver: boolean;
}

function judgeWindow(
  others: readonly number[],
  trigger: number,
  rule: { episodes: number; windowDays: number },
): WindowJudgement {
  const span = rule.windowDays * DAY_MS;
  const figures = busiestWindow(others, trigger, rule.windowDays, rule.episodes);
  // As countEpisodes would count them a millisecond before the trigger: [trigger - N days, trigger).
  const justBefore = others.filter((time) => time >= trigger - span && time < trigger).length;
  const without = Math.max(figures.episodesInWindow - 1, justBefore);
  return {
    figures,
    crossed: figures.episodesInWindow >= rule.episodes && without < rule.episodes,
    alreadyOver: without >= rule.episodes,
  };
}

/**
 * The busiest window of `days` that holds the trigger, with the trigger counted. A set of
 * episodes fits in one window (end - N days, end] exactly when latest - earliest < N days, so it
 * is enough to try each episode in (trigger - N days, trigger] as the earliest of the window and
 * count those less than N days after it. On a tie the earliest window wins, so figures are stable.
 * The window is reported as (latest - N days, latest], the latest being the last episode in it:
 * countEpisodes(episodes, windowEnd) then counts the same episodes in the same N days.
 */
function busiestWindow(others: readonly number[], trigger: number, days: number, threshold: number): WindowFigures {
  const span = days * DAY_MS;
  const times = [...others, trigger].sort((a, b) => a - b);
  let busiest = { count: 0, latest: trigger };
  for (const earliest of times) {
    if (earliest <= trigger - span || earliest > trigger) continue;
    const members = times.filter((time) => time >= earliest && time < earliest + span);
    if (members.length > busiest.count) busiest = { count: members.length, latest: members[members.length - 1] };
  }
  return {
    episodesInWindow: busiest.count,
    windowDays: days,
    windowStart: toIso(busiest.latest - span),
    windowEnd: toIso(busiest.latest),
    threshold,
  };
}

function toMs(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`${what} is not an ISO-8601 time: ${JSON.stringify(iso)}`);
  return ms;
}

/** Formats a computed instant; the clock is never read here. */
const toIso = (ms: number): string => new Date(ms).toISOString();
