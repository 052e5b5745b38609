import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsNumberString, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Can } from '../permissions';
import { AuditLog } from './audit-log';

const PAGE_SIZE = 100;

export class AuditQuery {
  @ApiPropertyOptional({ description: "the child whose record was read or changed" })
  @IsOptional()
  @IsUUID()
  childId?: string;

  @ApiPropertyOptional({ description: 'entries at or after this time (ISO 8601)' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ description: 'entries before this time (ISO 8601)' })
  @IsOptional()
  @IsDateString()
  to?: string;

  @ApiPropertyOptional({ description: 'the `next` of the previous page' })
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  after?: string;

  @ApiPropertyOptional({ description: `entries per page, at most ${PAGE_SIZE}` })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_SIZE)
  limit?: number;
}

/** Who read or changed a child's record, when, what and from where: for auditors. */
@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(@Inject(AuditLog) private readonly audit: AuditLog) {}

  @Get()
  @Can('read-audit-log')
  read(@Query() query: AuditQuery) {
    return this.audit.read({
      childId: query.childId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      after: query.after,
      limit: query.limit ?? PAGE_SIZE,
    });
  }
}
