import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { INSTANT, LONG_TEXT, SHORT_TEXT } from '../../shared/dto-formats';

export class RecommendWarningNoticeDto {
  @ApiProperty({ description: 'The child the notice protects' }) @IsUUID() childId: string;
  @ApiProperty({ description: 'The adult the notice is to be served on' }) @IsString() @IsNotEmpty() @MaxLength(SHORT_TEXT) against: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG_TEXT) reason?: string;

  @ApiPropertyOptional({ description: 'When it was recommended, if earlier than now (the 7-day clock runs from it)' })
  @IsOptional() @IsISO8601(INSTANT)
  recommendedAt?: string;
}

export class ServeWarningNoticeDto {
  @ApiPropertyOptional({ description: 'Defaults to now' }) @IsOptional() @IsISO8601(INSTANT) servedAt?: string;
  @ApiPropertyOptional({ example: 'PC 123 Shaw', description: 'The officer who served it; defaults to you' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(SHORT_TEXT)
  servedBy?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG_TEXT) note?: string;
}
