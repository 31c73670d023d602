import { uuidV7 } from '../../shared/uuid-v7.ts';
import type { JsonValue } from '../../shared/canonical-json.ts';
import type { NewEvent, StreamId } from '../envelope.ts';

/** Builds valid events for store tests; every field can be overridden. */
export function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: uuidV7(),
    eventType: 'test.happened',
    schemaVersion: 1,
    occurredAt: new Date('2026-11-27T09:30:00.000Z'),
    actor: { id: 'staff-1', kind: 'staff', role: 'front_desk' },
    payload: { n: 1 } as JsonValue,
    ...overrides,
  };
}

export function newEvents(count: number, overrides: Partial<NewEvent> = {}): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent({ payload: { n: index }, ...overrides }));
}

let streamCounter = 0;

/** A stream no other test uses, so tests can share one database. */
export function freshStream(tenantId = `tenant-${uuidV7().slice(-12)}`, aggregateType = 'booking'): StreamId {
  streamCounter++;
  return { tenantId, aggregateType, aggregateId: `${aggregateType}-${streamCounter}-${uuidV7().slice(-8)}` };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}
