import { readFileSync } from 'node:fs';
import type { RiskGrade } from '../../child-case/child-case.events';
import { RECIPIENT_ROLES } from './escalation-policy';
import type { EscalationPolicy, RecipientRole } from './escalation-policy';

/**
 * A policy the service must not start with. The message is one line that names the file, the
 * field and the rule it breaks, so whoever edits the config can fix it without reading code.
 */
export class EscalationPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EscalationPolicyError';
  }
}

/** A record, not an array, so that a new grade missing from the policy fails to compile. */
const riskGrades: Record<RiskGrade, true> = { high: true, medium: true, low: true, 'no-apparent-risk': true };
const RISK_GRADES = Object.keys(riskGrades) as RiskGrade[];

type PolicyKey = keyof EscalationPolicy;
const policyKeys: Record<PolicyKey, true> = {
  repeatInWindow: true,
  lifetime: true,
  repeatWithoutPlan: true,
  highRisk: true,
  reviewOverdue: true,
  longMissing: true,
  unacknowledged: true,
  returnInterviewOverdue: true,
  meetingActionOverdue: true,
  cawnNotServed: true,
  linkedPeopleOrPlaces: true,
};
const POLICY_KEYS = Object.keys(policyKeys) as PolicyKey[];

export function loadEscalationPolicy(file: string): EscalationPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? oneLine(error)})`;
    throw new EscalationPolicyError(`escalation policy ${file}: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EscalationPolicyError(`escalation policy ${file}: not valid JSON (${oneLine(error)})`);
  }
  return parseEscalationPolicy(json, file);
}

/** Checks every field and builds a fresh policy from it: nothing unchecked gets through. */
export function parseEscalationPolicy(json: unknown, source: string): EscalationPolicy {
  const read = new PolicyReader(source);
  const root = read.object(json, '', POLICY_KEYS);

  const unack = read.object(root.unacknowledged, 'unacknowledged', ['hours', 'maxTier']);
  const unacknowledged = {
    hours: read.positiveInteger(unack.hours, 'unacknowledged.hours'),
    maxTier: read.positiveInteger(unack.maxTier, 'unacknowledged.maxTier'),
  };
  // An escalation raised above maxTier could never climb and would contradict the tier ladder.
  const tier = (value: unknown, path: string) => read.tier(value, path, unacknowledged.maxTier);

  const repeat = read.object(root.repeatInWindow, 'repeatInWindow', ['episodes', 'windowDays', 'tier', 'notify', 'agencies']);
  const lifetime = read.object(root.lifetime, 'lifetime', ['thresholds', 'notify']);
  const withoutPlan = read.object(root.repeatWithoutPlan, 'repeatWithoutPlan', ['episodes', 'windowDays', 'tier', 'notify']);
  const highRisk = read.object(root.highRisk, 'highRisk', ['tier', 'notify']);
  const review = read.object(root.reviewOverdue, 'reviewOverdue', ['intervalHours', 'steps']);
  const intervals = read.object(review.intervalHours, 'reviewOverdue.intervalHours', RISK_GRADES);
  const longMissing = read.object(root.longMissing, 'longMissing', ['hours', 'tier', 'notify']);
  const interview = read.object(root.returnInterviewOverdue, 'returnInterviewOverdue', ['hours', 'tier', 'notify']);
  const meetingAction = read.object(root.meetingActionOverdue, 'meetingActionOverdue', ['tier', 'notify']);
  const cawn = read.object(root.cawnNotServed, 'cawnNotServed', ['days', 'tier', 'notify']);
  const linked = read.object(root.linkedPeopleOrPlaces, 'linkedPeopleOrPlaces', ['tier', 'notify', 'maxChildren']);

  const policy: EscalationPolicy = {
    repeatInWindow: {
      episodes: read.positiveInteger(repeat.episodes, 'repeatInWindow.episodes'),
      windowDays: read.positiveInteger(repeat.windowDays, 'repeatInWindow.windowDays'),
      tier: tier(repeat.tier, 'repeatInWindow.tier'),
      notify: read.roles(repeat.notify, 'repeatInWindow.notify'),
      agencies: read.names(repeat.agencies, 'repeatInWindow.agencies'),
    },
    lifetime: {
      thresholds: read.list(lifetime.thresholds, 'lifetime.thresholds', (item, path) => {
        const threshold = read.object(item, path, ['episodes', 'tier']);
        return { episodes: read.positiveInteger(threshold.episodes, `${path}.episodes`), tier: tier(threshold.tier, `${path}.tier`) };
      }),
      notify: read.roles(lifetime.notify, 'lifetime.notify'),
    },
    repeatWithoutPlan: {
      episodes: read.positiveInteger(withoutPlan.episodes, 'repeatWithoutPlan.episodes'),
      windowDays: read.positiveInteger(withoutPlan.windowDays, 'repeatWithoutPlan.windowDays'),
      tier: tier(withoutPlan.tier, 'repeatWithoutPlan.tier'),
      notify: read.roles(withoutPlan.notify, 'repeatWithoutPlan.notify'),
    },
    highRisk: {
      tier: tier(highRisk.tier, 'highRisk.tier'),
      notify: read.roles(highRisk.notify, 'highRisk.notify'),
    },
    reviewOverdue: {
      intervalHours: Object.fromEntries(
        RISK_GRADES.map((grade) => [grade, read.positiveInteger(intervals[grade], `reviewOverdue.intervalHours.${grade}`)]),
      ) as Record<RiskGrade, number>,
      steps: read.list(review.steps, 'reviewOverdue.steps', (item, path) => {
        const step = read.object(item, path, ['tier', 'notify']);
        return { tier: tier(step.tier, `${path}.tier`), notify: read.roles(step.notify, `${path}.notify`) };
      }),
    },
    longMissing: {
      hours: read.positiveInteger(longMissing.hours, 'longMissing.hours'),
      tier: tier(longMissing.tier, 'longMissing.tier'),
      notify: read.roles(longMissing.notify, 'longMissing.notify'),
    },
    unacknowledged,
    returnInterviewOverdue: {
      hours: read.positiveInteger(interview.hours, 'returnInterviewOverdue.hours'),
      tier: tier(interview.tier, 'returnInterviewOverdue.tier'),
      notify: read.roles(interview.notify, 'returnInterviewOverdue.notify'),
    },
    meetingActionOverdue: {
      tier: tier(meetingAction.tier, 'meetingActionOverdue.tier'),
      notify: read.roles(meetingAction.notify, 'meetingActionOverdue.notify'),
    },
    cawnNotServed: {
      days: read.positiveInteger(cawn.days, 'cawnNotServed.days'),
      tier: tier(cawn.tier, 'cawnNotServed.tier'),
      notify: read.roles(cawn.notify, 'cawnNotServed.notify'),
    },
    linkedPeopleOrPlaces: {
      tier: tier(linked.tier, 'linkedPeopleOrPlaces.tier'),
      notify: read.roles(linked.notify, 'linkedPeopleOrPlaces.notify'),
      maxChildren: read.positiveInteger(linked.maxChildren, 'linkedPeopleOrPlaces.maxChildren'),
    },
  };

  // Each lifetime threshold is a new crossing only if it lies beyond the one before.
  policy.lifetime.thresholds.forEach(({ episodes }, index, thresholds) => {
    const before = thresholds[index - 1];
    if (before && episodes <= before.episodes) read.fail(`lifetime.thresholds[${index}].episodes`, `must be greater than ${before.episodes}`);
  });
  read.climbs(policy.lifetime.thresholds, 'lifetime.thresholds');
  read.climbs(policy.reviewOverdue.steps, 'reviewOverdue.steps');
  return policy;
}

