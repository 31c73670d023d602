/**
 * The store port held in process memory: same validation, expected versions, idempotent retries, ordering and
 * reads as the PostgreSQL store, without durability, a hash chain or cross-process visibility. For generating
 * large histories fast (the benchmark builds its demo history here, then loads it into PostgreSQL) and for
 * tests of code above the port. Appends are applied one at a time, in call order: each is one "transaction"
 * (its own txId) and commits before the next, so the global feed is simply the order of the appends.
 */
import { ValidationError } from '../../shared/errors.ts';
import type { NewEvent, RecordedEvent, StreamId } from '../envelope.ts';
import { ConcurrencyError, EventIdReusedError } from '../errors.ts';
import {
  START_OF_FEED,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type GlobalFeedOptions,
  type ReadStreamOptions,
  type StreamWrite,
  type TenantLogFilter,
} from '../event-store.ts';
import type { ExpectedVersion } from '../expected-version.ts';
import { validateStreamId } from '../validate-new-event.ts';
import { validateAppend } from '../validate-append.ts';

export interface InMemoryEventStoreOptions {
  /** Commit time of each append (default: the wall clock), truncated to whole milliseconds as in PostgreSQL. */
  readonly now?: () => Date;
}

const MAX_BATCH = 10_000;

export class InMemoryEventStore implements EventStore {
  /** Every event in commit order: global positions and tx ids both ascend along it. */
  private readonly log: RecordedEvent[] = [];
  private readonly tenants = new Map<string, RecordedEvent[]>();
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byEventId = new Map<string, RecordedEvent>();
  private lastTxId = 0;
  private readonly now: () => Date;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  /** Events stored so far, all tenants. */
  get size(): number {
    return this.log.length;
  }

  /** Tenants with at least one event, in the order of their first append. */
  tenantIds(): string[] {
    return [...this.tenants.keys()];
  }

  appendToStream(
    stream: StreamId,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    return this.appendMulti(stream.tenantId, [{ stream, expectedVersion, events }], options);
  }

