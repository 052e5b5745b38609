import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiExtraModels, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Can } from '../access/permissions';
import { executeOnChildStream } from '../child-stream/execute-child-stream-commands.handler';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { ByChildQuery } from '../escalation/dto';
import { EscalationRuntime } from '../escalation/escalation.runtime';
import type { CommandContext } from '../event-store/command-handling';
import { CommandCtx } from '../http/command-context.decorator';
import { parseDiscriminated } from '../http/discriminated-body';
import { CLOCK } from '../shared/clock';
import type { Clock } from '../shared/clock';
import type { ReturnWorkCommand } from './return-work.commands';
import { listReturnInterviews } from './return-work.queries';
import { INTERVIEW_OUTCOMES, InterviewCompletedDto, InterviewDeclinedDto, InterviewOfferedDto, SafeAndWellCheckDto } from './dto/return-work.dto';

const uuid = new ParseUUIDPipe();
type InterviewOutcomeDto = InterviewOfferedDto | InterviewCompletedDto | InterviewDeclinedDto;

/** The casework after a return: the police safe-and-well check and the independent return home interview. */
@ApiTags('return work')
@ApiExtraModels(InterviewOfferedDto, InterviewCompletedDto, InterviewDeclinedDto)
@Controller('api')
export class ReturnWorkController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runtime: EscalationRuntime,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('episodes/:episodeId/safe-and-well-check')
  @Can('record-safe-and-well-check')
  safeAndWellCheck(@Param('episodeId', uuid) episodeId: string, @Body() body: SafeAndWellCheckDto, @CommandCtx() context: CommandContext) {
    const now = this.now();
    const { checkedAt = now, checkedBy = context.actor.userId, ...check } = body;
    return this.onEpisode(episodeId, { type: 'RecordSafeAndWellCheck', episodeId, checkedAt, checkedBy, ...check, now }, context);
  }

  @Post('episodes/:episodeId/return-interviews')
  @Can('record-return-interview')
  @ApiBody({
    description: 'What happened to the interview, by `outcome`',
    schema: {
      oneOf: Object.values(INTERVIEW_OUTCOMES).map((dto) => ({ $ref: getSchemaPath(dto) })),
      discriminator: {
        propertyName: 'outcome',
        mapping: Object.fromEntries(Object.entries(INTERVIEW_OUTCOMES).map(([outcome, dto]) => [outcome, getSchemaPath(dto)])),
      },
    },
  })
  returnInterview(@Param('episodeId', uuid) episodeId: string, @Body() body: Record<string, unknown>, @CommandCtx() context: CommandContext) {
    const dto = parseDiscriminated(body, 'outcome', INTERVIEW_OUTCOMES);
    const now = this.now();
    return this.onEpisode(episodeId, this.interviewCommand(episodeId, dto, now), context);
  }

  @Get('return-interviews')
  @Can('read-return-work')
  list(@Query() query: ByChildQuery) {
    return listReturnInterviews(this.db, query.childId ?? null, this.clock.now(), this.runtime.policy.returnInterviewOverdue.hours);
  }

  /** Times default to now: most outcomes are recorded as they happen. */
  private interviewCommand(episodeId: string, dto: InterviewOutcomeDto, now: string): ReturnWorkCommand {
    switch (dto.outcome) {
      case 'offered': {
        const { offeredAt = now, offeredBy, note } = dto;
        return { type: 'OfferReturnInterview', episodeId, offeredAt, offeredBy, note, now };
      }
      case 'completed': {
        const { completedAt = now, interviewer, findings } = dto;
        return { type: 'CompleteReturnInterview', episodeId, completedAt, interviewer, findings: { ...findings }, now };
      }
      case 'declined': {
        const { declinedAt = now, declinedBy, reason } = dto;
        return { type: 'DeclineReturnInterview', episodeId, declinedAt, declinedBy, reason, now };
      }
    }
  }

  private async onEpisode(episodeId: string, command: ReturnWorkCommand, context: CommandContext) {
    const outcome = await executeOnChildStream(this.commands, { episodeId }, [command], context);
    return { episodeId, childId: outcome.childId, recorded: outcome.events.map((event) => event.type) };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
