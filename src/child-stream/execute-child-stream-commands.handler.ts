import { Inject } from '@nestjs/common';
import { type CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { childStream } from '../child-case/child-case.events';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { type CommandContext, type CommandOutcome, handleCommand, idCreatedBy } from '../event-store/command-handling';
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
import type { DirectoryKind } from './child-stream-slice';
import { LookupsAfterAppend } from './lookups-after-append';

/** The ids a command can be addressed by instead of the child's, and the directory kind of each. */
const TARGET_KINDS = {
  episodeId: 'episode',
  escalationId: 'escalation',
  planId: 'plan',
  meetingId: 'meeting',
  noticeId: 'notice',
} as const satisfies Record<string, DirectoryKind>;

type TargetKey = keyof typeof TARGET_KINDS;

/** Where a command goes: a child, or an object (episode, escalation, plan...) whose child is looked up. */
export type StreamTarget = { childId: string } | { [K in TargetKey]: { [P in K]: string } }[TargetKey];

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
  private readonly lookups: LookupsAfterAppend;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {
    this.lookups = new LookupsAfterAppend(db);
  }

  async execute({ target, commands, context }: ExecuteChildStreamCommands): Promise<ChildStreamOutcome> {
    const childId = await this.childOf(target);
    const outcome = await handleCommand(
      this.store,
      childStream(childId),
      { initialState: initialChildStream, evolve: evolveChildStream, decide: decideInOrder },
      commands,
      context,
      { createsStream: registersNewChild(childId, commands, context) },
    );
    // Right after the append, so the next command on the new object finds it at once, and the access
    // checks see the child's districts (the projections fill both too).
    await this.lookups.record(childId, outcome.events);
    return { ...outcome, childId };
  }

  private async childOf(target: StreamTarget): Promise<string> {
    if ('childId' in target) return target.childId;
    const key = Object.keys(target)[0] as TargetKey;
    const [kind, id] = [TARGET_KINDS[key], (target as Record<TargetKey, string>)[key]];
    const [row] = await this.db.query<{ child_id: string }>('SELECT child_id FROM stream_directory WHERE kind = $1 AND id = $2', [kind, id]);
    if (!row) throw refuseNotFound(`${kind} ${id} does not exist`);
    return row.child_id;
  }
}

/**
 * The commands start by registering a child whose id this very command created (a child given
 * inline with a report, or registered on its own): its stream cannot exist unless an earlier try of
 * the same command stored it, which the append finds out (handleCommand's createsStream).
 */
const registersNewChild = (childId: string, commands: ChildStreamCommand[], context: CommandContext): boolean =>
  commands[0]?.type === 'RegisterChild' && childId === idCreatedBy(context.commandId, 'child');

/** What a controller calls: the commands run on the target's child stream through the bus. */
export const executeOnChildStream = (bus: CommandBus, target: StreamTarget, commands: ChildStreamCommand[], context: CommandContext) =>
  bus.execute<ExecuteChildStreamCommands, ChildStreamOutcome>(new ExecuteChildStreamCommands(target, commands, context));
