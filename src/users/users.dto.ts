import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ROLES, type Role } from '../domain/users/access';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export const MAX_CAPACITY = 500;

export class CreateUserBody {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Dana Reyes' })
  @Transform(trim)
  @IsString({ message: 'name must be text' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name!: string;

  @ApiPropertyOptional({ example: 'dana@example.com', description: 'Unique across users (compared without case)' })
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(200, { message: 'email must be at most 200 characters' })
  email?: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({ description: 'Whether the user is on shift (receives auto-assigned cases); default false' })
  @IsOptional()
  @IsBoolean({ message: 'onShift must be true or false' })
  onShift?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_CAPACITY, description: 'How many open cases the user can own at once; default 10' })
  @IsOptional()
  @IsInt({ message: 'capacity must be a whole number' })
  @Min(0, { message: 'capacity must be at least 0' })
  @Max(MAX_CAPACITY, { message: `capacity must be at most ${MAX_CAPACITY}` })
  capacity?: number;
}

/** Name and role need users:manage; onShift and capacity need users:schedule (agents may set their own onShift). */
export class UpdateUserBody {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'name must be text' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'onShift must be true or false' })
  onShift?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_CAPACITY })
  @IsOptional()
  @IsInt({ message: 'capacity must be a whole number' })
  @Min(0, { message: 'capacity must be at least 0' })
  @Max(MAX_CAPACITY, { message: `capacity must be at most ${MAX_CAPACITY}` })
  capacity?: number;
}

export class IssueTokenBody {
  @ApiPropertyOptional({ maxLength: 100, example: 'laptop', description: 'What the token is for, to tell tokens apart' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'label must be text' })
  @MaxLength(100, { message: 'label must be at most 100 characters' })
  label?: string;
}
