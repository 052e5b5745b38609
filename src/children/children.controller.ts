import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../access/access.decorators';
import { Can } from '../access/permissions';
import type { Actor } from '../event-store/event-store.port';
import { ChildStreamOutcome, ExecuteChildStreamCommands } from '../child-stream/execute-child-stream-commands.handler';
import { Configuration } from '../config/configuration';
import { idCreatedBy } from '../event-store/command-handling';
import type { CommandContext } from '../event-store/command-handling';
import { CommandCtx } from '../http/command-context.decorator';
import { InvalidRequest } from '../http/validation';
import { CLOCK } from '../shared/clock';
import type { Clock } from '../shared/clock';
import { ChildQueries } from './child-queries';
import { ChildProfileChangesDto, ChildProfileDto } from './dto/child-profile.dto';

const uuid = new ParseUUIDPipe({ version: undefined });

@ApiTags('children')
@Controller('api/children')
export class ChildrenController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ChildQueries,
    private readonly config: Configuration,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Can('register-child')
  @ApiCreatedResponse({ description: 'The child is registered; the answer carries the new child id' })
  async register(@Body() profile: ChildProfileDto, @CommandCtx() context: CommandContext) {
    requireKnownDistrict(this.config, profile.localAuthority, 'localAuthority');
    const childId = idCreatedBy(context.commandId, 'child');
    const now = this.clock.now().toISOString();
    await this.commands.execute<ExecuteChildStreamCommands, ChildStreamOutcome>(
      new ExecuteChildStreamCommands({ childId }, [{ type: 'RegisterChild', childId, profile: { ...profile }, now }], context),
    );
    return { childId };
  }

  @Patch(':childId')
  @Can('update-child')
  async update(@Param('childId', uuid) childId: string, @Body() changes: ChildProfileChangesDto, @CommandCtx() context: CommandContext) {
    if (changes.localAuthority !== undefined) requireKnownDistrict(this.config, changes.localAuthority, 'localAuthority');
    const now = this.clock.now().toISOString();
    await this.commands.execute(
      new ExecuteChildStreamCommands({ childId }, [{ type: 'UpdateChildProfile', childId, changes: { ...changes }, now }], context),
    );
    return { childId };
  }

  @Get(':childId')
  @Can('read-child-summary')
  @ApiNotFoundResponse({ description: 'no child with this id' })
  async summary(@Param('childId', uuid) childId: string, @CurrentActor() actor: Actor) {
    const summary = await this.queries.summary(childId, this.clock.now());
    // The LSCB lead reads counts, flags and the state of episodes, not the profile the police hold.
    if (actor.role === 'lscb-lead') {
      const { profile: _profile, ...rest } = summary;
      return rest;
    }
    return summary;
  }

  @Get(':childId/timeline')
  @Can('read-child-record')
  timeline(@Param('childId', uuid) childId: string) {
    return this.queries.timeline(childId);
  }
}

export function requireKnownDistrict(config: Configuration, district: string, field: string): void {
  if (!config.districts.includes(district)) {
    throw new InvalidRequest([{ field, reason: `${field} must be one of ${config.districts.join(', ')}` }]);
  }
}
