import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

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
