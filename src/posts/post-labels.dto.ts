import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/pagination';
import { FAULTS, POLARITIES, type Fault, type Polarity } from '../domain/scoring/post-score';

/**
 * What an agent says about a post. Every label is optional; at least one of complaint, polarity, category and fault is needed.
 * Who labelled it is the signed-in user, never the body (a `labelledBy` property is refused as unknown).
 */
export class CreatePostLabelBody {
  @ApiPropertyOptional({ description: 'Whether the post is a complaint. true opens a case for a post that has none.' })
  @IsOptional()
  @IsBoolean({ message: 'complaint must be true or false' })
  complaint?: boolean;

  @ApiPropertyOptional({ enum: POLARITIES })
  @IsOptional()
  @IsIn(POLARITIES, { message: `polarity must be one of ${POLARITIES.join(', ')}` })
  polarity?: Polarity;

  @ApiPropertyOptional({ description: 'One of the configured category ids (scoring.categories)', example: 'baggage' })
  @IsOptional()
  @IsString({ message: 'category must be a category id' })
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'category must be a category id (lowercase letters, digits and underscores)' })
  category?: string;

  @ApiPropertyOptional({ enum: FAULTS })
  @IsOptional()
  @IsIn(FAULTS, { message: `fault must be one of ${FAULTS.join(', ')}` })
  fault?: Fault;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(1000, { message: 'note must be at most 1000 characters' })
  note?: string;
}

export class ListPostLabelsQuery extends PageQuery {}
