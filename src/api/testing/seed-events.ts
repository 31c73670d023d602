/** Test support: events appended as the owner, as a command handler would with the request's metadata. */
import { uuidV7 } from '../../shared/uuid-v7.ts';
import type { Engine } from '../../store/engines/engine.ts';
import type { NewEvent } from '../../store/envelope.ts';
import { PgEventStore } from '../../store/pg-event-store.ts';

export interface SeedEvent {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly eventType: string;
  readonly payload?: Record<string, string>;
  readonly branchId?: string;
  readonly occurredAt?: Date;
}

export async function seedEvents(
  engine: Engine,
  tenantId: string,
  events: readonly SeedEvent[],
): Promise<void> {
  const store = new PgEventStore(engine);
  for (const event of events) {
    const newEvent: NewEvent = {
      eventId: uuidV7(),
      eventType: event.eventType,
      schemaVersion: 1,
      branchId: event.branchId ?? null,
      occurredAt: event.occurredAt ?? new Date(),
      actor: { id: 'seed', kind: 'system', role: 'seed' },
      payload: event.payload ?? {},
    };
    await store.appendToStream(
      { tenantId, aggregateType: event.aggregateType, aggregateId: event.aggregateId },
      'any',
      [newEvent],
    );
  }
}
