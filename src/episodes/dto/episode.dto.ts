import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ChildProfileDto } from '../../children/dto/child-profile.dto';

const SHORT = 200;
const LONG = 4000;
const RISK_GRADES = ['high', 'medium', 'low', 'no-apparent-risk'] as const;
const INSTANT = { strict: true, strictSeparator: true } as const;

export class ReporterDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(SHORT) name?: string;
  @ApiPropertyOptional({ example: 'foster carer' }) @IsOptional() @IsString() @MaxLength(SHORT) relationship?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) phone?: string;
}

export class ReportMissingDto {
  @ApiPropertyOptional({ description: 'An existing child; or give `child` to register one inline' })
  @IsOptional() @IsUUID()
  childId?: string;

  @ApiPropertyOptional({ type: ChildProfileDto, description: "The child's details, when not registered yet" })
  @IsOptional() @ValidateNested() @Type(() => ChildProfileDto)
  child?: ChildProfileDto;

  @ApiProperty({ example: '2026-11-25T08:30:00Z', description: 'When the child was last seen (what counts go by)' })
  @IsISO8601(INSTANT)
  missingSince: string;

  @ApiPropertyOptional({ description: "Where the report is handled; defaults to the reporter's district" })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(SHORT)
  district?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG) lastSeenPlace?: string;

  @ApiPropertyOptional({ type: ReporterDto })
  @IsOptional() @ValidateNested() @Type(() => ReporterDto)
  reporter?: ReporterDto;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG) circumstances?: string;

  @ApiPropertyOptional({ enum: RISK_GRADES }) @IsOptional() @IsIn(RISK_GRADES)
  initialRisk?: (typeof RISK_GRADES)[number];
}

export class AssessRiskDto {
  @ApiProperty({ enum: RISK_GRADES }) @IsIn(RISK_GRADES) grade: (typeof RISK_GRADES)[number];
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(LONG) rationale: string;
}

export class RecordSightingDto {
  @ApiProperty() @IsISO8601(INSTANT) seenAt: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(LONG) place: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG) description?: string;
}

export class NameAssociateDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(SHORT) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(SHORT) relationship?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG) notes?: string;
}

export class NameLocationDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(LONG) place: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10) postcode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG) notes?: string;
}

export class RecordReturnDto {
  @ApiProperty() @IsISO8601(INSTANT) returnedAt: string;
  @ApiProperty({ enum: ['found', 'returned'] }) @IsIn(['found', 'returned']) how: 'found' | 'returned';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(LONG) where: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(SHORT) withWhom?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG) condition?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(SHORT) foundBy?: string;
}

export class CancelEpisodeDto {
  @ApiProperty({ enum: ['reported-in-error', 'duplicate'] })
  @IsIn(['reported-in-error', 'duplicate'])
  reason: 'reported-in-error' | 'duplicate';
  @ApiPropertyOptional() @IsOptional() @IsUUID() duplicateOf?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG) note?: string;
}

export class CloseEpisodeDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LONG) note?: string;
}
