import { ValidationError } from '../shared/errors.ts';
import { contentHash } from './chain-hash.ts';
import type { NewEvent, RecordedEvent, StreamId } from './envelope.ts';
import type { Engine, Sql } from './engines/engine.ts';
import { ConcurrencyError, EventIdReusedError, TenantOrderRaceError } from './errors.ts';
import {
  START_OF_FEED,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type GlobalFeedOptions,
  type ReadStreamOptions,
  type StreamWrite,
  type TenantLogFilter,
} from './event-store.ts';
import { EVENT_COLUMNS, toRecordedEvent, toSafeInteger, type EventRow } from './event-row.ts';
import type { ExpectedVersion } from './expected-version.ts';
import { validateExpectedVersion, validateNewEvent, validateStreamId } from './validate-new-event.ts';
import { SqlFilter } from './sql-filter.ts';
import { AppendNotifier } from './append-notifier.ts';

const DEFAULT_BATCH = 500;

interface AppendResponse {
  status: 'ok' | 'duplicate' | 'conflict';
  stream_index?: number;
  actual?: number;
  versions?: (number | null)[];
  first_tenant_seq?: number;
  last_tenant_seq?: number;
  global_positions?: number[];
  tx_id?: string;
  recorded_at?: string;
}

/** The event store on either engine: one SQL dialect, the append done by one server-side function call. */
export class PgEventStore implements EventStore {
  private readonly notifier: AppendNotifier;

  constructor(readonly engine: Engine) {
    this.notifier = new AppendNotifier(engine);
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
    const request = buildAppendRequest(tenantId, writes);
    const sql = options?.in ?? this.engine;
    let response: AppendResponse;
    try {
      const { rows } = await sql.query<{ r: AppendResponse }>(
        'select mymedic.append_events($1, $2::jsonb, $3::jsonb) as r',
        [tenantId, request.streams, request.events],
      );
      response = rows[0]!.r;
    } catch (error) {
      throw translateAppendError(error, tenantId);
    }
    if (response.status === 'conflict') {
      const write = writes[response.stream_index ?? 0]!;
      throw new ConcurrencyError(write.stream, write.expectedVersion, response.actual ?? 0);
    }
    if (response.status === 'ok') this.notifier.notify(tenantId);
    return {
      versions: (response.versions ?? []).map((version) => version ?? 0),
      firstTenantSeq: response.first_tenant_seq ?? 0,
      lastTenantSeq: response.last_tenant_seq ?? 0,
      globalPositions: response.global_positions ?? [],
      txId: toSafeInteger(response.tx_id ?? '0'),
      recordedAt: new Date(response.recorded_at ?? 0),
      idempotentReplay: response.status === 'duplicate',
    };
  }

  async streamVersion(stream: StreamId): Promise<number> {
    validateStreamId(stream);
    const { rows } = await this.engine.query<{ version: string }>(
      'select version from mymedic.streams where tenant_id = $1 and aggregate_type = $2 and aggregate_id = $3',
      [stream.tenantId, stream.aggregateType, stream.aggregateId],
    );
    return rows[0] ? toSafeInteger(rows[0].version) : 0;
  }

  async *readStream(stream: StreamId, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    validateStreamId(stream);
    const backward = options.direction === 'backward';
    const batchSize = batchSizeOf(options.batchSize);
    let next = options.fromVersion ?? (backward ? Number.MAX_SAFE_INTEGER : 1);
    const bound = options.toVersion ?? (backward ? 1 : Number.MAX_SAFE_INTEGER);
    for (;;) {
      const { rows } = await this.engine.query<EventRow>(
        `select ${EVENT_COLUMNS} from mymedic.events
          where tenant_id = $1 and aggregate_type = $2 and aggregate_id = $3
            and version ${backward ? '<=' : '>='} $4 and version ${backward ? '>=' : '<='} $5
            and ($6::timestamptz is null or recorded_at <= $6)
          order by version ${backward ? 'desc' : 'asc'} limit $7`,
        [
          stream.tenantId,
          stream.aggregateType,
          stream.aggregateId,
          next,
          bound,
          options.asOf ?? null,
          batchSize,
        ],
      );
      for (const row of rows) yield toRecordedEvent(row);
      const last = rows.at(-1);
      if (rows.length < batchSize || !last) return;
      next = toSafeInteger(last.version) + (backward ? -1 : 1);
    }
  }

