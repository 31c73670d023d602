/**
 * Turns a zod failure into the system's ValidationError naming the first offending field, so that the API
 * and the command line report bad input the same way.
 */
import type { z } from 'zod';
import { ValidationError } from '../shared/errors.ts';

/**
 * @param location where the value came from (`body`, `query`, `params`, `headers`, `argv`), reported as `in`
 *   and used as the field name when the whole value is wrong.
 * @throws ValidationError
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, location: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationErrorOf(result.error, location);
}

export function validationErrorOf(error: z.ZodError, location: string): ValidationError {
  const issue = error.issues[0];
  if (!issue) return new ValidationError(location, 'is invalid', { in: location });
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path, ...keys.slice(0, 1)].map(String);
  const field = path.length > 0 ? path.join('.') : location;
  const expected = 'expected' in issue ? { expected: String(issue.expected) } : {};
  const message = issue.code === 'unrecognized_keys' ? 'is not an accepted field' : issue.message;
  return new ValidationError(field, message, { in: location, ...expected });
}
