import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { recordInDirectory } from '../children/child-summary.projection';
import { childStream } from '../child-case/child-case.events';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { type CommandContext, type CommandOutcome, handleCommand } from '../event-store/command-handling';
import { EVENT_STORE } from '../event-store/event-store.port';
import type { EventStore } from '../event-store/event-store.port';
import { refuseNotFound } from '../shared/refusal';
import {
  type ChildStream,
  type ChildStreamCommand,
  type ChildStreamEvent,
  decideInOrder,
  evolveChildStream,
  initialChildStream,
} from './child-stream';

/** Where a command goes: a child, or an episode or escalation whose child is looked up. */
export type StreamTarget = { childId: string } | { episodeId: string } | { escalationId: string };

/**
 * Runs one or more commands against a child's stream, decided in order on the evolving state and
 * stored in one append (e.g. register a child and report it missing).
 */
export class ExecuteChildStreamCommands {
  constructor(
    readonly target: StreamTarget,
    readonly commands: ChildStreamCommand[],
    readonly context: CommandContext,
  ) {}
}

export type ChildStreamOutcome = CommandOutcome<ChildStream, ChildStreamEvent> & { childId: string };

@CommandHandler(ExecuteChildStreamCommands)
export class ExecuteChildStreamCommandsHandler implements ICommandHandler<ExecuteChildStreamCommands, ChildStreamOutcome> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  async execute({ target, commands, context }: ExecuteChildStreamCommands): Promise<ChildStreamOutcome> {
    const childId = await this.childOf(target);
    const outcome = await handleCommand(
      this.store,
      childStream(childId),
      { initialState: initialChildStream, evolve: evolveChildStream, decide: decideInOrder },
      commands,
      context,
    );
    for (const event of outcome.events) {
      if (event.type === 'ChildReportedMissing') await recordInDirectory(this.db, 'episode', event.episodeId, childId);
      if (event.type === 'EscalationRaised') await recordInDirectory(this.db, 'escalation', event.escalationId, childId);
    }
    return { ...outcome, childId };
  }

  private async childOf(target: StreamTarget): Promise<string> {
    if ('childId' in target) return target.childId;
    const [kind, id] = 'episodeId' in target ? ['episode', target.episodeId] : ['escalation', target.escalationId];
    const [row] = await this.db.query<{ child_id: string }>('SELECT child_id FROM stream_directory WHERE kind = $1 AND id = $2', [kind, id]);
    if (!row) throw refuseNotFound(`${kind} ${id} does not exist`);
    return row.child_id;
  }
}
