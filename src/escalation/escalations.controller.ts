import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { childrenInScope } from '../access/child-districts';
import { Can } from '../access/permissions';
import { scopeOf } from '../access/scope';
import { ExecuteChildStreamCommands } from '../child-stream/execute-child-stream-commands.handler';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import type { CommandContext } from '../event-store/command-handling';
import { CommandCtx } from '../http/command-context.decorator';
import { CLOCK } from '../shared/clock';
import type { Clock } from '../shared/clock';
import { AcknowledgeEscalationDto, LATEST_LIMIT, LatestByChildQuery } from './dto';
import { EscalationRuntime } from './escalation.runtime';

@ApiTags('escalations')
@Controller('api')
export class EscalationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runtime: EscalationRuntime,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('escalations')
  @Can('read-escalations')
  escalations(@Query() query: LatestByChildQuery) {
    return this.db.query(
      `SELECT escalation_id AS "escalationId", child_id AS "childId", episode_id AS "episodeId", rule, tier, district,
              figures, cause, escalates, raised_at AS "raisedAt", notified,
              acknowledged_at AS "acknowledgedAt", acknowledged_by AS "acknowledgedBy"
         FROM rm_escalations WHERE $1::uuid IS NULL OR child_id = $1::uuid ORDER BY raised_at DESC LIMIT $2`,
      [query.childId ?? null, query.limit ?? LATEST_LIMIT],
    );
  }

  @Post('escalations/:escalationId/acknowledge')
  @HttpCode(200)
  @Can('acknowledge-escalation')
  async acknowledge(@Param('escalationId', ParseUUIDPipe) escalationId: string, @Body() body: AcknowledgeEscalationDto, @CommandCtx() context: CommandContext) {
    const now = this.clock.now().toISOString();
    await this.commands.execute(
      new ExecuteChildStreamCommands(
        { escalationId },
        [{ type: 'AcknowledgeEscalation', escalationId, acknowledgedBy: context.actor.userId, role: context.actor.role, note: body.note, now }],
        context,
      ),
    );
    return { escalationId, acknowledgedAt: now };
  }

  @Get('notifications/dead-letters')
  @Can('manage-notifications')
  deadLetters() {
    return this.runtime.notifications.deadLetters();
  }

  @Post('notifications/dead-letters/:jobId/retry')
  @HttpCode(202)
  @Can('manage-notifications')
  async retry(@Param('jobId') jobId: string, @CommandCtx() context: CommandContext) {
    const scope = scopeOf(context.actor);
    const inScope = async ({ childId }: { childId: string }) => (await childrenInScope(this.db, scope, [childId])).has(childId);
    try {
      await this.runtime.notifications.retryDeadLetter(jobId, inScope);
    } catch (error) {
      throw new NotFoundException((error as Error).message);
    }
    return { jobId, retried: true };
  }
}
