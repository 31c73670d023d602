/**
 * The checks every append passes before anything is stored, naming the offending field; both stores (the
 * PostgreSQL request builder and the in-memory store) apply them.
 */
import { ValidationError } from '../shared/errors.ts';
import type { StreamWrite } from './event-store.ts';
import { validateExpectedVersion, validateNewEvent, validateStreamId } from './validate-new-event.ts';

export function validateAppend(tenantId: string, writes: readonly StreamWrite[]): void {
  if (writes.length === 0) throw new ValidationError('writes', 'at least one stream');
  const streams = new Set<string>();
  const eventIds = new Set<string>();
  let events = 0;
  writes.forEach((write, streamIndex) => {
    const field = `writes.${streamIndex}`;
    validateStreamId(write.stream, `${field}.stream`);
    validateExpectedVersion(write.expectedVersion, `${field}.expectedVersion`);
    if (write.stream.tenantId !== tenantId) {
      throw new ValidationError(
        `${field}.stream.tenantId`,
        'every stream of one append belongs to the same tenant',
      );
    }
    const key = `${write.stream.aggregateType}\u0000${write.stream.aggregateId}`;
    if (streams.has(key)) throw new ValidationError(`${field}.stream`, 'appears twice in one append');
    streams.add(key);
    write.events.forEach((event, eventIndex) => {
      const eventField = `${field}.events.${eventIndex}`;
      validateNewEvent(event, eventField);
      if (eventIds.has(event.eventId)) {
        throw new ValidationError(`${eventField}.eventId`, 'appears twice in one append');
      }
      eventIds.add(event.eventId);
      events++;
    });
  });
  if (events === 0) throw new ValidationError('writes', 'an append needs at least one event');
}
