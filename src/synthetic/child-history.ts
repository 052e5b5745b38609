import { v5 as uuidV5 } from 'uuid';
import type { ChildProfile, RiskFlag } from '../child-case/child-case.events';
import {
  type ChildStream,
  type ChildStreamCommand,
  type ChildStreamEvent,
  decideChildStream,
  evolveChildStream,
  initialChildStream,
} from '../child-stream/child-stream';
import { eventIdFor, idCreatedBy } from '../event-store/command-handling';
import type { Actor, NewEvent } from '../event-store/event-store.port';
import { SYSTEM_ACTOR } from '../escalation/escalation-policy.processor';
import type { EscalationPolicy, RuleOutcome } from '../escalation/policy/escalation-policy';
import { evaluateRiskGrading } from '../escalation/policy/evaluate-policy';
import { outcomesOfReport, ruleOutcomeCommand } from '../escalation/rule-outcome-commands';
import { findPlan } from '../safeguarding-plans/safeguarding-plan.state';
import { Refusal } from '../shared/refusal';
import type { Directory } from '../notifications/directory';
import { machineWorkAfter } from './machine-work';
import { AGE_WEIGHTS, AGENCIES, ETHNICITIES, FIRST_NAMES, GENDERS, GRADES, LAST_NAMES, PLACEMENTS, PLACES, PULL, PUSH } from './population';
import { powerLaw, Random } from './random';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SYNTHETIC_NAMESPACE = '0d6f7d52-6a55-4f0e-8d6b-2f3b9b7e6a11';

export interface ChildSpec {
  seed: number;
  /** Which child of the history (its id and its draws derive from seed and index). */
  index: number;
  district: string;
  /** The child's first episode falls in [startMs, startMs + firstWithinMs); nothing happens after endMs ("now" for the demo). */
  startMs: number;
  firstWithinMs: number;
  endMs: number;
  episodesPerChild: { max: number; exponent: number };
}

export interface ChildHistory {
  childId: string;
  stream: string;
  events: NewEvent[];
  episodes: number;
  /** Commands a decider refused (a generator bug if not 0: every stream must be acceptable). */
  refused: { command: string; reason: string }[];
}

/** A command to decide at a moment of the child's history, and who issues it. */
interface Planned {
  at: number;
  actor: Actor;
  /** Builds the command on the state as it is then (ids of things created meanwhile). */
  command: (state: ChildStream) => ChildStreamCommand | null;
  /** Set for a command the policy processor issues: its id as the processor would derive it. */
  commandId?: string;
  correlationId?: string;
  causationId?: string;
}

const drawEpisodes = new Map<string, (random: Random) => number>();

export const childIdFor = (seed: number, index: number): string => uuidV5(`${seed}/${index}`, SYNTHETIC_NAMESPACE);

const iso = (ms: number): string => new Date(ms).toISOString();
const date = (ms: number): string => iso(ms).slice(0, 10);

/**
 * One child's history, made by the real pure deciders: a profile, episodes whose number follows a
 * power law (most children once, a few dozens of times), each with its report, grading, return,
 * safe-and-well check and return interview (mostly within 72 hours, some late or declined), and
 * what the escalation policy makes of the reports (strategy meetings, escalations, agendas),
 * decided as the policy processor would with the same command ids, so a service replaying the
 * history appends nothing again. Meetings are held and their actions worked; repeat children get
 * safeguarding plans. Escalations are acknowledged, mostly within a day.
 *
 * The service's clocks and e-mails run during the history too (see machineWorkAfter): deadlines
 * that ran out before its end raised their escalations, and every escalation's e-mails (to the
 * directory's people) are recorded as sent, so a service started at the end has only what is
 * still due then. `directory`: whom the e-mails went to (none recorded without one).
 */