  async appendMulti(
    tenantId: string,
    writes: readonly StreamWrite[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    if (options?.in !== undefined) {
      throw new ValidationError('options.in', 'the in-memory store cannot join an SQL transaction');
    }
    validateAppend(tenantId, writes);
    const eventIds = writes.flatMap((write) => write.events.map((event) => event.eventId));
    const stored = eventIds.flatMap((id) => this.byEventId.get(id) ?? []);
    if (stored.length > 0) return this.retried(tenantId, writes, eventIds, stored);

    const versions = writes.map((write) => {
      const actual = this.streamEvents(write.stream).length;
      if (!expectationHolds(write.expectedVersion, actual)) {
        throw new ConcurrencyError(write.stream, write.expectedVersion, actual);
      }
      return actual;
    });
    const txId = ++this.lastTxId;
    const recordedAt = new Date(Math.floor(this.now().getTime()));
    const tenantLog = this.tenantLog(tenantId);
    const firstTenantSeq = tenantLog.length + 1;
    const globalPositions: number[] = [];
    writes.forEach((write, index) => {
      const streamLog = this.streamEvents(write.stream);
      for (const event of write.events) {
        const recorded = this.record(event, write.stream, {
          version: ++(versions[index] as number),
          tenantSeq: tenantLog.length + 1,
          globalPosition: this.log.length + 1,
          txId,
          recordedAt,
        });
        streamLog.push(recorded);
        tenantLog.push(recorded);
        this.log.push(recorded);
        this.byEventId.set(recorded.eventId, recorded);
        globalPositions.push(recorded.globalPosition);
      }
    });
    return {
      versions,
      firstTenantSeq,
      lastTenantSeq: tenantLog.length,
      globalPositions,
      txId,
      recordedAt,
      idempotentReplay: false,
    };
  }

  async streamVersion(stream: StreamId): Promise<number> {
    validateStreamId(stream);
    return this.streams.get(streamKey(stream))?.length ?? 0;
  }

  async *readStream(stream: StreamId, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    validateStreamId(stream);
    checkBatchSize(options.batchSize);
    const events = this.streams.get(streamKey(stream)) ?? [];
    const backward = options.direction === 'backward';
    const from = options.fromVersion ?? (backward ? events.length : 1);
    const bound = options.toVersion ?? (backward ? 1 : events.length);
    const [first, last] = backward
      ? [Math.min(from, events.length), Math.max(bound, 1)]
      : [Math.max(from, 1), Math.min(bound, events.length)];
    const step = backward ? -1 : 1;
    for (let version = first; backward ? version >= last : version <= last; version += step) {
      const event = events[version - 1] as RecordedEvent;
      if (options.asOf === undefined || event.recordedAt <= options.asOf) yield event;
    }
  }

  async *readTenantLog(tenantId: string, filter: TenantLogFilter = {}): AsyncIterable<RecordedEvent> {
    validateStreamId({ tenantId, aggregateType: 'x', aggregateId: 'x' }, 'tenant');
    checkBatchSize(filter.batchSize);
    const events = this.tenants.get(tenantId) ?? [];
    let remaining = filter.limit ?? Number.POSITIVE_INFINITY;
    for (let index = filter.afterTenantSeq ?? 0; index < events.length && remaining > 0; index++) {
      const event = events[index] as RecordedEvent;
      if (!matchesTenantFilter(event, filter)) continue;
      remaining--;
      yield event;
    }
  }

  async *readGlobalFeed(options: GlobalFeedOptions = {}): AsyncIterable<RecordedEvent> {
    checkBatchSize(options.batchSize);
    const after = options.after ?? START_OF_FEED;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    for (let index = this.firstAfter(after); index < this.log.length && remaining > 0; index++) {
      remaining--;
      yield this.log[index] as RecordedEvent;
    }
  }

  /** The first index of the log past `after` (binary search: the log ascends by (txId, globalPosition)). */
  private firstAfter(after: { readonly txId: number; readonly globalPosition: number }): number {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const event = this.log[middle] as RecordedEvent;
      const beyond =
        event.txId > after.txId || (event.txId === after.txId && event.globalPosition > after.globalPosition);
      if (beyond) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /** A retry of a stored append answers with its result; reusing only some of its ids is refused. */
  private retried(
    tenantId: string,
    writes: readonly StreamWrite[],
    eventIds: readonly string[],
    stored: readonly RecordedEvent[],
  ): AppendResult {
    if (stored.length !== eventIds.length || stored.some((event) => event.tenantId !== tenantId)) {
      throw new EventIdReusedError(stored.map((event) => event.eventId));
    }
    const inOrder = [...stored].sort((a, b) => a.tenantSeq - b.tenantSeq);
    const first = inOrder[0] as RecordedEvent;
    const last = inOrder.at(-1) as RecordedEvent;
    return {
      versions: writes.map((write) =>
        Math.max(
          0,
          ...inOrder
            .filter(
              (event) =>
                event.aggregateType === write.stream.aggregateType &&
                event.aggregateId === write.stream.aggregateId,
            )
            .map((event) => event.version),
        ),
      ),
      firstTenantSeq: first.tenantSeq,
      lastTenantSeq: last.tenantSeq,
      globalPositions: inOrder.map((event) => event.globalPosition),
      txId: last.txId,
      recordedAt: last.recordedAt,
      idempotentReplay: true,
    };
  }

  private record(
    event: NewEvent,
    stream: StreamId,
    assigned: Pick<RecordedEvent, 'version' | 'tenantSeq' | 'globalPosition' | 'txId' | 'recordedAt'>,
  ): RecordedEvent {
    return Object.freeze({
      eventId: event.eventId,
      eventType: event.eventType,
      schemaVersion: event.schemaVersion,
      tenantId: stream.tenantId,
      branchId: event.branchId ?? null,
      aggregateType: stream.aggregateType,
      aggregateId: stream.aggregateId,
      occurredAt: new Date(event.occurredAt.getTime()),
      causationId: event.causationId ?? null,
      correlationId: event.correlationId ?? null,
      actor: Object.freeze({ ...event.actor }),
      // A copy, so a writer changing its object afterwards cannot change history.
      payload: structuredClone(event.payload),
      ...assigned,
    });
  }

  private tenantLog(tenantId: string): RecordedEvent[] {
    let events = this.tenants.get(tenantId);
    if (!events) this.tenants.set(tenantId, (events = []));
    return events;
  }

  private streamEvents(stream: StreamId): RecordedEvent[] {
    const key = streamKey(stream);
    let events = this.streams.get(key);
    if (!events) this.streams.set(key, (events = []));
    return events;
  }
}

function streamKey(stream: StreamId): string {
  return `${stream.tenantId}\u0000${stream.aggregateType}\u0000${stream.aggregateId}`;
}

function expectationHolds(expected: ExpectedVersion, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 0;
  if (expected === 'stream_exists') return actual > 0;
  return actual === expected;
}

function matchesTenantFilter(event: RecordedEvent, filter: TenantLogFilter): boolean {
  const within = (time: Date, from: Date | undefined, to: Date | undefined) =>
    (from === undefined || time >= from) && (to === undefined || time < to);
  return (
    (filter.branchId === undefined || event.branchId === filter.branchId) &&
    (filter.aggregateTypes === undefined || filter.aggregateTypes.includes(event.aggregateType)) &&
    (filter.eventTypes === undefined || filter.eventTypes.includes(event.eventType)) &&
    within(event.recordedAt, filter.recordedFrom, filter.recordedTo) &&
    within(event.occurredAt, filter.occurredFrom, filter.occurredTo)
  );
}

function checkBatchSize(requested: number | undefined): void {
  if (requested === undefined) return;
  if (!Number.isSafeInteger(requested) || requested < 1 || requested > MAX_BATCH) {
    throw new ValidationError('batchSize', `must be an integer from 1 to ${MAX_BATCH}`);
  }
}
