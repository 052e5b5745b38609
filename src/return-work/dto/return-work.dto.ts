import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { INSTANT, LONG_TEXT, SHORT_TEXT } from '../../shared/dto-formats';

export class SafeAndWellCheckDto {
  @ApiPropertyOptional({ example: '2026-11-25T09:30:00Z', description: 'When the child was seen; defaults to now' })
  @IsOptional() @IsISO8601(INSTANT)
  checkedAt?: string;

  @ApiPropertyOptional({ example: 'PC 123 Shaw', description: 'The officer who saw the child; defaults to you' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(SHORT_TEXT)
  checkedBy?: string;

  @ApiProperty({ description: 'What the child said about where they were and what happened' })
  @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT)
  childAccount: string;

  @ApiProperty() @IsBoolean() harmObserved: boolean;

  @ApiPropertyOptional({ description: 'Required when harm was observed' })
  @IsOptional() @IsString() @MaxLength(LONG_TEXT)
  harmDetails?: string;
}

export class InterviewOfferedDto {
  @ApiProperty({ enum: ['offered'] }) @IsIn(['offered']) outcome: 'offered';
  @ApiPropertyOptional({ description: 'Defaults to now' }) @IsOptional() @IsISO8601(INSTANT) offeredAt?: string;
  @ApiProperty({ example: 'Safe Space independent return service' }) @IsString() @IsNotEmpty() @MaxLength(SHORT_TEXT) offeredBy: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG_TEXT) note?: string;
}

export class InterviewFindingsDto {
  @ApiProperty({ description: 'Where the child was' }) @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) whereabouts: string;
  @ApiPropertyOptional({ description: 'With whom' }) @IsOptional() @IsString() @MaxLength(LONG_TEXT) withWhom?: string;

  @ApiProperty({ type: [String], description: 'What pushed the child away from home or placement' })
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(SHORT_TEXT, { each: true })
  pushFactors: string[];

  @ApiProperty({ type: [String], description: 'What pulled the child towards somewhere or someone' })
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(SHORT_TEXT, { each: true })
  pullFactors: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG_TEXT) disclosures?: string;
}

export class InterviewCompletedDto {
  @ApiProperty({ enum: ['completed'] }) @IsIn(['completed']) outcome: 'completed';
  @ApiPropertyOptional({ description: 'Defaults to now' }) @IsOptional() @IsISO8601(INSTANT) completedAt?: string;
  @ApiProperty({ example: 'J. Patel, Safe Space' }) @IsString() @IsNotEmpty() @MaxLength(SHORT_TEXT) interviewer: string;

  @ApiProperty({ type: InterviewFindingsDto })
  @ValidateNested() @Type(() => InterviewFindingsDto)
  findings: InterviewFindingsDto;
}

export class InterviewDeclinedDto {
  @ApiProperty({ enum: ['declined'] }) @IsIn(['declined']) outcome: 'declined';
  @ApiPropertyOptional({ description: 'Defaults to now' }) @IsOptional() @IsISO8601(INSTANT) declinedAt?: string;
  @ApiProperty({ enum: ['child', 'parent-or-carer'] }) @IsIn(['child', 'parent-or-carer']) declinedBy: 'child' | 'parent-or-carer';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) reason: string;
}

/** The body of POST /api/episodes/:id/return-interviews, by its `outcome`. */
export const INTERVIEW_OUTCOMES = {
  offered: InterviewOfferedDto,
  completed: InterviewCompletedDto,
  declined: InterviewDeclinedDto,
};