  async *readTenantLog(tenantId: string, filter: TenantLogFilter = {}): AsyncIterable<RecordedEvent> {
    validateStreamId({ tenantId, aggregateType: 'x', aggregateId: 'x' }, 'tenant');
    const batchSize = batchSizeOf(filter.batchSize);
    let remaining = filter.limit ?? Number.POSITIVE_INFINITY;
    let after = filter.afterTenantSeq ?? 0;
    const where = new SqlFilter();
    const tenantParam = where.param(tenantId);
    const afterParam = where.param(after);
    where.add(`tenant_id = ${tenantParam}`).add(`tenant_seq > ${afterParam}`);
    if (filter.branchId !== undefined) where.add(`branch_id = ${where.param(filter.branchId)}`);
    if (filter.aggregateTypes)
      where.add(`aggregate_type = any(${where.param(filter.aggregateTypes)}::text[])`);
    if (filter.eventTypes) where.add(`event_type = any(${where.param(filter.eventTypes)}::text[])`);
    if (filter.recordedFrom) where.add(`recorded_at >= ${where.param(filter.recordedFrom)}`);
    if (filter.recordedTo) where.add(`recorded_at < ${where.param(filter.recordedTo)}`);
    if (filter.occurredFrom) where.add(`occurred_at >= ${where.param(filter.occurredFrom)}`);
    if (filter.occurredTo) where.add(`occurred_at < ${where.param(filter.occurredTo)}`);
    const limitParam = where.param(0);
    const text = `select ${EVENT_COLUMNS} from mymedic.events where ${where.sql()}
      order by tenant_seq limit ${limitParam}`;
    while (remaining > 0) {
      const take = Math.min(batchSize, remaining);
      const { rows } = await this.engine.query<EventRow>(
        text,
        where.values({ [afterParam]: after, [limitParam]: take }),
      );
      for (const row of rows) yield toRecordedEvent(row);
      remaining -= rows.length;
      const last = rows.at(-1);
      if (rows.length < take || !last) return;
      after = toSafeInteger(last.tenant_seq);
    }
  }

  async *readGlobalFeed(options: GlobalFeedOptions = {}): AsyncIterable<RecordedEvent> {
    const batchSize = batchSizeOf(options.batchSize);
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    let cursor = options.after ?? START_OF_FEED;
    while (remaining > 0) {
      const take = Math.min(batchSize, remaining);
      const rows = await readFeedPage(this.engine, cursor, take);
      for (const row of rows) yield toRecordedEvent(row);
      remaining -= rows.length;
      const last = rows.at(-1);
      if (rows.length < take || !last) return;
      cursor = { txId: toSafeInteger(last.tx_id), globalPosition: toSafeInteger(last.global_position) };
    }
  }
}

/**
 * One page of the global feed after `cursor`. Rows are read in (tx_id, global_position) order and only below
 * the oldest transaction still running, so a transaction that commits later than one with a higher id can
 * never land behind a reader's cursor.
 */
export async function readFeedPage(
  sql: Sql,
  cursor: { readonly txId: number; readonly globalPosition: number },
  limit: number,
): Promise<EventRow[]> {
  const { rows } = await sql.query<EventRow>(
    // Qualified names: a bare `tx_id` in ORDER BY would mean the selected text column, sorting '999' after
    // '1000' and scanning the whole table instead of walking events_feed_idx.
    `select ${EVENT_COLUMNS} from mymedic.events
      where (events.tx_id, events.global_position) > ($1::text::xid8, $2::bigint)
        and events.tx_id < pg_snapshot_xmin(pg_current_snapshot())
      order by events.tx_id, events.global_position limit $3`,
    [String(cursor.txId), cursor.globalPosition, limit],
  );
  return rows;
}

function buildAppendRequest(
  tenantId: string,
  writes: readonly StreamWrite[],
): { streams: string; events: string } {
  if (writes.length === 0) throw new ValidationError('writes', 'at least one stream');
  const seenStreams = new Set<string>();
  const seenEvents = new Set<string>();
  const streams: object[] = [];
  const events: object[] = [];
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
      const branchId = event.branchId ?? null;
      const causationId = event.causationId ?? null;
      const correlationId = event.correlationId ?? null;
      events.push({
        stream_index: streamIndex,
        event_id: event.eventId,
        event_type: event.eventType,
        schema_version: event.schemaVersion,
        branch_id: branchId,
        occurred_at: event.occurredAt.toISOString(),
        causation_id: causationId,
        correlation_id: correlationId,
        actor: event.actor,
        payload: event.payload,
        content_hash: contentHash({
          ...event,
          tenantId,
          branchId,
          causationId,
          correlationId,
          aggregateType: write.stream.aggregateType,
          aggregateId: write.stream.aggregateId,
        }).toString('hex'),
      });
    });
  });
  if (events.length === 0) throw new ValidationError('writes', 'an append needs at least one event');
  return { streams: JSON.stringify(streams), events: JSON.stringify(events) };
}

function translateAppendError(error: unknown, tenantId: string): unknown {
  const { code, detail } = (error ?? {}) as { code?: string; detail?: string };
  if (code === 'MMDUP') return new EventIdReusedError((detail ?? '').split(',').filter(Boolean));
  if (code === 'MMORD') return new TenantOrderRaceError(tenantId);
  if (code === '23505' && String(detail).includes('event_id')) return new EventIdReusedError([]);
  return error;
}

function batchSizeOf(requested: number | undefined): number {
  const size = requested ?? DEFAULT_BATCH;
  if (!Number.isSafeInteger(size) || size < 1 || size > 10_000) {
    throw new ValidationError('batchSize', 'must be an integer from 1 to 10000');
  }
  return size;
}
