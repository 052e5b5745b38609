import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Can } from '../access/permissions';
import { executeOnChildStream } from '../child-stream/execute-child-stream-commands.handler';
import type { CommandContext } from '../event-store/command-handling';
import { CommandCtx } from '../http/command-context.decorator';
import { CLOCK } from '../shared/clock';
import type { Clock } from '../shared/clock';
import { ChildDataKeys } from './child-data-keys';
import { EraseChildDto } from './dto/erasure.dto';

/** The right to erasure: a child's personal data goes; what was done, when and by whom stays. */
@ApiTags('children')
@Controller('api/children')
export class ErasureController {
  constructor(
    private readonly commands: CommandBus,
    private readonly keys: ChildDataKeys,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post(':childId/erasure')
  @HttpCode(200)
  @Can('erase-child')
  @ApiOkResponse({ description: 'The erasure is recorded and the child\'s key destroyed: every personal field now reads "[erased]"' })
  async erase(@Param('childId', new ParseUUIDPipe()) childId: string, @Body() body: EraseChildDto, @CommandCtx() context: CommandContext) {
    const now = this.clock.now().toISOString();
    const outcome = await executeOnChildStream(this.commands, { childId }, [{ type: 'EraseChildPersonalData', childId, reason: body.reason, now }], context);
    // The erasure is recorded before the key goes; if this process dies in between, the
    // personal-data-shredder destroys the key when it meets the event.
    await this.keys.destroy(childId);
    const [erased] = outcome.events;
    return { childId, erasedAt: erased.type === 'ChildPersonalDataErased' ? erased.erasedAt : now };
  }
}
