import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { CommaSeparatedList } from '../common/list-query.util';
import { PageQuery } from '../common/pagination';
import { CASE_STATUSES, type CaseStatus } from '../domain/cases/case-status';
import { PRIORITIES, type Priority } from '../domain/cases/priority';

export class ListCasesQuery extends PageQuery {
  @IsOptional()
  @CommaSeparatedList()
  @IsIn(CASE_STATUSES, { each: true, message: `status must be one or more of ${CASE_STATUSES.join(', ')}` })
  status?: CaseStatus[];

  @IsOptional()
  @CommaSeparatedList()
  @IsIn(PRIORITIES, { each: true, message: `priority must be one or more of ${PRIORITIES.join(', ')}` })
  priority?: Priority[];

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'brand must be a brand id (lowercase letters, digits and dashes)' })
  brand?: string;

  /** `me` (the caller's cases), `none` (unowned), or a user id. */
  @IsOptional()
  @IsString()
  @Matches(/^(me|none|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/, { message: 'owner must be me, none or a user id (UUID)' })
  owner?: string;
}
