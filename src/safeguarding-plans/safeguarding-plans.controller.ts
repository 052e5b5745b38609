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
import {
  AgreedActionDto,
  CloseSafeguardingPlanDto,
  CompleteActionDto,
  CreateSafeguardingPlanDto,
  ReviewSafeguardingPlanDto,
} from './dto/safeguarding-plan.dto';
import type { SafeguardingPlanCommand } from './safeguarding-plan.commands';
import { listSafeguardingPlans } from './safeguarding-plans.projection';

const uuid = new ParseUUIDPipe();

/** A child's safeguarding plan: created, actions, reviews, closed. */
@ApiTags('safeguarding plans')
@Controller('api/safeguarding-plans')
export class SafeguardingPlansController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Can('manage-safeguarding-plans')
  async create(@Body() body: CreateSafeguardingPlanDto, @CommandCtx() context: CommandContext) {
    const planId = idCreatedBy(context.commandId, 'plan');
    const { childId, concerns } = body;
    const createdBy = context.actor.userId;
    await this.run({ childId }, { type: 'CreateSafeguardingPlan', planId, childId, concerns, createdBy, now: this.now() }, context);
    return { planId, childId };
  }

  @Post(':planId/actions')
  @Can('manage-safeguarding-plans')
  async addAction(@Param('planId', uuid) planId: string, @Body() body: AgreedActionDto, @CommandCtx() context: CommandContext) {
    const actionId = idCreatedBy(context.commandId, 'action');
    await this.run({ planId }, { type: 'AddPlanAction', planId, actionId, ...body, now: this.now() }, context);
    return { planId, actionId };
  }

  @Post(':planId/actions/:actionId/complete')
  @HttpCode(200)
  @Can('manage-safeguarding-plans')
  completeAction(
    @Param('planId', uuid) planId: string,
    @Param('actionId', uuid) actionId: string,
    @Body() body: CompleteActionDto,
    @CommandCtx() context: CommandContext,
  ) {
    const completedBy = context.actor.userId;
    return this.run({ planId }, { type: 'CompletePlanAction', planId, actionId, completedBy, note: body.note, now: this.now() }, context);
  }

  @Post(':planId/reviews')
  @Can('manage-safeguarding-plans')
  async review(@Param('planId', uuid) planId: string, @Body() body: ReviewSafeguardingPlanDto, @CommandCtx() context: CommandContext) {
    const reviewId = idCreatedBy(context.commandId, 'review');
    const { summary, nextReviewDate } = body;
    const reviewedBy = context.actor.userId;
    await this.run({ planId }, { type: 'ReviewSafeguardingPlan', planId, reviewId, reviewedBy, summary, nextReviewDate, now: this.now() }, context);
    return { planId, reviewId };
  }

  @Post(':planId/close')
  @HttpCode(200)
  @Can('manage-safeguarding-plans')
  close(@Param('planId', uuid) planId: string, @Body() body: CloseSafeguardingPlanDto, @CommandCtx() context: CommandContext) {
    const closedBy = context.actor.userId;
    return this.run({ planId }, { type: 'CloseSafeguardingPlan', planId, closedBy, reason: body.reason, now: this.now() }, context);
  }

  @Get()
  @Can('read-safeguarding-plans')
  list(@Query() query: ByChildQuery) {
    return listSafeguardingPlans(this.db, query.childId ?? null);
  }

  private async run(target: { childId: string } | { planId: string }, command: SafeguardingPlanCommand, context: CommandContext) {
    const outcome = await executeOnChildStream(this.commands, target, [command], context);
    return { childId: outcome.childId, recorded: outcome.events.map((event) => event.type) };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
