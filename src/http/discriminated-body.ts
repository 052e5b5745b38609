import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fieldErrors, InvalidRequest } from './validation';

type Variants = Record<string, new () => object>;

/**
 * A body whose shape depends on one field, e.g. `{ "outcome": "completed", ... }`: the field picks
 * the DTO class, validated like any other body (unknown fields refused, each failing field named).
 * The global ValidationPipe cannot pick a class by a field's value, so the route takes the body as
 * a plain object and calls this.
 */
export function parseDiscriminated<V extends Variants>(body: unknown, field: string, variants: V): InstanceType<V[keyof V]> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequest([{ field: '', reason: 'the body must be a JSON object' }]);
  }
  const tag = (body as Record<string, unknown>)[field];
  const variant = typeof tag === 'string' && Object.hasOwn(variants, tag) ? variants[tag] : undefined;
  if (!variant) throw new InvalidRequest([{ field, reason: `${field} must be one of ${Object.keys(variants).join(', ')}` }]);
  const dto = plainToInstance(variant, body);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new InvalidRequest(fieldErrors(errors));
  return dto as InstanceType<V[keyof V]>;
}
