/**
 * Typed access to a recorded event's payload inside a read model. Payloads were validated against their schema
 * when the command side wrote them, and the runtime upcasts old ones before apply, so a read model reads the
 * current shape without parsing again. Sensitive fields (docs/events.md) hold ciphertext where their declared type
 * says string: read models never read them, so nothing patient-identifying is ever copied into a read table.
 */
import type { EventDefinition, PayloadOf } from '../../../domain/shared/event-definition.ts';
import { MyMedicError } from '../../../shared/errors.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';

export function payloadOf<D extends EventDefinition>(event: RecordedEvent, definition: D): PayloadOf<D> {
  if (event.eventType !== definition.type) {
    throw new MyMedicError(
      'READ_MODEL_EVENT_MISMATCH',
      `expected ${definition.type}, got ${event.eventType}`,
      {
        expected: definition.type,
        actual: event.eventType,
        eventId: event.eventId,
      },
    );
  }
  return event.payload as PayloadOf<D>;
}

/** The event as the domain's evolve functions take it (`{ type, data }`). */
export function asDomainEvent<E extends { readonly type: string; readonly data: unknown }>(
  event: RecordedEvent,
): E {
  return { type: event.eventType, data: event.payload } as E;
}
