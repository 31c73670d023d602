import { canonicalParts, contentHash } from './chain-hash.ts';
import type { NewEvent, StreamId } from './envelope.ts';
import type { StreamWrite } from './event-store.ts';
import { validateAppend } from './validate-append.ts';

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
  validateAppend(tenantId, writes);
  const streams = writes.map(({ stream, expectedVersion }) => ({
    aggregate_type: stream.aggregateType,
    aggregate_id: stream.aggregateId,
    expected: typeof expectedVersion === 'number' ? 'exact' : expectedVersion,
    expected_version: typeof expectedVersion === 'number' ? expectedVersion : null,
  }));
  const events = writes.flatMap((write, streamIndex) =>
    write.events.map((event) => eventJson(event, streamIndex, write.stream)),
  );
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
