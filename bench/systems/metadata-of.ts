/** The envelope fields MyMedic keeps in columns, as one JSON document for the systems that store only data + metadata. */
import type { NewEvent } from '../../src/store/envelope.ts';

export function metadataOf(event: NewEvent): Record<string, unknown> {
  return {
    schemaVersion: event.schemaVersion,
    branchId: event.branchId ?? null,
    occurredAt: event.occurredAt.toISOString(),
    causationId: event.causationId ?? null,
    correlationId: event.correlationId ?? null,
    actor: event.actor,
  };
}
