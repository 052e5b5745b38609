import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Can } from '../access/permissions';
import { executeOnChildStream } from '../child-stream/execute-child-stream-commands.handler';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { ByChildQuery } from '../escalation/dto';
import { type CommandContext, idCreatedBy } from '../event-store/command-handling';
import { CommandCtx } from '../http/command-context.decorator';
import { CLOCK } from '../shared/clock';
import type { Clock } from '../shared/clock';
import { RecommendWarningNoticeDto, ServeWarningNoticeDto } from './dto/warning-notice.dto';
import { listWarningNotices } from './warning-notices.projection';

const uuid = new ParseUUIDPipe();

/** Child abduction warning notices: recommended against an adult for a child, then served. */
@ApiTags('warning notices')
@Controller('api/warning-notices')
export class WarningNoticesController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Can('manage-warning-notices')
  async recommend(@Body() body: RecommendWarningNoticeDto, @CommandCtx() context: CommandContext) {
    const noticeId = idCreatedBy(context.commandId, 'notice');
    const now = this.now();
    const { childId, against, reason, recommendedAt = now } = body;
    const recommendedBy = context.actor.userId;
    const command = { type: 'RecommendWarningNotice' as const, noticeId, childId, against, reason, recommendedBy, recommendedAt, now };
    await executeOnChildStream(this.commands, { childId }, [command], context);
    return { noticeId, childId };
  }

  @Post(':noticeId/serve')
  @HttpCode(200)
  @Can('manage-warning-notices')
  async serve(@Param('noticeId', uuid) noticeId: string, @Body() body: ServeWarningNoticeDto, @CommandCtx() context: CommandContext) {
    const now = this.now();
    const { servedAt = now, servedBy = context.actor.userId, note } = body;
    const command = { type: 'ServeWarningNotice' as const, noticeId, servedAt, servedBy, note, now };
    const outcome = await executeOnChildStream(this.commands, { noticeId }, [command], context);
    return { noticeId, childId: outcome.childId, recorded: outcome.events.map((event) => event.type) };
  }

  @Get()
  @Can('read-warning-notices')
  list(@Query() query: ByChildQuery) {
    return listWarningNotices(this.db, query.childId ?? null);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
