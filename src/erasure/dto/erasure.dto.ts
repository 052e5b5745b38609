import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { SHORT_TEXT } from '../../shared/dto-formats';

export class EraseChildDto {
  @ApiProperty({
    example: 'right to erasure, request DP-2026-041',
    description: 'The legal basis or request reference; kept in the record, so no personal data here',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(SHORT_TEXT)
  reason: string;
}
