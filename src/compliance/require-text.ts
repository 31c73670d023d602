/** Guards the identifiers and reasons the compliance module writes: present, trimmed, bounded. */
import { ValidationError } from '../shared/errors.ts';

const MAX_LENGTH = 1000;

export function requireText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ValidationError(field, 'must be a non-empty string');
  if (value.length > MAX_LENGTH) throw new ValidationError(field, `must be at most ${MAX_LENGTH} characters`);
  return value;
}