export function generateChildHistory(spec: ChildSpec, policy: EscalationPolicy, directory?: Directory): ChildHistory {
  const random = Random.derive(spec.seed, spec.index);
  const childId = childIdFor(spec.seed, spec.index);
  const key = `${spec.episodesPerChild.max}/${spec.episodesPerChild.exponent}`;
  if (!drawEpisodes.has(key)) drawEpisodes.set(key, powerLaw(spec.episodesPerChild.max, spec.episodesPerChild.exponent));
  const episodeCount = drawEpisodes.get(key)!(random);

  const people = {
    handler: { userId: `call-handler-${random.int(1, 40)}`, role: 'call-handler', district: spec.district },
    officer: { userId: `officer-${random.int(1, 200)}`, role: 'officer', district: spec.district },
    coordinator: { userId: `coordinator-${random.int(1, 4)}`, role: 'coordinator', district: spec.district },
    social: { userId: `social-worker-${random.int(1, 60)}`, role: 'social-worker', district: spec.district },
    senior: { userId: `senior-officer-${random.int(1, 6)}`, role: 'senior-officer', district: spec.district },
  } satisfies Record<string, Actor>;

  // The child's missing years: repeat children go missing in bursts, a few weeks apart.
  const meanGap = episodeCount > 1 ? Math.min(60 * DAY, Math.max(3 * DAY, (365 * DAY) / (episodeCount * 1.5))) : 0;
  const firstAt = spec.startMs + random.next() * spec.firstWithinMs;
  const repeat = episodeCount >= 3;
  const profile = childProfile(random, spec.district, firstAt, repeat);

  const plan: Planned[] = [];
  const at = (ms: number, actor: Actor, command: Planned['command']) => plan.push({ at: ms, actor, command });
  at(firstAt - random.between(HOUR, 30 * DAY), people.handler, () => ({ type: 'RegisterChild', childId, profile, now: '' }));

  let missingSince = firstAt;
  for (let n = 0; n < episodeCount && missingSince < spec.endMs; n++) {
    const episodeId = uuidV5(`${childId}/episode/${n}`, SYNTHETIC_NAMESPACE);
    const returnedAt = planEpisode(random, at, people, childId, episodeId, missingSince, spec.district, profile);
    missingSince = Math.max(returnedAt ?? missingSince, missingSince) + HOUR + random.exponential(meanGap || 30 * DAY);
  }

  return runHistory(random, childId, plan, spec.endMs, { policy, directory }, people, episodeCount);
}

function childProfile(random: Random, district: string, firstAt: number, repeat: boolean): ChildProfile {
  const age = Number(random.weighted(AGE_WEIGHTS));
  const born = firstAt - (age + random.next()) * 365.25 * DAY;
  const lookedAfter = random.chance(repeat ? 0.6 : 0.3);
  const flags: RiskFlag[] = [];
  if (random.chance(repeat ? 0.25 : 0.05)) flags.push('CSE');
  if (random.chance(repeat ? 0.2 : 0.05)) flags.push('CCE');
  return {
    firstName: random.pick(FIRST_NAMES),
    lastName: random.pick(LAST_NAMES),
    dateOfBirth: date(born),
    gender: random.weighted(GENDERS),
    ethnicity: random.weighted(ETHNICITIES),
    localAuthority: district,
    lookedAfter,
    placementType: lookedAfter ? random.weighted(PLACEMENTS) : 'home',
    ...(lookedAfter
      ? { philomenaProfile: { description: 'Slim build, dark hair', placesFrequented: [random.pick(PLACES)], associates: random.chance(0.3) ? ['an older male, first name only'] : [] } }
      : {}),
    ...(flags.length ? { riskFlags: flags } : {}),
  };
}

type People = Record<'handler' | 'officer' | 'coordinator' | 'social' | 'senior', Actor>;

