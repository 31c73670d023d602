/**
 * Reads a replay's events page by page, in chronological order: one tenant's log in tenant_seq order, or
 * every tenant through the global feed (each tenant's events still in tenant_seq order; no order across
 * tenants). An optional upper bound stops at what the live projection has processed, so a rebuilt slice can
 * be compared with, or put in place of, the live one.
 */
import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../store/envelope.ts';
import type { Sql } from '../store/engines/engine.ts';
import { EVENT_JSON, toRecordedEvent, toSafeInteger, type StoredRow } from '../store/event-row.ts';
import { START_OF_FEED, type GlobalCursor } from '../store/event-store.ts';
import { SqlFilter } from '../store/sql-filter.ts';
import type { SubscriptionCursor } from '../store/subscriptions/subscription-cursor.ts';
import type { ReplaySlice } from './replay-slice.ts';

export class EventSource {
  constructor(
    private readonly slice: ReplaySlice,
    private readonly eventTypes: readonly string[] | undefined,
  ) {}

  start(): SubscriptionCursor {
    return this.slice.tenantId === undefined
      ? { scope: 'all', feed: START_OF_FEED }
      : { scope: 'tenant', tenantSeq: 0 };
  }

  /** Up to `limit` events after `after` and at or before `upTo` (when given), in replay order. */
  async page(
    sql: Sql,
    after: SubscriptionCursor,
    upTo: SubscriptionCursor | undefined,
    limit: number,
  ): Promise<RecordedEvent[]> {
    const where = this.filter();
    if (after.scope === 'tenant') {
      where.add(`tenant_seq > ${where.param(after.tenantSeq)}`);
      if (upTo?.scope === 'tenant') where.add(`tenant_seq <= ${where.param(upTo.tenantSeq)}`);
    } else {
      where.add(
        `(tx_id, global_position) > (${where.param(String(after.feed.txId))}::text::xid8, ${where.param(after.feed.globalPosition)}::bigint)`,
      );
      // As in the live feed: nothing at or above the oldest running transaction, which may still commit below.
      where.add('tx_id < pg_snapshot_xmin(pg_current_snapshot())');
      if (upTo?.scope === 'all') {
        where.add(
          `(tx_id, global_position) <= (${where.param(String(upTo.feed.txId))}::text::xid8, ${where.param(upTo.feed.globalPosition)}::bigint)`,
        );
      }
    }
    // Qualified: a bare `tx_id` in ORDER BY would mean the selected text column, sorting '999' after '1000'
    // (so a page boundary there skips events) and scanning the whole table on every page.
    const order = after.scope === 'tenant' ? 'events.tenant_seq' : 'events.tx_id, events.global_position';
    const text = `select ${EVENT_JSON} from mymedic.events where ${where.sql()} order by ${order}
        limit ${where.param(limit)}`;
    // Each row as one JSON text (decoded with one parse, by toRecordedEvent) and a statement prepared per
    // connection: a rebuild reads thousands of pages with the same text.
    const { rows } = await sql.query<StoredRow>(text, where.values(), {
      arrayRows: true,
      prepareAs: `replay_page_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`,
    });
    return rows.map(toRecordedEvent);
  }

  /** How many events the slice holds now (for progress and ETA only). */
  async count(sql: Sql): Promise<number> {
    const where = this.filter();
    const { rows } = await sql.query<{ n: string }>(
      `select count(*) as n from mymedic.events where ${where.sql()}`,
      where.values(),
    );
    return toSafeInteger(rows[0]?.n ?? 0);
  }

  private filter(): SqlFilter {
    const { tenantId, branchId, aggregateType, aggregateId, from, to, timeField } = this.slice;
    const where = new SqlFilter();
    if (tenantId !== undefined) where.add(`tenant_id = ${where.param(tenantId)}`);
    if (branchId !== undefined) where.add(`branch_id = ${where.param(branchId)}`);
    if (aggregateType !== undefined) where.add(`aggregate_type = ${where.param(aggregateType)}`);
    if (aggregateId !== undefined) where.add(`aggregate_id = ${where.param(aggregateId)}`);
    if (this.eventTypes !== undefined) where.add(`event_type = any(${where.param(this.eventTypes)}::text[])`);
    const column = timeField === 'occurred' ? 'occurred_at' : 'recorded_at';
    if (from !== undefined) where.add(`${column} >= ${where.param(from)}`);
    if (to !== undefined) where.add(`${column} < ${where.param(to)}`);
    return where;
  }
}

/** The last event of the global feed that a reader can see now (the start of the feed when there is none). */
export async function feedHead(sql: Sql): Promise<GlobalCursor> {
  const { rows } = await sql.query<{ tx_id: string; global_position: string }>(
    `select tx_id::text as tx_id, global_position from mymedic.events
      where tx_id < pg_snapshot_xmin(pg_current_snapshot())
      order by events.tx_id desc, events.global_position desc limit 1`,
  );
  const row = rows[0];
  return row
    ? { txId: toSafeInteger(row.tx_id), globalPosition: toSafeInteger(row.global_position) }
    : START_OF_FEED;
}
