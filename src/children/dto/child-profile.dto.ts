import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

const SHORT = 200;
const LONG = 4000;

export class PhilomenaProfileDto {
  @ApiPropertyOptional({ description: 'Height, build, hair, clothing usually worn' })
  @IsOptional() @IsString() @MaxLength(LONG)
  description?: string;

  @ApiPropertyOptional({ description: 'Where the current photograph is held' })
  @IsOptional() @IsString() @MaxLength(SHORT)
  photoReference?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(SHORT, { each: true })
  phones?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(SHORT, { each: true })
  associates?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(SHORT, { each: true })
  placesFrequented?: string[];
}

export class ChildProfileDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(SHORT)
  firstName?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(SHORT)
  lastName?: string;

  @ApiPropertyOptional({ example: '2011-04-02', description: 'YYYY-MM-DD' })
  @IsOptional() @IsISO8601({ strict: true, strictSeparator: true }) @MaxLength(10, { message: 'dateOfBirth must be a date YYYY-MM-DD' })
  dateOfBirth?: string;

  @ApiPropertyOptional({ enum: ['female', 'male', 'other', 'unknown'] })
  @IsOptional() @IsIn(['female', 'male', 'other', 'unknown'])
  gender?: 'female' | 'male' | 'other' | 'unknown';

  @ApiPropertyOptional({ example: 'White British' }) @IsOptional() @IsString() @MaxLength(SHORT)
  ethnicity?: string;

  @ApiProperty({ example: 'Sheffield', description: "The child's home local authority / district" })
  @IsString() @IsNotEmpty() @MaxLength(SHORT)
  localAuthority: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  lookedAfter?: boolean;

  @ApiPropertyOptional({ enum: ['home', 'foster', 'childrens-home', 'other'] })
  @IsOptional() @IsIn(['home', 'foster', 'childrens-home', 'other'])
  placementType?: 'home' | 'foster' | 'childrens-home' | 'other';

  @ApiPropertyOptional({ type: PhilomenaProfileDto })
  @IsOptional() @ValidateNested() @Type(() => PhilomenaProfileDto)
  philomenaProfile?: PhilomenaProfileDto;

  @ApiPropertyOptional({ enum: ['CSE', 'CCE'], isArray: true })
  @IsOptional() @IsArray() @ArrayMaxSize(2) @IsIn(['CSE', 'CCE'], { each: true })
  riskFlags?: ('CSE' | 'CCE')[];
}

export class ChildProfileChangesDto extends PartialType(ChildProfileDto) {}