/** Plans one episode from report to close; returns when the child came back (null: cancelled). */
function planEpisode(
  random: Random,
  at: (ms: number, actor: Actor, command: Planned['command']) => void,
  people: People,
  childId: string,
  episodeId: string,
  missingSince: number,
  district: string,
  profile: ChildProfile,
): number | null {
  const reportedAt = missingSince + random.between(0.3 * HOUR, 4 * HOUR);
  const initialRisk = profile.riskFlags?.length && random.chance(0.3) ? 'high' : random.weighted(GRADES);
  at(reportedAt, people.handler, () => ({
    type: 'ReportChildMissing',
    childId,
    episodeId,
    missingSince: iso(missingSince),
    district,
    lastSeenPlace: random.pick(PLACES),
    reporter: { relationship: profile.lookedAfter ? 'carer' : 'parent' },
    circumstances: 'Did not return at the agreed time.',
    initialRisk,
    now: '',
  }));
  if (random.chance(0.02)) {
    at(reportedAt + random.between(0.5 * HOUR, 3 * HOUR), people.officer, () => ({ type: 'CancelEpisode', episodeId, reason: 'reported-in-error', now: '' }));
    return null;
  }
  const hoursMissing = random.weighted({ short: 55, day: 30, days: 12, week: 3 });
  const duration = { short: random.between(1, 12), day: random.between(12, 48), days: random.between(48, 120), week: random.between(120, 240) }[hoursMissing] * HOUR;
  const returnedAt = missingSince + duration;
  // Graded soon after the report, and reviewed about daily while the child is still missing.
  for (let review = reportedAt + random.between(0.2 * HOUR, 2 * HOUR); review < returnedAt; review += random.between(12 * HOUR, 30 * HOUR)) {
    const grade = random.chance(0.8) ? initialRisk : random.weighted(GRADES);
    at(review, people.officer, () => ({ type: 'AssessRisk', episodeId, grade, rationale: 'Reviewed against the latest enquiries.', assessedBy: people.officer.userId, now: '' }));
    if (random.chance(0.15)) {
      const seenAt = review - random.between(0, 2 * HOUR);
      at(review + 60_000, people.officer, () => ({ type: 'RecordSighting', episodeId, sightingId: uuidV5(`${episodeId}/sighting/${review}`, SYNTHETIC_NAMESPACE), seenAt: iso(Math.max(seenAt, missingSince)), place: random.pick(PLACES), now: '' }));
    }
  }
  // Recorded after the report (a child back within the hour may be back before anyone reported it).
  const recordedReturnAt = Math.max(returnedAt + random.between(0.2 * HOUR, 2 * HOUR), reportedAt + 600_000);
  // Work on the return is typed in after the return is.
  const typed = (ms: number) => Math.max(ms + 600_000, recordedReturnAt + 60_000);
  at(recordedReturnAt, people.officer, () => ({ type: 'RecordReturn', episodeId, returnedAt: iso(returnedAt), how: random.chance(0.6) ? 'returned' : 'found', where: random.pick(PLACES), now: '' }));
  if (random.chance(0.9)) {
    const checkedAt = returnedAt + random.between(1 * HOUR, 24 * HOUR);
    const harmObserved = random.chance(0.05);
    at(typed(checkedAt), people.officer, () => ({
      type: 'RecordSafeAndWellCheck',
      episodeId,
      checkedBy: people.officer.userId,
      checkedAt: iso(checkedAt),
      childAccount: 'Stayed with friends.',
      harmObserved,
      ...(harmObserved ? { harmDetails: 'Bruising to the arm; referred to health.' } : {}),
      now: '',
    }));
  }
  let closeAt = returnedAt + random.between(2 * DAY, 8 * DAY);
  if (random.chance(0.85)) {
    const offeredAt = returnedAt + random.between(2 * HOUR, 24 * HOUR);
    at(typed(offeredAt), people.social, () => ({ type: 'OfferReturnInterview', episodeId, offeredAt: iso(offeredAt), offeredBy: people.social.userId, now: '' }));
    const outcome = random.weighted({ inTime: 68, late: 12, declined: 15, none: 5 });
    if (outcome === 'inTime' || outcome === 'late') {
      const completedAt = returnedAt + (outcome === 'inTime' ? random.between(24 * HOUR, 71 * HOUR) : random.between(73 * HOUR, 10 * DAY));
      at(typed(completedAt), people.social, () => ({
        type: 'CompleteReturnInterview',
        episodeId,
        completedAt: iso(completedAt),
        interviewer: people.social.userId,
        findings: { whereabouts: random.pick(PLACES), pushFactors: [random.pick(PUSH)], pullFactors: [random.pick(PULL)] },
        now: '',
      }));
      closeAt = Math.max(closeAt, completedAt + DAY);
    } else if (outcome === 'declined') {
      const declinedAt = offeredAt + random.between(HOUR, 48 * HOUR);
      at(typed(declinedAt), people.social, () => ({ type: 'DeclineReturnInterview', episodeId, declinedAt: iso(declinedAt), declinedBy: random.chance(0.8) ? 'child' : 'parent-or-carer', reason: 'Did not want to talk.', now: '' }));
    }
  }
  if (random.chance(0.95)) at(typed(closeAt), people.coordinator, () => ({ type: 'CloseEpisode', episodeId, now: '' }));
  return returnedAt;
}

/**
 * Decides the planned commands in time order on the evolving state, and runs the policy after
 * each report and grading as the escalation-policy processor does. Whatever the policy opens
 * (a meeting, an escalation) plans its own follow-up: held, actions, acknowledgement.
 */
