import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { POLICY } from './escalation-policy.fixtures';
import { EscalationPolicyError, loadEscalationPolicy, parseEscalationPolicy } from './load-escalation-policy';

const SOURCE = 'config/escalation-policy.json';

/** An edit may turn any part of the policy into anything: that is what these specs are about. */
type Json = any;

/** The defaults as JSON, with one change made by `edit`: each test shows only what is wrong. */
const policyWith = (edit: (json: Json) => void): unknown => {
  const json = structuredClone(POLICY);
  edit(json);
  return json;
};
const problemWith = (json: unknown): string => {
  try {
    parseEscalationPolicy(json, SOURCE);
  } catch (error) {
    expect(error).toBeInstanceOf(EscalationPolicyError);
    return (error as Error).message;
  }
  throw new Error('the policy was accepted');
};

describe('loadEscalationPolicy', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'escalation-policy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('loads the shipped config/escalation-policy.json: the DOMAIN defaults', () => {
    // Jest runs from the project root, where the service also finds config/.
    expect(loadEscalationPolicy(resolve('config/escalation-policy.json'))).toEqual(POLICY);
  });

  it('refuses a file that is not JSON, in one line naming the file', () => {
    const path = file('broken.json', '{\n  "repeatInWindow": {\n    "episodes": 3,\n  }\n}\n');
    expect(() => loadEscalationPolicy(path)).toThrow(EscalationPolicyError);
    expect(() => loadEscalationPolicy(path)).toThrow(new RegExp(`^escalation policy ${path}: not valid JSON \\([^\\n]+\\)$`));
  });

  it('refuses a file that is not there', () => {
    const path = join(dir, 'missing.json');
    expect(() => loadEscalationPolicy(path)).toThrow(new EscalationPolicyError(`escalation policy ${path}: file not found`));
  });

  it('names the file it was given in every problem', () => {
    const path = file('zero.json', JSON.stringify(policyWith((json) => (json.longMissing.hours = 0))));
    expect(() => loadEscalationPolicy(path)).toThrow(`escalation policy ${path}: longMissing.hours must be a positive integer (got 0)`);
  });
});

