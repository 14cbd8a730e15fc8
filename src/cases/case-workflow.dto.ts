import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { FAULTS, type Fault } from '../domain/cases/case-status';
import { REPLY_KINDS, type ReplyKind } from '../domain/cases/reply-analysis';

export class ReplyBody {
  @ApiProperty({ maxLength: 280, description: 'Posted in public as the brand, answering the customer’s newest post' })
  @IsString({ message: 'text must be text' })
  @IsNotEmpty({ message: 'text must not be empty' })
  @MaxLength(280, { message: 'text must be at most 280 characters (a public reply)' })
  text!: string;

  @ApiPropertyOptional({ enum: REPLY_KINDS, description: 'Derived from the text when not given' })
  @IsOptional()
  @IsIn(REPLY_KINDS, { message: `kind must be one of ${REPLY_KINDS.join(', ')}` })
  kind?: ReplyKind;

  @ApiPropertyOptional({ description: 'Send even though it nearly repeats an earlier reply in this case' })
  @IsOptional()
  @IsBoolean({ message: 'confirmRepeat must be true or false' })
  confirmRepeat?: boolean;
}

export class HandOverBody {
  @ApiProperty({ description: 'The new owner’s user id' })
  @IsUUID('all', { message: 'to must be a user id (UUID)' })
  to!: string;

  @ApiProperty({ maxLength: 500 })
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'reason must say why the case changes hands' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason!: string;
}

export class FaultBody {
  @ApiProperty({ enum: FAULTS })
  @IsIn(FAULTS, { message: `fault must be one of ${FAULTS.join(', ')}` })
  fault!: Fault;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(1000, { message: 'note must be at most 1000 characters' })
  note?: string;
}

export class CommitmentBody {
  @ApiProperty({ maxLength: 500, example: 'Find out where the bag is and tell the customer' })
  @IsString({ message: 'description must be text' })
  @IsNotEmpty({ message: 'description must say what was promised' })
  @MaxLength(500, { message: 'description must be at most 500 characters' })
  description!: string;

  @ApiPropertyOptional({ description: 'ISO 8601; the policy default (cases.commitmentDefaultHours) when not given' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'dueAt must be an ISO 8601 date and time' })
  dueAt?: Date;
}

export class NoteBody {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(1000, { message: 'note must be at most 1000 characters' })
  note?: string;
}
