import type { RiskGrade } from '../child-case/child-case.events';
import type { ChildStream } from '../child-stream/child-stream';
import { idCreatedBy } from '../event-store/command-handling';
import type { ApplyRuleOutcome } from './escalation.commands';
import type { EscalationPolicy, RecipientRole, RuleOutcome } from './policy/escalation-policy';
import { evaluateEpisodeRules, evaluateRiskGrading } from './policy/evaluate-policy';

/**
 * What the policy makes of a report: its episode against the episode rules, judged on the case as
 * it stood at the report (so a replay judges it the same), and its initial grade. `meetingOpen`:
 * whether a meeting is open now, which decides what to do about a crossing.
 */
export function outcomesOfReport(
  policy: EscalationPolicy,
  atReport: ChildStream,
  report: { episodeId: string; initialRisk?: RiskGrade },
  meetingOpen: boolean,
): RuleOutcome[] {
  const episodes = Object.values(atReport.childCase.episodes).map((e) => ({
    episodeId: e.episodeId,
    missingSince: e.missingSince,
    cancelled: e.status === 'cancelled',
  }));
  const outcomes = evaluateEpisodeRules(policy, episodes, report.episodeId, { meetingOpen, activePlan: atReport.safeguarding.activePlan });
  if (report.initialRisk) outcomes.push(...evaluateRiskGrading(policy, null, report.initialRisk));
  return outcomes;
}

/** The command that applies one outcome, its id and the ids it creates derived from the event that caused it. */
export function ruleOutcomeCommand(
  policy: EscalationPolicy,
  causeId: string,
  episodeId: string,
  outcome: RuleOutcome,
  now: string,
): { commandId: string; command: ApplyRuleOutcome } {
  const key = `${outcome.rule}/${outcome.kind}`;
  return {
    commandId: idCreatedBy(causeId, `command/${key}`),
    command: {
      type: 'ApplyRuleOutcome',
      outcome,
      episodeId,
      meetingId: idCreatedBy(causeId, 'meeting'),
      escalationId: idCreatedBy(causeId, `escalation/${key}`),
      notify: recipientsOf(policy, outcome),
      agencies: policy.repeatInWindow.agencies,
      cause: causeId,
      now,
    },
  };
}

function recipientsOf(policy: EscalationPolicy, outcome: RuleOutcome): RecipientRole[] {
  switch (outcome.rule) {
    case 'repeat-in-window':
      return policy.repeatInWindow.notify;
    case 'lifetime':
      return policy.lifetime.notify;
    case 'repeat-without-plan':
      return policy.repeatWithoutPlan.notify;
    case 'high-risk':
      return policy.highRisk.notify;
  }
}
