import { Controller, Get, Header, HttpCode, Inject, Post, Query, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Public } from '../access/access.decorators';
import { Can } from '../access/permissions';
import { signingKey } from '../access/signing-key';
import { InvalidToken, issueStreamTicket, STREAM_TICKET_SECONDS, verifyStreamTicket } from '../access/tokens';
import { Configuration } from '../config/configuration';
import type { Actor } from '../event-store/event-store.port';
import { CLOCK } from '../shared/clock';
import type { Clock } from '../shared/clock';
import { DashboardQueries } from './dashboard.queries';
import { comparisonCsv } from './district-comparison';
import { DashboardLiveUpdates } from './live-updates';

export class ComparisonQuery {
  @ApiPropertyOptional({ description: 'UK calendar year; this year when left out', example: 2026 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100)
  year?: number;
}

export class EpisodesOverTimeQuery {
  @ApiPropertyOptional({ description: 'How many months back, this one included', example: 12 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(120)
  months?: number;
}

/** The coordinator's views. Lists with names are for case workers; LSCB leads read the summary and the comparison. */
@ApiTags('dashboard')
@Controller('api/dashboard')
export class DashboardController {
  private readonly key: Uint8Array;

  constructor(
    private readonly queries: DashboardQueries,
    private readonly live: DashboardLiveUpdates,
    config: Configuration,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.key = signingKey(config);
  }

  @Get('summary')
  @Can('read-dashboard')
  summary(@CurrentActor() actor: Actor) {
    return this.queries.summary(actor, this.clock.now());
  }

  @Get('open-episodes')
  @Can('read-dashboard-cases')
  openEpisodes(@CurrentActor() actor: Actor) {
    return this.queries.openEpisodes(actor, this.clock.now());
  }

  @Get('overdue-work')
  @Can('read-dashboard-cases')
  overdueWork(@CurrentActor() actor: Actor) {
    return this.queries.overdueWork(actor, this.clock.now());
  }

  @Get('repeat-children')
  @Can('read-dashboard-cases')
  repeatChildren(@CurrentActor() actor: Actor) {
    return this.queries.repeatChildren(actor, this.clock.now());
  }

  @Get('strategy-meetings')
  @Can('read-dashboard-cases')
  strategyMeetings(@CurrentActor() actor: Actor) {
    return this.queries.strategyMeetings(actor);
  }

  @Get('district-comparison')
  @Can('read-dashboard')
  comparison(@Query() query: ComparisonQuery) {
    return this.queries.comparison(query.year ?? this.queries.currentYear(this.clock.now()));
  }

  @Get('district-comparison.csv')
  @Can('read-dashboard')
  @ApiProduces('text/csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  async comparisonAsCsv(@Query() query: ComparisonQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    const year = query.year ?? this.queries.currentYear(this.clock.now());
    reply.header('content-disposition', `attachment; filename="district-comparison-${year}.csv"`);
    return comparisonCsv(await this.queries.comparison(year));
  }

  @Get('episodes-over-time')
  @Can('read-dashboard')
  episodesOverTime(@Query() query: EpisodesOverTimeQuery) {
    return this.queries.episodesOverTime(query.months ?? 12, this.clock.now());
  }

  @Post('stream-tickets')
  @HttpCode(201)
  @Can('read-dashboard')
  @ApiOkResponse({ description: 'A ticket for GET /api/dashboard/stream, good for one minute' })
  async streamTicket(@CurrentActor() actor: Actor) {
    return { ticket: await issueStreamTicket(this.key, actor), expiresInSeconds: STREAM_TICKET_SECONDS };
  }

  /**
   * Server-sent events: `changed` whenever a read model commits. EventSource cannot send an
   * Authorization header, so the page trades its bearer token for a one-minute ticket and puts that
   * in the URL; the ticket opens this stream only, and the stream carries no case data.
   */
  @Get('stream')
  @Public()
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'ticket', description: 'from POST /api/dashboard/stream-tickets' })
  async stream(@Query('ticket') ticket: string | undefined, @Res() reply: FastifyReply) {
    try {
      await verifyStreamTicket(this.key, ticket ?? '');
    } catch (error) {
      if (error instanceof InvalidToken) throw new UnauthorizedException(`the stream ticket is not valid: ${error.message}`);
      throw error;
    }
    reply.hijack();
    this.live.open(reply.raw);
  }
}
