import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DEFAULT_PAGE_SIZE, PageQuery, type Page } from '../common/pagination';
import { RequirePermission } from '../users/require-permission.decorator';
import { SourcesRepository, type SourceEvent, type SourceRecord } from './sources.repository';

export class SourceEventsQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;
}

@ApiTags('sources')
@RequirePermission('cases:read')
@Controller('sources')
export class SourcesController {
  constructor(private readonly sources: SourcesRepository) {}

  @Get()
  @ApiOperation({ summary: 'Every source with its health: state, last success, last error, posts in the last hour, rate limit' })
  async list(): Promise<Page<Omit<SourceRecord, 'cursor'>>> {
    // A handful of rows at most: one page always, in the same shape as every other list.
    const sources = await this.sources.list();
    return { items: sources.map(({ cursor: _cursor, ...source }) => source), nextCursor: null };
  }

  @Get('events')
  @ApiOperation({ summary: 'Source health events, newest first: failing, recovered, quiet, resumed, rate limited' })
  events(@Query() query: SourceEventsQuery): Promise<Page<SourceEvent>> {
    return this.sources.events({ sourceId: query.source, limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor });
  }
}
