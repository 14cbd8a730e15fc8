import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../common/pagination';
import { SourcesRepository, type SourceRecord } from './sources.repository';

@ApiTags('sources')
@Controller('sources')
export class SourcesController {
  constructor(private readonly sources: SourcesRepository) {}

  @Get()
  @ApiOperation({ summary: 'Every source with its state, last success, last error and posts stored' })
  async list(): Promise<Page<Omit<SourceRecord, 'cursor'>>> {
    // A handful of rows at most: one page always, in the same shape as every other list.
    const sources = await this.sources.list();
    return { items: sources.map(({ cursor: _cursor, ...source }) => source), nextCursor: null };
  }
}
