import { IsBoolean, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { BooleanFlag } from '../common/list-query.util';
import { PageQuery } from '../common/pagination';

export class ListPostsQuery extends PageQuery {
  @IsOptional()
  @BooleanFlag()
  @IsBoolean({ message: 'complaint must be true or false' })
  complaint?: boolean;

  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'brand must be a brand id (lowercase letters, digits and dashes)' })
  brand?: string;
}