function runHistory(
  random: Random,
  childId: string,
  plan: Planned[],
  endMs: number,
  { policy, directory }: { policy: EscalationPolicy; directory: Directory | undefined },
  people: People,
  episodes: number,
): ChildHistory {
  const events: NewEvent[] = [];
  const refused: ChildHistory['refused'] = [];
  let state = initialChildStream();
  let sequence = 0;
  const followUp = new FollowUp(random, people, policy, childId);
  while (plan.length > 0) {
    // Earliest first; histories are small (hundreds of commands), so a scan is enough.
    let next = 0;
    for (let i = 1; i < plan.length; i++) if (plan[i].at < plan[next].at) next = i;
    const [step] = plan.splice(next, 1);
    if (step.at >= endMs) continue;
    const command = step.command(state);
    if (!command) continue;
    // A recorded delivery carries its own time (deliveredAt), no `now`.
    const decided = decide('now' in command ? ({ ...command, now: iso(step.at) } as ChildStreamCommand) : command, state, refused);
    if (decided.length === 0) continue;
    const commandId = step.commandId ?? idCreatedBy(childId, `synthetic/${sequence++}`);
    const recorded = decided.map(({ type, ...data }, index) => ({
      id: eventIdFor(commandId, index),
      type,
      data,
      metadata: { actor: step.actor, correlationId: step.correlationId ?? commandId, causationId: step.causationId ?? commandId },
    }));
    events.push(...recorded);
    const before = state;
    state = decided.reduce(evolveChildStream, state);
    decided.forEach((event, index) => {
      plan.push(...policyAfter(event, recorded[index].id, before, state, step.at, policy));
      plan.push(...followUp.after(event, step.at));
      plan.push(...machineWorkAfter(policy, directory, recorded[index], `child-${childId}`, step.at).map(({ command, ...machine }) => ({ ...machine, command: () => command })));
    });
  }
  return { childId, stream: `child-${childId}`, events, episodes, refused };
}

function decide(command: ChildStreamCommand, state: ChildStream, refused: ChildHistory['refused']): ChildStreamEvent[] {
  try {
    return decideChildStream(command, state);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    refused.push({ command: command.type, reason: error.message });
    return [];
  }
}

/** What the escalation-policy processor would issue for this event, with the ids it would use. */
function policyAfter(event: ChildStreamEvent, eventId: string, before: ChildStream, after: ChildStream, atMs: number, policy: EscalationPolicy): Planned[] {
  let outcomes: RuleOutcome[];
  let episodeId: string;
  if (event.type === 'ChildReportedMissing') {
    episodeId = event.episodeId;
    outcomes = outcomesOfReport(policy, after, event, after.safeguarding.openMeetingId !== null);
  } else if (event.type === 'RiskAssessed') {
    episodeId = event.episodeId;
    outcomes = evaluateRiskGrading(policy, before.childCase.episodes[episodeId]?.riskGrade ?? null, event.grade);
  } else {
    return [];
  }
  return outcomes.map((outcome, index) => {
    const { commandId, command } = ruleOutcomeCommand(policy, eventId, episodeId, outcome, '');
    return { at: atMs + 1_000 + index, actor: SYSTEM_ACTOR as Actor, commandId, causationId: eventId, command: () => command };
  });
}

/** People's work on what the machine opened: escalations acknowledged, meetings held and worked, plans. */
class FollowUp {
  constructor(
    private readonly random: Random,
    private readonly people: People,
    private readonly policy: EscalationPolicy,
    private readonly childId: string,
  ) {}

  after(event: ChildStreamEvent, atMs: number): Planned[] {
    const { random, people } = this;
    const later = (hours: [number, number], actor: Actor, command: Planned['command']): Planned => ({ at: atMs + random.between(hours[0], hours[1]) * HOUR, actor, command });
    switch (event.type) {
      case 'EscalationRaised':
        // Most within the policy's day; some late; a few never (the service's own clock escalates those).
        if (random.chance(0.08)) return [];
        return [later(random.chance(0.85) ? [0.2, 20] : [25, 72], people.senior, () => ({ type: 'AcknowledgeEscalation', escalationId: event.escalationId, acknowledgedBy: people.senior.userId, role: 'senior-officer', now: '' }))];
      case 'StrategyMeetingConvened':
        return this.meeting(event.meetingId, atMs);
      default:
        return [];
    }
  }

