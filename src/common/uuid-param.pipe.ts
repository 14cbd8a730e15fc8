import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { isUuid } from './pagination';

/** Rejects a malformed id with a 400 that names it, before it reaches the database. */
export class UuidParam implements PipeTransform<string, string> {
  constructor(private readonly label: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw new BadRequestException(`${this.label} must be a UUID, got "${String(value).slice(0, 60)}"`);
    return value.toLowerCase();
  }
}
