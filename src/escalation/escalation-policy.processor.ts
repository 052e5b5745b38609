import type { ChildReportedMissing, RiskAssessed } from '../child-case/child-case.events';
import { findEpisode } from '../child-case/child-case.state';
import type { ChildStreamCommand } from '../child-stream/child-stream';
import type { ChildStreamOutcome, StreamTarget } from '../child-stream/execute-child-stream-commands.handler';
import { childIdOfStream } from '../child-stream/followed-events';
import type { CommandContext } from '../event-store/command-handling';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import type { Processor } from '../event-store/subscriptions/consumer';
import { forEachStreamInOrder } from '../event-store/subscriptions/per-stream';
import type { Clock } from '../shared/clock';
import { readChildStream } from './child-stream-reader';
import type { EscalationPolicy, RuleOutcome } from './policy/escalation-policy';
import { evaluateRiskGrading } from './policy/evaluate-policy';
import { outcomesOfReport, ruleOutcomeCommand } from './rule-outcome-commands';

export type ExecuteChildStreamCommands = (
  target: StreamTarget,
  commands: ChildStreamCommand[],
  context: CommandContext,
) => Promise<ChildStreamOutcome>;

export const SYSTEM_ACTOR = { userId: 'system:escalation-policy', role: 'system', district: null };

/**
 * The machine that watches the counts: on every report and every grading it applies the policy
 * and issues the commands that follow (convene a meeting, raise an escalation). Command ids derive
 * from the triggering event and the rule, so replaying the log appends nothing new.
 */
export class EscalationPolicyProcessor implements Processor {
  readonly kind = 'processor';
  readonly name = 'escalation-policy';

  constructor(
    private readonly store: EventStore,
    private readonly execute: ExecuteChildStreamCommands,
    private readonly policy: EscalationPolicy,
    private readonly clock: Clock,
  ) {}

  async handle(events: RecordedEvent[]): Promise<void> {
    await forEachStreamInOrder(events, async (event) => {
      if (event.type === 'ChildReportedMissing') await this.onReported(event as RecordedEvent<Omit<ChildReportedMissing, 'type'>>);
      if (event.type === 'RiskAssessed') await this.onGraded(event as RecordedEvent<Omit<RiskAssessed, 'type'>>);
    });
  }

  private async onReported(event: RecordedEvent<Omit<ChildReportedMissing, 'type'>>): Promise<void> {
    const childId = childIdOfStream(event.stream);
    const view = await readChildStream(this.store, childId);
    // Whether the report crosses a threshold is judged on the case as it stood at the report, so a
    // replay judges it the same; what to do about it (a meeting already open?) on the case as it is.
    const outcomes = outcomesOfReport(this.policy, view.at(event.streamVersion), event.data, view.current.safeguarding.openMeetingId !== null);
    await this.apply(childId, event, event.data.episodeId, outcomes);
  }

  private async onGraded(event: RecordedEvent<Omit<RiskAssessed, 'type'>>): Promise<void> {
    const childId = childIdOfStream(event.stream);
    const view = await readChildStream(this.store, childId);
    const before = findEpisode(view.at(event.streamVersion - 1).childCase, event.data.episodeId);
    const outcomes = evaluateRiskGrading(this.policy, before?.riskGrade ?? null, event.data.grade);
    await this.apply(childId, event, event.data.episodeId, outcomes);
  }

  private async apply(childId: string, cause: RecordedEvent, episodeId: string, outcomes: RuleOutcome[]): Promise<void> {
    for (const outcome of outcomes) {
      const { commandId, command } = ruleOutcomeCommand(this.policy, cause.id, episodeId, outcome, this.clock.now().toISOString());
      await this.execute({ childId }, [command], { actor: SYSTEM_ACTOR, commandId, correlationId: cause.metadata.correlationId, causationId: cause.id });
    }
  }
}
