import type { NewEvent, RecordedEvent, StreamId } from './envelope.ts';
import type { ExpectedVersion } from './expected-version.ts';
import type { Sql } from './engines/engine.ts';

/** One stream's part of an append. `events` may be empty: then the expectation is only checked. */
export interface StreamWrite {
  readonly stream: StreamId;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly NewEvent[];
}

export interface AppendResult {
  /** The version each written stream is at now, in the order of the writes. */
  readonly versions: readonly number[];
  readonly firstTenantSeq: number;
  readonly lastTenantSeq: number;
  readonly globalPositions: readonly number[];
  readonly txId: number;
  readonly recordedAt: Date;
  /** True when these event ids were already stored: a retry, answered with the original result. */
  readonly idempotentReplay: boolean;
}

/** Position in the global feed. Sequence values are not commit-ordered, so the cursor is the pair. */
export interface GlobalCursor {
  readonly txId: number;
  readonly globalPosition: number;
}

export const START_OF_FEED: GlobalCursor = { txId: 0, globalPosition: 0 };

export interface ReadStreamOptions {
  readonly direction?: 'forward' | 'backward';
  /** Inclusive. Forward default 1; backward default the last version. */
  readonly fromVersion?: number;
  /** Inclusive upper bound on version (forward) or lower bound (backward). */
  readonly toVersion?: number;
  /** Only events recorded at or before this instant: the stream as it was then. */
  readonly asOf?: Date;
  readonly batchSize?: number;
}

export interface TenantLogFilter {
  readonly afterTenantSeq?: number;
  readonly branchId?: string;
  readonly aggregateTypes?: readonly string[];
  readonly eventTypes?: readonly string[];
  /** Window on recorded_at (commit time): [from, to). */
  readonly recordedFrom?: Date;
  readonly recordedTo?: Date;
  /** Window on occurred_at (business time): [from, to). */
  readonly occurredFrom?: Date;
  readonly occurredTo?: Date;
  readonly batchSize?: number;
  readonly limit?: number;
}

export interface GlobalFeedOptions {
  readonly after?: GlobalCursor;
  readonly batchSize?: number;
  readonly limit?: number;
}

export interface AppendOptions {
  /** Append inside the caller's transaction (e.g. a process manager moving its checkpoint). */
  readonly in?: Sql;
}

/**
 * The store port. Every read streams in batches; nothing loads a whole log into memory.
 *
 * @example
 * const result = await store.appendToStream(
 *   { tenantId: 't1', aggregateType: 'booking', aggregateId: 'b-1' }, 'no_stream', [bookingCreated]);
 * for await (const event of store.readStream(stream)) state = evolve(state, event);
 */
export interface EventStore {
  appendToStream(
    stream: StreamId,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** Several streams of one tenant in one transaction: all expectations hold and all events land, or nothing. */
  appendMulti(
    tenantId: string,
    writes: readonly StreamWrite[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  streamVersion(stream: StreamId): Promise<number>;
  readStream(stream: StreamId, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readTenantLog(tenantId: string, filter?: TenantLogFilter): AsyncIterable<RecordedEvent>;
  /** Every tenant's events; never skips or repeats one, whatever order transactions commit in. */
  readGlobalFeed(options?: GlobalFeedOptions): AsyncIterable<RecordedEvent>;
}
