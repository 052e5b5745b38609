import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export class AcknowledgeEscalationDto {
  @ApiPropertyOptional({ description: 'What the senior officer is doing about it' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string;
}

export class ByChildQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  childId?: string;
}

/** The newest rows first; a page that shows a few asks for a few rather than the whole 500 it may have. */
export const LATEST_LIMIT = 500;

export class LatestByChildQuery extends ByChildQuery {
  @ApiPropertyOptional({ description: `How many, newest first (at most ${LATEST_LIMIT}, the default)`, example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LATEST_LIMIT)
  limit?: number;
}
