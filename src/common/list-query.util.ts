import { Transform } from 'class-transformer';

/** Accepts `?status=new,assigned` and `?status=new&status=assigned` alike. */
export function CommaSeparatedList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    const parts = (Array.isArray(value) ? value : [value]).flatMap((part) => String(part).split(','));
    return parts.map((part) => part.trim()).filter((part) => part !== '');
  });
}

/** `?complaint=true|false|1|0`; anything else is left for validation to reject. */
export function BooleanFlag(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return value;
  });
}
