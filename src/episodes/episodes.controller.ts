import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Can } from '../access/permissions';
import { ChildCaseCommand } from '../child-case/child-case.commands';
import { ChildStreamOutcome, ExecuteChildStreamCommands } from '../child-stream/execute-child-stream-commands.handler';
import { ChildQueries } from '../children/child-queries';
import { requireKnownDistrict } from '../children/children.controller';
import { Configuration } from '../config/configuration';
import { idCreatedBy } from '../event-store/command-handling';
import type { CommandContext } from '../event-store/command-handling';
import { CommandCtx } from '../http/command-context.decorator';
import { InvalidRequest } from '../http/validation';
import { CLOCK } from '../shared/clock';
import type { Clock } from '../shared/clock';
import {
  AssessRiskDto,
  CancelEpisodeDto,
  CloseEpisodeDto,
  NameAssociateDto,
  NameLocationDto,
  RecordReturnDto,
  RecordSightingDto,
  ReportMissingDto,
} from './dto/episode.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('episodes')
@Controller('api/episodes')
export class EpisodesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly children: ChildQueries,
    private readonly config: Configuration,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Can('report-missing')
  async report(@Body() body: ReportMissingDto, @CommandCtx() context: CommandContext) {
    const { childId: existingChildId, child, ...report } = body;
    if (!existingChildId === !child) {
      throw new InvalidRequest([{ field: 'childId', reason: 'give either childId (a registered child) or child (details to register)' }]);
    }
    if (child) requireKnownDistrict(this.config, child.localAuthority, 'child.localAuthority');
    const childId = existingChildId ?? idCreatedBy(context.commandId, 'child');
    const district = report.district ?? context.actor.district ?? child?.localAuthority ?? (await this.children.localAuthorityOf(childId));
    if (!district) throw new InvalidRequest([{ field: 'district', reason: 'district is required: the reporting district' }]);
    requireKnownDistrict(this.config, district, 'district');
    const episodeId = idCreatedBy(context.commandId, 'episode');
    const now = this.now();
    const commands: ChildCaseCommand[] = [
      ...(child ? [{ type: 'RegisterChild' as const, childId, profile: { ...child }, now }] : []),
      { type: 'ReportChildMissing', childId, episodeId, ...report, district, now },
    ];
    await this.run({ childId }, commands, context);
    return { episodeId, childId };
  }

  @Post(':episodeId/risk-assessments')
  @Can('assess-risk')
  assessRisk(@Param('episodeId', uuid) episodeId: string, @Body() body: AssessRiskDto, @CommandCtx() context: CommandContext) {
    return this.onEpisode(episodeId, { type: 'AssessRisk', episodeId, ...body, assessedBy: context.actor.userId, now: this.now() }, context);
  }

  @Post(':episodeId/sightings')
  @Can('record-enquiry')
  async recordSighting(@Param('episodeId', uuid) episodeId: string, @Body() body: RecordSightingDto, @CommandCtx() context: CommandContext) {
    const sightingId = idCreatedBy(context.commandId, 'sighting');
    await this.onEpisode(episodeId, { type: 'RecordSighting', episodeId, sightingId, ...body, now: this.now() }, context);
    return { episodeId, sightingId };
  }

  @Post(':episodeId/associates')
  @Can('record-enquiry')
  async nameAssociate(@Param('episodeId', uuid) episodeId: string, @Body() body: NameAssociateDto, @CommandCtx() context: CommandContext) {
    const associateId = idCreatedBy(context.commandId, 'associate');
    await this.onEpisode(episodeId, { type: 'NameAssociate', episodeId, associateId, ...body, now: this.now() }, context);
    return { episodeId, associateId };
  }

  @Post(':episodeId/locations')
  @Can('record-enquiry')
  async nameLocation(@Param('episodeId', uuid) episodeId: string, @Body() body: NameLocationDto, @CommandCtx() context: CommandContext) {
    const locationId = idCreatedBy(context.commandId, 'location');
    await this.onEpisode(episodeId, { type: 'NameLocation', episodeId, locationId, ...body, now: this.now() }, context);
    return { episodeId, locationId };
  }

  @Post(':episodeId/return')
  @HttpCode(200)
  @Can('record-return')
  recordReturn(@Param('episodeId', uuid) episodeId: string, @Body() body: RecordReturnDto, @CommandCtx() context: CommandContext) {
    return this.onEpisode(episodeId, { type: 'RecordReturn', episodeId, ...body, now: this.now() }, context);
  }

  @Post(':episodeId/cancel')
  @HttpCode(200)
  @Can('cancel-episode')
  cancel(@Param('episodeId', uuid) episodeId: string, @Body() body: CancelEpisodeDto, @CommandCtx() context: CommandContext) {
    return this.onEpisode(episodeId, { type: 'CancelEpisode', episodeId, ...body, now: this.now() }, context);
  }

  @Post(':episodeId/close')
  @HttpCode(200)
  @Can('close-episode')
  close(@Param('episodeId', uuid) episodeId: string, @Body() body: CloseEpisodeDto, @CommandCtx() context: CommandContext) {
    return this.onEpisode(episodeId, { type: 'CloseEpisode', episodeId, ...body, now: this.now() }, context);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private async onEpisode(episodeId: string, command: ChildCaseCommand, context: CommandContext) {
    const outcome = await this.run({ episodeId }, [command], context);
    return { episodeId, childId: outcome.childId, recorded: outcome.events.map((event) => event.type) };
  }

  private run(target: ExecuteChildStreamCommands['target'], commands: ChildCaseCommand[], context: CommandContext) {
    return this.commands.execute<ExecuteChildStreamCommands, ChildStreamOutcome>(new ExecuteChildStreamCommands(target, commands, context));
  }
}
