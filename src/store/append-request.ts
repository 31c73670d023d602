import { ValidationError } from '../shared/errors.ts';
import { canonicalParts, contentHash } from './chain-hash.ts';
import type { NewEvent, StreamId } from './envelope.ts';
import type { StreamWrite } from './event-store.ts';
import { validateExpectedVersion, validateNewEvent, validateStreamId } from './validate-new-event.ts';

/** The JSON arguments of `mymedic.append_events` for one append (see migrations 0001 and 0003). */
export interface AppendRequest {
  readonly streams: string;
  readonly events: string;
}

/**
 * Validates an append and serialises it for the database, with each event's content hash. Each event's actor
 * and payload are canonicalised once: the same RFC 8785 text is hashed and sent.
 */
export function buildAppendRequest(tenantId: string, writes: readonly StreamWrite[]): AppendRequest {
  if (writes.length === 0) throw new ValidationError('writes', 'at least one stream');
  const seenStreams = new Set<string>();
  const seenEvents = new Set<string>();
  const streams: object[] = [];
  const events: string[] = [];
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
    if (seenStreams.has(key)) throw new ValidationError(`${field}.stream`, 'appears twice in one append');
    seenStreams.add(key);
    const expected = write.expectedVersion;
    streams.push({
      aggregate_type: write.stream.aggregateType,
      aggregate_id: write.stream.aggregateId,
      expected: typeof expected === 'number' ? 'exact' : expected,
      expected_version: typeof expected === 'number' ? expected : null,
    });
    write.events.forEach((event, eventIndex) => {
      const eventField = `${field}.events.${eventIndex}`;
      validateNewEvent(event, eventField);
      if (seenEvents.has(event.eventId))
        throw new ValidationError(`${eventField}.eventId`, 'appears twice in one append');
      seenEvents.add(event.eventId);
      events.push(eventJson(event, streamIndex, write.stream));
    });
  });
  if (events.length === 0) throw new ValidationError('writes', 'an append needs at least one event');
  return { streams: JSON.stringify(streams), events: `[${events.join(',')}]` };
}

function eventJson(event: NewEvent, streamIndex: number, stream: StreamId): string {
  const parts = canonicalParts(event);
  const branchId = event.branchId ?? null;
  const causationId = event.causationId ?? null;
  const correlationId = event.correlationId ?? null;
  const occurredAt = event.occurredAt.toISOString();
  const hash = contentHash(
    {
      eventId: event.eventId,
      eventType: event.eventType,
      schemaVersion: event.schemaVersion,
      tenantId: stream.tenantId,
      branchId,
      aggregateType: stream.aggregateType,
      aggregateId: stream.aggregateId,
      occurredAt: event.occurredAt,
      causationId,
      correlationId,
      actor: event.actor,
      payload: event.payload,
    },
    parts,
  );
  return (
    `{"stream_index":${streamIndex},"event_id":${JSON.stringify(event.eventId)}` +
    `,"event_type":${JSON.stringify(event.eventType)},"schema_version":${event.schemaVersion}` +
    `,"branch_id":${JSON.stringify(branchId)},"occurred_at":"${occurredAt}"` +
    `,"causation_id":${JSON.stringify(causationId)},"correlation_id":${JSON.stringify(correlationId)}` +
    `,"actor":${parts.actor},"payload":${parts.payload},"content_hash":"${hash.toString('hex')}"}`
  );
}
