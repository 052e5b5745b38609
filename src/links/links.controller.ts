import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Can } from '../access/permissions';
import { ChildLinksView } from './links.views';
import { LinkQueries } from './link-queries';

@ApiTags('children')
@Controller('api/children')
export class LinksController {
  constructor(private readonly queries: LinkQueries) {}

  @Get(':childId/links')
  @Can('read-links')
  @ApiOkResponse({
    type: ChildLinksView,
    description:
      'The people and places named for the child (normalised key and the spelling typed), and the network: the other children ' +
      'who named any of them, through which, and the episodes that tie them',
  })
  @ApiNotFoundResponse({ description: 'no child with this id' })
  links(@Param('childId', new ParseUUIDPipe({ version: undefined })) childId: string) {
    return this.queries.linksOf(childId);
  }
}
