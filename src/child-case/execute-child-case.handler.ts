import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { CommandContext, CommandOutcome, handleCommand } from '../event-store/command-handling';
import { EVENT_STORE } from '../event-store/event-store.port';
import type { EventStore } from '../event-store/event-store.port';
import { recordInDirectory } from '../children/child-summary.projection';
import { refuseNotFound } from '../shared/refusal';
import { ChildCaseCommand } from './child-case.commands';
import { decide } from './child-case.decider';
import { ChildCaseEvent, childStream } from './child-case.events';
import { ChildCase, evolve, initialChildCase } from './child-case.state';

/** Where a command goes: a child, or an episode whose child is looked up. */
export type CaseTarget = { childId: string } | { episodeId: string };

/**
 * Runs one or more child-case commands against a child's stream, decided in order on the
 * evolving state and stored in one append (e.g. register a child and report it missing).
 */
export class ExecuteChildCaseCommands {
  constructor(
    readonly target: CaseTarget,
    readonly commands: ChildCaseCommand[],
    readonly context: CommandContext,
  ) {}
}

export type ChildCaseOutcome = CommandOutcome<ChildCase, ChildCaseEvent> & { childId: string };

const decideInOrder = (commands: ChildCaseCommand[], state: ChildCase): ChildCaseEvent[] => {
  const events: ChildCaseEvent[] = [];
  for (const command of commands) {
    const decided = decide(command, state);
    events.push(...decided);
    state = decided.reduce(evolve, state);
  }
  return events;
};

@CommandHandler(ExecuteChildCaseCommands)
export class ExecuteChildCaseCommandsHandler implements ICommandHandler<ExecuteChildCaseCommands, ChildCaseOutcome> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  async execute({ target, commands, context }: ExecuteChildCaseCommands): Promise<ChildCaseOutcome> {
    const childId = 'childId' in target ? target.childId : await this.childOfEpisode(target.episodeId);
    const outcome = await handleCommand(
      this.store,
      childStream(childId),
      { initialState: initialChildCase, evolve, decide: decideInOrder },
      commands,
      context,
    );
    for (const event of outcome.events) {
      if (event.type === 'ChildReportedMissing') await recordInDirectory(this.db, event.episodeId, childId);
    }
    return { ...outcome, childId };
  }

  private async childOfEpisode(episodeId: string): Promise<string> {
    const [row] = await this.db.query<{ child_id: string }>('SELECT child_id FROM episode_directory WHERE episode_id = $1', [
      episodeId,
    ]);
    if (!row) throw refuseNotFound(`episode ${episodeId} does not exist`);
    return row.child_id;
  }
}