/** Reads one value of the policy at a path, or fails with a line naming the path and the rule. */
class PolicyReader {
  constructor(private readonly source: string) {}

  /** `lifetime.thresholds[1].episodes must be greater than 10` */
  fail(path: string, reason: string): never {
    throw new EscalationPolicyError(`escalation policy ${this.source}: ${path ? `${path} ` : ''}${reason}`);
  }

  /** Unknown keys first: a misspelt key is a better clue than the "required" one it stands for. */
  object<K extends string>(value: unknown, path: string, keys: readonly K[]): Record<K, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `must be an object (got ${show(value)})`);
    }
    const unknownKey = Object.keys(value).find((key) => !(keys as readonly string[]).includes(key));
    if (unknownKey !== undefined) {
      throw new EscalationPolicyError(`escalation policy ${this.source}: ${path ? `${path}: ` : ''}unknown key ${JSON.stringify(unknownKey)}`);
    }
    const missing = keys.find((key) => !Object.hasOwn(value, key));
    if (missing !== undefined) this.fail(path ? `${path}.${missing}` : missing, 'is required');
    return value as Record<K, unknown>;
  }

  positiveInteger(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      this.fail(path, `must be a positive integer (got ${show(value)})`);
    }
    return value;
  }

  tier(value: unknown, path: string, maxTier: number): number {
    const tier = this.positiveInteger(value, path);
    if (tier > maxTier) this.fail(path, `must not be greater than unacknowledged.maxTier (${maxTier})`);
    return tier;
  }

  roles(value: unknown, path: string): RecipientRole[] {
    return this.list(value, path, (item, itemPath) => {
      if (!RECIPIENT_ROLES.includes(item as RecipientRole)) {
        this.fail(itemPath, `must be one of ${RECIPIENT_ROLES.join(', ')} (got ${show(item)})`);
      }
      return item as RecipientRole;
    });
  }

  names(value: unknown, path: string): string[] {
    return this.list(value, path, (item, itemPath) => {
      if (typeof item !== 'string' || item.trim() === '') this.fail(itemPath, `must be a non-empty string (got ${show(item)})`);
      return item;
    });
  }

  /** A non-empty list without repeats: a role notified twice would mean two e-mails for one escalation. */
  list<T>(value: unknown, path: string, readItem: (item: unknown, path: string) => T): T[] {
    if (!Array.isArray(value)) this.fail(path, `must be a list (got ${show(value)})`);
    if (value.length === 0) this.fail(path, 'must not be empty');
    return value.map((item: unknown, index) => {
      const read = readItem(item, `${path}[${index}]`);
      if (value.indexOf(item) !== index) this.fail(`${path}[${index}]`, `repeats ${show(item)}`);
      return read;
    });
  }

  /** Escalation only climbs (DOMAIN: "escalate a tier higher each time"; the supervisor, then a senior officer). */
  climbs(steps: readonly { tier: number }[], path: string): void {
    steps.forEach(({ tier }, index) => {
      const before = steps[index - 1];
      if (before && tier < before.tier) this.fail(`${path}[${index}].tier`, `must not be lower than ${before.tier}`);
    });
  }
}

const show = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

const oneLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