  private meeting(meetingId: string, convenedAt: number): Planned[] {
    const { random, people } = this;
    const heldAt = convenedAt + random.between(1, 5) * DAY;
    const steps: Planned[] = [];
    const add = (ms: number, actor: Actor, command: Planned['command']) => steps.push({ at: ms, actor, command });
    add(heldAt + HOUR, people.coordinator, () => ({
      type: 'RecordMeetingHeld',
      meetingId,
      heldAt: iso(heldAt),
      attendees: AGENCIES.slice(0, random.int(2, 4)).map((agency, i) => ({ name: `Attendee ${i + 1}`, agency })),
      absentees: [],
      now: '',
    }));
    add(heldAt + 2 * HOUR, people.coordinator, () => ({ type: 'RecordMeetingDecision', meetingId, decisionId: uuidV5(`${meetingId}/decision`, SYNTHETIC_NAMESPACE), decision: 'Disruption plan against the places the child frequents.', now: '' }));
    let allDone = true;
    let lastDone = heldAt;
    for (let n = 0; n < random.int(1, 3); n++) {
      const actionId = uuidV5(`${meetingId}/action/${n}`, SYNTHETIC_NAMESPACE);
      const due = heldAt + random.between(7, 21) * DAY;
      add(heldAt + 2 * HOUR + n, people.coordinator, () => ({ type: 'AgreeMeetingAction', meetingId, actionId, what: 'Visit the places named in the return interview', owner: people.officer.userId, agency: random.pick(AGENCIES), dueDate: date(due), now: '' }));
      const fate = random.weighted({ inTime: 75, late: 18, never: 7 });
      if (fate === 'never') {
        allDone = false;
        continue;
      }
      const doneAt = fate === 'inTime' ? heldAt + (due - heldAt) * random.between(0.3, 0.95) : due + random.between(2, 10) * DAY;
      lastDone = Math.max(lastDone, doneAt);
      add(doneAt, people.officer, () => ({ type: 'CompleteMeetingAction', meetingId, actionId, completedBy: people.officer.userId, now: '' }));
    }
    const outcomeAt = Math.max(heldAt + 28 * DAY, lastDone + DAY);
    add(outcomeAt, people.coordinator, () => ({ type: 'RecordMeetingOutcome', meetingId, outcome: 'Risk reduced; plan in place.', now: '' }));
    if (allDone) add(outcomeAt + HOUR, people.coordinator, () => ({ type: 'CloseStrategyMeeting', meetingId, closedBy: people.coordinator.userId, now: '' }));
    if (random.chance(0.7)) steps.push(...this.plan(meetingId, heldAt + random.between(1, 7) * DAY));
    return steps;
  }

  private plan(meetingId: string, createdAt: number): Planned[] {
    const { random, people, childId } = this;
    const planId = uuidV5(`${meetingId}/plan`, SYNTHETIC_NAMESPACE);
    const steps: Planned[] = [];
    const add = (ms: number, actor: Actor, command: Planned['command']) => steps.push({ at: ms, actor, command });
    // One open plan at a time: a child whose plan is still open gets none.
    add(createdAt, people.social, (state) => (state.safeguarding.activePlan ? null : { type: 'CreateSafeguardingPlan', planId, childId, createdBy: people.social.userId, concerns: 'Repeat episodes; exploitation concerns.', now: '' }));
    const created = (state: ChildStream) => findPlan(state.plans, planId)?.status === 'open';
    for (let n = 0; n < 2; n++) {
      const actionId = uuidV5(`${planId}/action/${n}`, SYNTHETIC_NAMESPACE);
      const due = createdAt + random.between(10, 40) * DAY;
      add(createdAt + HOUR + n, people.social, (state) => (created(state) ? { type: 'AddPlanAction', planId, actionId, what: 'Weekly key-worker session', owner: people.social.userId, agency: "children's social care", dueDate: date(due), now: '' } : null));
      add(due - random.between(0, 5) * DAY, people.social, (state) => (created(state) ? { type: 'CompletePlanAction', planId, actionId, completedBy: people.social.userId, now: '' } : null));
    }
    add(createdAt + 42 * DAY, people.social, (state) => (created(state) ? { type: 'ReviewSafeguardingPlan', planId, reviewId: uuidV5(`${planId}/review`, SYNTHETIC_NAMESPACE), reviewedBy: people.social.userId, summary: 'Fewer episodes since the plan.', now: '' } : null));
    if (random.chance(0.6)) add(createdAt + random.between(90, 200) * DAY, people.social, (state) => (created(state) ? { type: 'CloseSafeguardingPlan', planId, closedBy: people.social.userId, reason: 'Risk reduced.', now: '' } : null));
    return steps;
  }
}
