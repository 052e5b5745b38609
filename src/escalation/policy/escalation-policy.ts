import type { RiskGrade } from '../../child-case/child-case.events';

/**
 * The rules the machine enforces, as data: one policy for every district, loaded from
 * config/escalation-policy.json (ESCALATION_POLICY_FILE) and validated at start.
 */
export interface EscalationPolicy {
  /** DOMAIN: the 3rd episode whose missing-since time falls in any rolling 30 days. */
  repeatInWindow: { episodes: number; windowDays: number; tier: number; notify: RecipientRole[]; agencies: string[] };
  /** Lifetime episodes reaching each threshold escalate at that tier (10 → 1, 20 → 2, 40 → 3). */
  lifetime: { thresholds: { episodes: number; tier: number }[]; notify: RecipientRole[] };
  /** 3 or more episodes in 90 days and no active safeguarding plan. */
  repeatWithoutPlan: { episodes: number; windowDays: number; tier: number; notify: RecipientRole[] };
  /** An episode graded high: immediate senior officer escalation. */
  highRisk: { tier: number; notify: RecipientRole[] };
  /** No risk review within the grade's interval: first the supervisor, then a senior officer. */
  reviewOverdue: { intervalHours: Record<RiskGrade, number>; steps: { tier: number; notify: RecipientRole[] }[] };
  /** Open longer than this whatever the grade. */
  longMissing: { hours: number; tier: number; notify: RecipientRole[] };
  /** A senior officer must acknowledge within this; otherwise the escalation climbs a tier. */
  unacknowledged: { hours: number; maxTier: number };
  /** DfE 2014: an independent return home interview within 72 hours of the return, completed or declined. */
  returnInterviewOverdue: { hours: number; tier: number; notify: RecipientRole[] };
  /** A strategy meeting action not completed by the end of its due date (UK time). */
  meetingActionOverdue: { tier: number; notify: RecipientRole[] };
  /** A child abduction warning notice recommended and not served within this many days. */
  cawnNotServed: { days: number; tier: number; notify: RecipientRole[] };
  /** DOMAIN: a person or place named for one child is named for another (a possible exploitation network). */
  /** `maxChildren`: the children a person or place links before it counts as a public place and links no more. */
  linkedPeopleOrPlaces: { tier: number; notify: RecipientRole[]; maxChildren: number };
}

/** Who receives an escalation; the directory maps a role, a district and a tier to addresses. */
export type RecipientRole = 'supervisor' | 'senior-officer' | 'lscb-lead' | 'coordinator';

/** A record, not an array, so that a new role missing from the list fails to compile. */
const recipientRoles: Record<RecipientRole, true> = {
  supervisor: true,
  'senior-officer': true,
  'lscb-lead': true,
  coordinator: true,
};

export const RECIPIENT_ROLES: readonly RecipientRole[] = Object.freeze(Object.keys(recipientRoles) as RecipientRole[]);

export const RULES = [
  'repeat-in-window',
  'lifetime',
  'repeat-without-plan',
  'high-risk',
  'review-overdue',
  'long-missing',
  'unacknowledged',
  'return-interview-overdue',
  'meeting-action-overdue',
  'cawn-not-served',
  'linked-people-or-places',
] as const;

export type RuleName = (typeof RULES)[number];

/** An episode as the policy sees it. */
export interface PolicyEpisode {
  episodeId: string;
  missingSince: string;
  cancelled: boolean;
}

/**
 * What a rule concluded about one triggering event. `crossed`: the threshold was crossed by
 * this event (fire once); `agenda`: the child is already over the repeat threshold and a
 * strategy meeting is open, so the episode joins its agenda.
 */
export type RuleOutcome =
  | { rule: 'repeat-in-window'; kind: 'crossed'; tier: number; figures: WindowFigures }
  | { rule: 'repeat-in-window'; kind: 'agenda'; figures: WindowFigures }
  | { rule: 'lifetime'; kind: 'crossed'; tier: number; figures: { lifetimeEpisodes: number; threshold: number } }
  | { rule: 'repeat-without-plan'; kind: 'crossed'; tier: number; figures: WindowFigures }
  | { rule: 'high-risk'; kind: 'crossed'; tier: number; figures: { grade: 'high'; previousGrade: RiskGrade | null } };

export interface WindowFigures {
  /** Non-cancelled episodes in the busiest window of `windowDays` that holds the triggering episode. */
  episodesInWindow: number;
  windowDays: number;
  /**
   * The window is (windowStart, windowEnd], half-open as in episode-counts: windowEnd is the
   * missing-since time of the latest episode in it and windowStart is windowDays before that, so
   * countEpisodes(episodes, windowEnd) counts the same episodes for that many days.
   */
  windowStart: string;
  windowEnd: string;
  threshold: number;
}
