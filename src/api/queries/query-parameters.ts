/** Query parameter shapes the query routes share: calendar dates and bounded date ranges. */
import { businessDateSchema } from '../../domain/shared/payload-schemas.ts';
import { ValidationError } from '../../shared/errors.ts';
import { addDays } from '../../projections/read-models/shared/calendar-dates.ts';

export const dateSchema = businessDateSchema.describe('a calendar date, YYYY-MM-DD');

/**
 * Checks an inclusive range of dates: `to` not before `from` and, when answers grow with the range, at most
 * `maxDays` days long, so one request never asks for an unbounded answer.
 * @throws ValidationError naming `to`.
 */
export function checkDateRange(from: string, to: string, maxDays?: number): void {
  if (to < from) throw new ValidationError('to', 'must not be before from', { in: 'query' });
  if (maxDays !== undefined && to > addDays(from, maxDays - 1)) {
    throw new ValidationError('to', `must be at most ${maxDays} days from from, inclusive`, {
      in: 'query',
      maxDays,
    });
  }
}
