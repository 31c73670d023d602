/** The event store as a request sees it: tenant-scoped underneath, counting appends and conflicts. */
import type { NewEvent, RecordedEvent, StreamId } from '../store/envelope.ts';
import { ConcurrencyError } from '../store/errors.ts';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  GlobalFeedOptions,
  ReadStreamOptions,
  StreamWrite,
  TenantLogFilter,
} from '../store/event-store.ts';
import type { ExpectedVersion } from '../store/expected-version.ts';
import type { ApiMetrics } from './metrics.ts';

export class MeteredEventStore implements EventStore {
  constructor(
    private readonly store: EventStore,
    private readonly metrics: ApiMetrics,
  ) {}

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
    try {
      const result = await this.store.appendMulti(tenantId, writes, options);
      this.metrics.appends.inc({ outcome: result.idempotentReplay ? 'replay' : 'ok' });
      if (!result.idempotentReplay) {
        this.metrics.appendedEvents.inc(writes.reduce((sum, write) => sum + write.events.length, 0));
      }
      return result;
    } catch (error) {
      this.metrics.appends.inc({ outcome: error instanceof ConcurrencyError ? 'conflict' : 'error' });
      throw error;
    }
  }

  streamVersion(stream: StreamId): Promise<number> {
    return this.store.streamVersion(stream);
  }

  readStream(stream: StreamId, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return this.store.readStream(stream, options);
  }

  readTenantLog(tenantId: string, filter?: TenantLogFilter): AsyncIterable<RecordedEvent> {
    return this.store.readTenantLog(tenantId, filter);
  }

  readGlobalFeed(options?: GlobalFeedOptions): AsyncIterable<RecordedEvent> {
    return this.store.readGlobalFeed(options);
  }
}
