import { Controller, Get, Param, Query } from '@nestjs/common';
import { UuidParam } from '../common/uuid-param.pipe';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../common/pagination';
import type { AuthUser } from '../users/auth-user';
import { CurrentUser } from '../users/current-user.decorator';
import { RequirePermission } from '../users/require-permission.decorator';
import { ListCasesQuery } from './cases.dto';
import { CasesService, type CaseDetail, type CaseSummary } from './cases.service';

@ApiTags('cases')
@Controller('cases')
@RequirePermission('cases:read')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Get()
  @ApiOperation({ summary: 'Cases, most urgent first (newest first within a priority); filter by status, priority, brand, owner (me, none or a user id)' })
  list(@Query() query: ListCasesQuery, @CurrentUser() user: AuthUser): Promise<Page<CaseSummary>> {
    return this.cases.list(query, user.id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One case with its posts, replies, promises and its full history of events' })
  get(@Param('id', new UuidParam('case id')) id: string): Promise<CaseDetail> {
    return this.cases.get(id);
  }
}
