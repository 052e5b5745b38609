import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CALENDAR_DATE, INSTANT, LONG_TEXT, SHORT_TEXT } from '../../shared/dto-formats';

export class CallStrategyMeetingDto {
  @ApiProperty() @IsUUID() childId: string;
  @ApiProperty({ example: 'seen with an adult known for CSE' }) @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) reason: string;

  @ApiPropertyOptional({ type: [String], description: "Agencies invited; defaults to the policy's (police, social care, health, education)" })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(SHORT_TEXT, { each: true })
  agencies?: string[];
}

export class AttendeeDto {
  @ApiProperty({ example: 'DS Hart' }) @IsString() @IsNotEmpty() @MaxLength(SHORT_TEXT) name: string;
  @ApiProperty({ example: 'police' }) @IsString() @IsNotEmpty() @MaxLength(SHORT_TEXT) agency: string;
  @ApiPropertyOptional({ example: 'detective sergeant' }) @IsOptional() @IsString() @MaxLength(SHORT_TEXT) role?: string;
}

export class AbsenteeDto {
  @ApiProperty({ example: 'education' }) @IsString() @IsNotEmpty() @MaxLength(SHORT_TEXT) agency: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(SHORT_TEXT) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG_TEXT) reason?: string;
}

export class MeetingHeldDto {
  @ApiProperty({ example: '2026-11-26T14:00:00Z' }) @IsISO8601(INSTANT) heldAt: string;

  @ApiProperty({ type: [AttendeeDto], description: 'Who attended, for which agency' })
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => AttendeeDto)
  attendees: AttendeeDto[];

  @ApiPropertyOptional({ type: [AbsenteeDto], description: 'Agencies invited that did not attend' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => AbsenteeDto)
  absentees?: AbsenteeDto[];
}

export class MeetingDecisionDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) decision: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG_TEXT) rationale?: string;
}

export class MeetingOutcomeDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) outcome: string;

  @ApiPropertyOptional({ example: '2026-12-09' })
  @IsOptional() @Matches(CALENDAR_DATE, { message: 'nextReviewDate must be a date (YYYY-MM-DD)' })
  nextReviewDate?: string;
}

export class CloseStrategyMeetingDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG_TEXT) note?: string;
}
