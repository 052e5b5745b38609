import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Can } from '../access/permissions';
import { executeOnChildStream } from '../child-stream/execute-child-stream-commands.handler';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { LatestByChildQuery } from '../escalation/dto';
import { EscalationRuntime } from '../escalation/escalation.runtime';
import { type CommandContext, idCreatedBy } from '../event-store/command-handling';
import { CommandCtx } from '../http/command-context.decorator';
import { AgreedActionDto, CompleteActionDto } from '../safeguarding-plans/dto/safeguarding-plan.dto';
import { CLOCK } from '../shared/clock';
import type { Clock } from '../shared/clock';
import { CallStrategyMeetingDto, CloseStrategyMeetingDto, MeetingDecisionDto, MeetingHeldDto, MeetingOutcomeDto } from './dto/strategy-meeting.dto';
import type { StrategyMeetingCommand } from './strategy-meeting.commands';
import { listStrategyMeetings } from './strategy-meetings.projection';

const uuid = new ParseUUIDPipe();

/** Strategy meetings, convened by the policy or called by hand: held, decisions, actions, outcome, closed. */
@ApiTags('strategy meetings')
@Controller('api/strategy-meetings')
export class StrategyMeetingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runtime: EscalationRuntime,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Can('manage-strategy-meetings')
  async call(@Body() body: CallStrategyMeetingDto, @CommandCtx() context: CommandContext) {
    const meetingId = idCreatedBy(context.commandId, 'meeting');
    const { childId, reason, agencies = this.runtime.policy.repeatInWindow.agencies } = body;
    const calledBy = context.actor.userId;
    await this.run({ childId }, { type: 'CallStrategyMeeting', meetingId, childId, reason, agencies, calledBy, now: this.now() }, context);
    return { meetingId, childId };
  }

  @Post(':meetingId/held')
  @HttpCode(200)
  @Can('manage-strategy-meetings')
  held(@Param('meetingId', uuid) meetingId: string, @Body() body: MeetingHeldDto, @CommandCtx() context: CommandContext) {
    const plain = <T extends object>(items: T[] = []) => items.map((item) => ({ ...item }));
    const [attendees, absentees] = [plain(body.attendees), plain(body.absentees)];
    return this.run({ meetingId }, { type: 'RecordMeetingHeld', meetingId, heldAt: body.heldAt, attendees, absentees, now: this.now() }, context);
  }

  @Post(':meetingId/decisions')
  @Can('manage-strategy-meetings')
  async recordDecision(@Param('meetingId', uuid) meetingId: string, @Body() body: MeetingDecisionDto, @CommandCtx() context: CommandContext) {
    const decisionId = idCreatedBy(context.commandId, 'decision');
    await this.run({ meetingId }, { type: 'RecordMeetingDecision', meetingId, decisionId, ...body, now: this.now() }, context);
    return { meetingId, decisionId };
  }

  @Post(':meetingId/actions')
  @Can('manage-strategy-meetings')
  async agreeAction(@Param('meetingId', uuid) meetingId: string, @Body() body: AgreedActionDto, @CommandCtx() context: CommandContext) {
    const actionId = idCreatedBy(context.commandId, 'action');
    await this.run({ meetingId }, { type: 'AgreeMeetingAction', meetingId, actionId, ...body, now: this.now() }, context);
    return { meetingId, actionId };
  }

  @Post(':meetingId/actions/:actionId/complete')
  @HttpCode(200)
  @Can('manage-strategy-meetings')
  completeAction(
    @Param('meetingId', uuid) meetingId: string,
    @Param('actionId', uuid) actionId: string,
    @Body() body: CompleteActionDto,
    @CommandCtx() context: CommandContext,
  ) {
    const completedBy = context.actor.userId;
    return this.run({ meetingId }, { type: 'CompleteMeetingAction', meetingId, actionId, completedBy, note: body.note, now: this.now() }, context);
  }

  @Post(':meetingId/outcome')
  @HttpCode(200)
  @Can('manage-strategy-meetings')
  outcome(@Param('meetingId', uuid) meetingId: string, @Body() body: MeetingOutcomeDto, @CommandCtx() context: CommandContext) {
    return this.run({ meetingId }, { type: 'RecordMeetingOutcome', meetingId, ...body, now: this.now() }, context);
  }

  @Post(':meetingId/close')
  @HttpCode(200)
  @Can('manage-strategy-meetings')
  close(@Param('meetingId', uuid) meetingId: string, @Body() body: CloseStrategyMeetingDto, @CommandCtx() context: CommandContext) {
    const closedBy = context.actor.userId;
    return this.run({ meetingId }, { type: 'CloseStrategyMeeting', meetingId, closedBy, note: body.note, now: this.now() }, context);
  }

  @Get()
  @Can('read-strategy-meetings')
  list(@Query() query: LatestByChildQuery) {
    return listStrategyMeetings(this.db, { childId: query.childId ?? null, limit: query.limit });
  }

  private async run(target: { childId: string } | { meetingId: string }, command: StrategyMeetingCommand, context: CommandContext) {
    const outcome = await executeOnChildStream(this.commands, target, [command], context);
    return { childId: outcome.childId, recorded: outcome.events.map((event) => event.type) };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
