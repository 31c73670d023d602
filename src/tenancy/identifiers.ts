/**
 * Identifier rules shared by tenants, actors, credentials and everything the API takes in a path: the same
 * pattern as the event envelope's identifiers, so an id accepted here is always storable there.
 */
import { z } from 'zod';
import { ValidationError } from '../shared/errors.ts';
import { IDENTIFIER } from '../store/validate-new-event.ts';

const IDENTIFIER_RULE = '1-128 characters of letters, digits and _ . : @ -, starting with a letter or digit';

export const identifierSchema = z.string().regex(IDENTIFIER, IDENTIFIER_RULE);

/** @throws ValidationError naming `field` when the value is not an identifier. */
export function requireIdentifier(value: unknown, field: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new ValidationError(field, `must be ${IDENTIFIER_RULE}`);
  }
  return value;
}

export function requireTenantId(value: unknown, field = 'tenantId'): string {
  return requireIdentifier(value, field);
}
