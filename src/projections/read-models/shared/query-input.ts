/**
 * Checks on the arguments of read-model queries, which the HTTP layer passes on from requests: ids shaped as the
 * domain's ids, dates as business dates. Failures are ValidationErrors naming the field.
 */
import type { z } from 'zod';
import { businessDateSchema, idSchema } from '../../../domain/shared/payload-schemas.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { requireTenantId } from '../../../tenancy/identifiers.ts';

export { requireTenantId };

function check<T>(schema: z.ZodType<T>, value: unknown, field: string, rule: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(field, rule);
  return result.data;
}

export function requireId(value: unknown, field: string): string {
  return check(idSchema, value, field, 'must be an id of 1 to 200 characters');
}

export function optionalId(value: unknown, field: string): string | null {
  return value === undefined || value === null ? null : requireId(value, field);
}

export function requireDate(value: unknown, field = 'date'): string {
  return check(businessDateSchema, value, field, 'must be a date YYYY-MM-DD');
}

export function requireInstant(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new ValidationError(field, 'must be a valid instant');
  }
  return value;
}
