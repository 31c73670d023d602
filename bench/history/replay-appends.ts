/**
 * Turns a tenant's recorded log back into appends that rebuild it elsewhere in the same order: the events of
 * each original append (one transaction id) are written again together, and consecutive original appends
 * are merged into one larger multi-stream append as long as no stream appears twice in it — within one
 * append the store writes stream after stream, so a repeated stream would reorder the tenant's events.
 * Every write carries the exact version its stream had before, so a gap or a stray event fails the load.
 */
import type { NewEvent, RecordedEvent } from '../../src/store/envelope.ts';
import type { StreamWrite } from '../../src/store/event-store.ts';

export interface ReplayAppend {
  readonly writes: readonly StreamWrite[];
  readonly events: number;
}

/** `events` in tenant_seq order; an append grows to at most `maxEvents` unless one original append is larger. */
export function replayAppends(events: Iterable<RecordedEvent>, maxEvents: number): ReplayAppend[] {
  const appends: ReplayAppend[] = [];
  let writes: StreamWrite[] = [];
  let count = 0;
  const flush = () => {
    if (count > 0) appends.push({ writes, events: count });
    writes = [];
    count = 0;
  };
  for (const original of originalAppends(events)) {
    const overlaps = original.some((write) => writes.some((taken) => sameStream(taken, write)));
    const originalCount = original.reduce((sum, write) => sum + write.events.length, 0);
    if (overlaps || count + originalCount > maxEvents) flush();
    writes.push(...original);
    count += originalCount;
  }
  flush();
  return appends;
}

/** Consecutive events of one transaction id, each stream's run as one write. */
function* originalAppends(events: Iterable<RecordedEvent>): Generator<StreamWrite[]> {
  let writes: { stream: StreamWrite['stream']; expectedVersion: number; events: NewEvent[] }[] = [];
  let txId: number | undefined;
  for (const event of events) {
    if (event.txId !== txId && writes.length > 0) {
      yield writes;
      writes = [];
    }
    txId = event.txId;
    const last = writes.at(-1);
    if (
      last &&
      last.stream.aggregateType === event.aggregateType &&
      last.stream.aggregateId === event.aggregateId
    ) {
      last.events.push(toNewEvent(event));
    } else {
      writes.push({
        stream: {
          tenantId: event.tenantId,
          aggregateType: event.aggregateType,
          aggregateId: event.aggregateId,
        },
        expectedVersion: event.version - 1,
        events: [toNewEvent(event)],
      });
    }
  }
  if (writes.length > 0) yield writes;
}

function sameStream(a: StreamWrite, b: StreamWrite): boolean {
  return a.stream.aggregateType === b.stream.aggregateType && a.stream.aggregateId === b.stream.aggregateId;
}

function toNewEvent(event: RecordedEvent): NewEvent {
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    schemaVersion: event.schemaVersion,
    branchId: event.branchId,
    occurredAt: event.occurredAt,
    causationId: event.causationId,
    correlationId: event.correlationId,
    actor: event.actor,
    payload: event.payload,
  };
}
