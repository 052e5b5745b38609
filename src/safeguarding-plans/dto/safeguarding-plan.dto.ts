import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CALENDAR_DATE, LONG_TEXT, SHORT_TEXT } from '../../shared/dto-formats';

export class CreateSafeguardingPlanDto {
  @ApiProperty() @IsUUID() childId: string;
  @ApiProperty({ description: 'The concerns the plan addresses' }) @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) concerns: string;
}

/** An action of a plan or of a strategy meeting: what, who owns it, for which agency, by when. */
export class AgreedActionDto {
  @ApiProperty({ example: 'refer to the CSE team' }) @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) what: string;
  @ApiProperty({ example: 'K. Wood' }) @IsString() @IsNotEmpty() @MaxLength(SHORT_TEXT) owner: string;
  @ApiProperty({ example: 'childrens-social-care' }) @IsString() @IsNotEmpty() @MaxLength(SHORT_TEXT) agency: string;

  @ApiProperty({ example: '2026-12-01', description: 'A UK calendar date: overdue once that day has ended' })
  @Matches(CALENDAR_DATE, { message: 'dueDate must be a date (YYYY-MM-DD)' })
  dueDate: string;
}

export class CompleteActionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG_TEXT) note?: string;
}

export class ReviewSafeguardingPlanDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) summary: string;

  @ApiPropertyOptional({ example: '2027-01-05' })
  @IsOptional() @Matches(CALENDAR_DATE, { message: 'nextReviewDate must be a date (YYYY-MM-DD)' })
  nextReviewDate?: string;
}

export class CloseSafeguardingPlanDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) reason: string;
}
