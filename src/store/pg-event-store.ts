import { buildAppendRequest } from './append-request.ts';
import type { NewEvent, RecordedEvent, StreamId } from './envelope.ts';
import type { Engine, Sql } from './engines/engine.ts';
import { ConcurrencyError, EventIdReusedError, TenantOrderRaceError } from './errors.ts';
import {
  START_OF_FEED,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type GlobalCursor,
  type GlobalFeedOptions,
  type ReadStreamOptions,
  type StreamWrite,
  type TenantLogFilter,
} from './event-store.ts';
import { EVENT_COLUMNS, EVENT_JSON, toSafeInteger, type StoredRow } from './event-row.ts';
import { readInPages } from './read-in-pages.ts';
import type { ExpectedVersion } from './expected-version.ts';
import { validateStreamId } from './validate-new-event.ts';
import { SqlFilter } from './sql-filter.ts';
import { AppendNotifier } from './append-notifier.ts';

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
        { prepareAs: 'mymedic_append_events' },
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
    const bound = options.toVersion ?? (backward ? 1 : Number.MAX_SAFE_INTEGER);
    const text = `select ${EVENT_COLUMNS} from mymedic.events
      where tenant_id = $1 and aggregate_type = $2 and aggregate_id = $3
        and version ${backward ? '<=' : '>='} $4 and version ${backward ? '>=' : '<='} $5
        and ($6::timestamptz is null or recorded_at <= $6)
      order by version ${backward ? 'desc' : 'asc'} limit $7`;
    const prepareAs = `mymedic_read_stream_${backward ? 'backward' : 'forward'}`;
    yield* readInPages({
      first: options.fromVersion ?? (backward ? Number.MAX_SAFE_INTEGER : 1),
      batchSize: options.batchSize,
      fetch: async (from, take) => {
        const { rows } = await this.engine.query<StoredRow>(
          text,
          [
            stream.tenantId,
            stream.aggregateType,
            stream.aggregateId,
            from,
            bound,
            options.asOf ?? null,
            take,
          ],
          { prepareAs, arrayRows: true },
        );
        return rows;
      },
      next: (last) => last.version + (backward ? -1 : 1),
    });
  }

  async *readTenantLog(tenantId: string, filter: TenantLogFilter = {}): AsyncIterable<RecordedEvent> {
    validateStreamId({ tenantId, aggregateType: 'x', aggregateId: 'x' }, 'tenant');
    const where = new SqlFilter();
    const tenantParam = where.param(tenantId);
    const afterParam = where.param(0);
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
    yield* readInPages({
      first: filter.afterTenantSeq ?? 0,
      batchSize: filter.batchSize,
      ...(filter.limit !== undefined ? { limit: filter.limit } : {}),
      fetch: async (after, take) => {
        const { rows } = await this.engine.query<StoredRow>(
          text,
          where.values({ [afterParam]: after, [limitParam]: take }),
          { arrayRows: true },
        );
        return rows;
      },
      next: (last) => last.tenantSeq,
    });
  }

  // Not a generator delegating to readInPages: each level of async generator costs every event another round
  // of promises, and a whole-log read hands out hundreds of thousands. Arguments are still checked lazily.
  readGlobalFeed(options: GlobalFeedOptions = {}): AsyncIterable<RecordedEvent> {
    return readInPages<GlobalCursor>({
      first: options.after ?? START_OF_FEED,
      batchSize: options.batchSize,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      fetch: (cursor, take) => readFeedPage(this.engine, cursor, take),
      next: (last) => ({ txId: last.txId, globalPosition: last.globalPosition }),
    });
  }
}

/**
 * One page of the global feed after `cursor`. Rows are read in (tx_id, global_position) order and only below
 * the oldest transaction still running, so a transaction that commits later than one with a higher id can
 * never land behind a reader's cursor.
 */
export async function readFeedPage(sql: Sql, cursor: GlobalCursor, limit: number): Promise<StoredRow[]> {
  const { rows } = await sql.query<StoredRow>(
    `select ${EVENT_JSON} from mymedic.events
      where (events.tx_id, events.global_position) > ($1::text::xid8, $2::bigint)
        and events.tx_id < pg_snapshot_xmin(pg_current_snapshot())
      order by events.tx_id, events.global_position limit $3`,
    [String(cursor.txId), cursor.globalPosition, limit],
    { prepareAs: 'mymedic_feed_page_json', arrayRows: true },
  );
  return rows;
}

function translateAppendError(error: unknown, tenantId: string): unknown {
  const { code, detail } = (error ?? {}) as { code?: string; detail?: string };
  if (code === 'MMDUP') return new EventIdReusedError((detail ?? '').split(',').filter(Boolean));
  if (code === 'MMORD') return new TenantOrderRaceError(tenantId);
  if (code === '23505' && String(detail).includes('event_id')) return new EventIdReusedError([]);
  return error;
}