describe('parseEscalationPolicy', () => {
  it('accepts the defaults and builds a fresh policy from them', () => {
    const json = policyWith(() => undefined);
    const policy = parseEscalationPolicy(json, SOURCE);
    expect(policy).toEqual(POLICY);
    expect(policy.lifetime.thresholds).not.toBe((json as typeof POLICY).lifetime.thresholds);
  });

  it.each<[string, (json: Json) => void, string]>([
    // unknown keys: a typo must not silently fall back to nothing
    ['an unknown key in a rule', (j) => (j.repeatInWindow.episode = 3), 'repeatInWindow: unknown key "episode"'],
    ['a misspelt key, named before the one it stands for', (j) => { j.repeatInWindow.episode = j.repeatInWindow.episodes; delete j.repeatInWindow.episodes; }, 'repeatInWindow: unknown key "episode"'],
    ['an unknown rule', (j) => (j.repeatInAMonth = {}), 'unknown key "repeatInAMonth"'],
    ['an unknown grade', (j) => (j.reviewOverdue.intervalHours.urgent = 1), 'reviewOverdue.intervalHours: unknown key "urgent"'],
    ['an unknown key in a threshold', (j) => (j.lifetime.thresholds[2].notify = []), 'lifetime.thresholds[2]: unknown key "notify"'],
    // missing pieces
    ['a missing rule', (j) => delete j.lifetime, 'lifetime is required'],
    ['a missing grade', (j) => delete j.reviewOverdue.intervalHours.low, 'reviewOverdue.intervalHours.low is required'],
    ['a missing field', (j) => delete j.highRisk.tier, 'highRisk.tier is required'],
    ['a rule that is not an object', (j) => (j.highRisk = 'yes'), 'highRisk must be an object (got "yes")'],
    // numbers
    ['a zero window', (j) => (j.repeatInWindow.windowDays = 0), 'repeatInWindow.windowDays must be a positive integer (got 0)'],
    ['a negative count', (j) => (j.repeatWithoutPlan.episodes = -3), 'repeatWithoutPlan.episodes must be a positive integer (got -3)'],
    ['a fraction of an hour', (j) => (j.reviewOverdue.intervalHours.high = 0.5), 'reviewOverdue.intervalHours.high must be a positive integer (got 0.5)'],
    ['a number as a string', (j) => (j.unacknowledged.hours = '24'), 'unacknowledged.hours must be a positive integer (got "24")'],
    ['a null', (j) => (j.longMissing.hours = null), 'longMissing.hours must be a positive integer (got null)'],
    // tiers
    ['a tier 0', (j) => (j.highRisk.tier = 0), 'highRisk.tier must be a positive integer (got 0)'],
    ['a tier above maxTier', (j) => (j.lifetime.thresholds[2].tier = 4), 'lifetime.thresholds[2].tier must not be greater than unacknowledged.maxTier (3)'],
    ['a review step lower than the one before', (j) => (j.reviewOverdue.steps[0].tier = 3), 'reviewOverdue.steps[1].tier must not be lower than 3'],
    ['a threshold at a lower tier than the one before', (j) => (j.lifetime.thresholds[0].tier = 3), 'lifetime.thresholds[1].tier must not be lower than 3'],
    // thresholds
    ['a threshold equal to the one before', (j) => (j.lifetime.thresholds[1].episodes = 10), 'lifetime.thresholds[1].episodes must be greater than 10'],
    ['thresholds out of order', (j) => (j.lifetime.thresholds[2].episodes = 15), 'lifetime.thresholds[2].episodes must be greater than 20'],
    ['no thresholds', (j) => (j.lifetime.thresholds = []), 'lifetime.thresholds must not be empty'],
    ['no review steps', (j) => (j.reviewOverdue.steps = {}), 'reviewOverdue.steps must be a list (got {})'],
    // recipients and agencies
    ['an unknown recipient role', (j) => (j.highRisk.notify = ['inspector']), 'highRisk.notify[0] must be one of supervisor, senior-officer, lscb-lead, coordinator (got "inspector")'],
    ['a role notified twice', (j) => j.lifetime.notify.push('lscb-lead'), 'lifetime.notify[2] repeats "lscb-lead"'],
    ['nobody to notify', (j) => (j.longMissing.notify = []), 'longMissing.notify must not be empty'],
    ['a blank agency', (j) => (j.repeatInWindow.agencies[1] = ' '), 'repeatInWindow.agencies[1] must be a non-empty string (got " ")'],
    // the casework rules
    ['no return interview rule', (j) => delete j.returnInterviewOverdue, 'returnInterviewOverdue is required'],
    ['a return interview window of 0 hours', (j) => (j.returnInterviewOverdue.hours = 0), 'returnInterviewOverdue.hours must be a positive integer (got 0)'],
    ['a return interview told to nobody', (j) => (j.returnInterviewOverdue.notify = []), 'returnInterviewOverdue.notify must not be empty'],
    ['an unknown key in the meeting action rule', (j) => (j.meetingActionOverdue.hours = 24), 'meetingActionOverdue: unknown key "hours"'],
    ['a meeting action tier above maxTier', (j) => (j.meetingActionOverdue.tier = 4), 'meetingActionOverdue.tier must not be greater than unacknowledged.maxTier (3)'],
    ['a CAWN window in hours', (j) => { j.cawnNotServed.hours = 168; delete j.cawnNotServed.days; }, 'cawnNotServed: unknown key "hours"'],
    ['a CAWN window of a fraction of a day', (j) => (j.cawnNotServed.days = 0.5), 'cawnNotServed.days must be a positive integer (got 0.5)'],
    ['an unknown role told of a CAWN', (j) => (j.cawnNotServed.notify = ['sergeant']), 'cawnNotServed.notify[0] must be one of supervisor, senior-officer, lscb-lead, coordinator (got "sergeant")'],
  ])('refuses %s, naming the rule and the field', (_, edit, problem) => {
    expect(problemWith(policyWith(edit))).toBe(`escalation policy ${SOURCE}: ${problem}`);
  });

  it.each([
    ['an array', [], 'must be an object (got [])'],
    ['nothing', null, 'must be an object (got null)'],
  ])('refuses a policy that is %s', (_, json, problem) => {
    expect(problemWith(json)).toBe(`escalation policy ${SOURCE}: ${problem}`);
  });
});
