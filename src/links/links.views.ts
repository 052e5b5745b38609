import { ApiProperty } from '@nestjs/swagger';

/** The answer of GET /api/children/:childId/links, for the OpenAPI document. */

class MentionView {
  @ApiProperty({ enum: ['profile', 'report', 'sighting', 'associate', 'location', 'return', 'return-interview', 'warning-notice'] })
  source!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'null outside an episode (the profile, a warning notice)' })
  episodeId!: string | null;
  @ApiProperty({ format: 'date-time' })
  namedAt!: string;
}

class NamedLinkView {
  @ApiProperty({ enum: ['associate', 'place'] })
  kind!: string;
  @ApiProperty({ example: 'postcode:S1 2AB', description: '`name:...`, `postcode:...` or `address:...`: the same for every spelling' })
  key!: string;
  @ApiProperty({ example: '12 High Street, S1 2AB', description: 'as first typed for this child, tidied' })
  display!: string;
  @ApiProperty({ type: [MentionView] })
  mentions!: MentionView[];
}

class LinkedChildView {
  @ApiProperty({ format: 'uuid' })
  childId!: string;
  @ApiProperty({ example: 'MFH-1A2B3C4D' })
  caseReference!: string;
  @ApiProperty({ type: [String], description: 'the episodes in which this child named it' })
  episodes!: string[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'when the machine flagged the link; null for the child asked about' })
  flaggedAt!: string | null;
}

class NetworkLinkView {
  @ApiProperty({ enum: ['associate', 'place'] })
  kind!: string;
  @ApiProperty()
  key!: string;
  @ApiProperty()
  display!: string;
  @ApiProperty({ type: [LinkedChildView], description: 'the child asked about first, then the others in the order they named it' })
  children!: LinkedChildView[];
}

class NetworkChildView {
  @ApiProperty({ format: 'uuid' })
  childId!: string;
  @ApiProperty()
  caseReference!: string;
  @ApiProperty({ type: [String], description: 'the keys of the people and places shared' })
  through!: string[];
  @ApiProperty({ type: [String] })
  episodes!: string[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  flaggedAt!: string | null;
}

class NetworkView {
  @ApiProperty({ type: [NetworkChildView] })
  children!: NetworkChildView[];
  @ApiProperty({ type: [NetworkLinkView] })
  links!: NetworkLinkView[];
}

export class ChildLinksView {
  @ApiProperty({ format: 'uuid' })
  childId!: string;
  @ApiProperty()
  caseReference!: string;
  @ApiProperty({ type: [NamedLinkView] })
  associates!: NamedLinkView[];
  @ApiProperty({ type: [NamedLinkView] })
  places!: NamedLinkView[];
  @ApiProperty({ type: NetworkView })
  network!: NetworkView;
}
