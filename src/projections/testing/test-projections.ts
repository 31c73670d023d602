/**
 * Small projections for the runtime's and replays' tests: a per-tenant counter (applying an event twice shows
 * as a wrong count) and a per-stream "last event" table whose chain column depends on the order of events.
 * Each factory takes a suffix so that tests sharing one database never share tables or checkpoints.
 */
import type { JsonValue } from '../../shared/canonical-json.ts';
import type { Projection } from '../projection.ts';
import { RowBuffer, type Row } from '../read-models/shared/row-buffer.ts';

export interface CounterOptions {
  readonly eventTypes?: readonly string[];
  /** Throws on events for which this returns true (a poison event), e.g. while a flag is set. */
  readonly failOn?: (payload: JsonValue) => boolean;
  readonly version?: number;
}

/** read.counter_<suffix>: per tenant, how many events it applied and the last tenant_seq. */
export function counterProjection(suffix: string, options: CounterOptions = {}): Projection {
  const table = `counter_${suffix}`;
  return {
    name: table,
    version: options.version ?? 1,
    tables: [table],
    ...(options.eventTypes ? { eventTypes: options.eventTypes } : {}),
    createTables: (t) =>
      `create table ${t[table]} (tenant_id text primary key, events integer not null, last_seq bigint not null)`,
    apply: async (event, tx, t) => {
      if (options.failOn?.(event.payload)) throw new Error(`refused event ${event.tenantSeq}`);
      await tx.query(
        `insert into ${t[table]} as c (tenant_id, events, last_seq) values ($1, 1, $2)
          on conflict (tenant_id) do update set events = c.events + 1, last_seq = excluded.last_seq`,
        [event.tenantId, event.tenantSeq],
      );
    },
  };
}

/**
 * read.stream_last_<suffix>: per stream, its last version and event type, the amount in the payload, and a
 * chain of every event id applied (md5 of previous chain || id), so applying in another order changes it.
 * Branch-sliceable: every event of a stream carries the stream's branch.
 */
export function streamLastProjection(suffix: string, version = 1): Projection {
  const table = `stream_last_${suffix}`;
  return {
    name: table,
    version,
    tables: [table],
    sliceColumns: { branch: 'branch_id' },
    createTables: (t) =>
      `create table ${t[table]} (
        tenant_id text not null, branch_id text, aggregate_type text not null, aggregate_id text not null,
        version bigint not null, last_event_type text not null, amount bigint, chain text not null,
        ${version > 1 ? 'events integer not null,' : ''}
        primary key (tenant_id, aggregate_type, aggregate_id))`,
    apply: async (event, tx, t) => {
      const payload = event.payload as { amount?: { minor?: number } } | null;
      const amount = payload?.amount?.minor ?? null;
      await tx.query(
        `insert into ${t[table]} as s (tenant_id, branch_id, aggregate_type, aggregate_id, version,
            last_event_type, amount, chain ${version > 1 ? ', events' : ''})
          values ($1, $2, $3, $4, $5, $6, $7, md5($8) ${version > 1 ? ', 1' : ''})
          on conflict (tenant_id, aggregate_type, aggregate_id) do update set
            version = excluded.version, last_event_type = excluded.last_event_type,
            amount = coalesce(excluded.amount, s.amount), chain = md5(s.chain || $8)
            ${version > 1 ? ', events = s.events + 1' : ''}`,
        [
          event.tenantId,
          event.branchId,
          event.aggregateType,
          event.aggregateId,
          event.version,
          event.eventType,
          amount,
          event.eventId,
        ],
      );
    },
  };
}

/**
 * The counter with a batched apply: one multi-row upsert per batch. `onBatch` hears the size of every batch
 * `applyBatch` was given.
 */
export function batchedCounterProjection(
  suffix: string,
  options: CounterOptions & { readonly onBatch?: (size: number) => void } = {},
): Projection {
  const counter = counterProjection(suffix, options);
  const table = `counter_${suffix}`;
  return {
    ...counter,
    applyBatch: async (events, tx, t) => {
      options.onBatch?.(events.length);
      const tenants = new Map<string, { events: number; lastSeq: number }>();
      for (const event of events) {
        if (options.failOn?.(event.payload)) throw new Error(`refused event ${event.tenantSeq}`);
        const tenant = tenants.get(event.tenantId) ?? { events: 0, lastSeq: 0 };
        tenants.set(event.tenantId, { events: tenant.events + 1, lastSeq: event.tenantSeq });
      }
      await tx.query(
        `insert into ${t[table]} as c (tenant_id, events, last_seq)
          select * from unnest($1::text[], $2::integer[], $3::bigint[])
          on conflict (tenant_id) do update set events = c.events + excluded.events, last_seq = excluded.last_seq`,
        [
          [...tenants.keys()],
          [...tenants.values()].map((v) => v.events),
          [...tenants.values()].map((v) => v.lastSeq),
        ],
      );
    },
  };
}

/**
 * The counter kept through a RowBuffer, so that replays hold it in memory (ResidentTable): each event changes
 * the tenant's row before the poison check, so a failed batch that is not undone shows as a wrong count.
 */
export function bufferedCounterProjection(suffix: string, options: CounterOptions = {}): Projection {
  const counter = counterProjection(suffix, options);
  const table = `counter_${suffix}`;
  const applyBatch: Projection['applyBatch'] = async (events, tx, t) => {
    const rows = new RowBuffer<CounterRow>(
      t[table] as string,
      { tenant_id: 'text', events: 'integer', last_seq: 'bigint' },
      ['tenant_id'],
    );
    await rows.load(
      tx,
      [...new Set(events.map((event) => event.tenantId))].map((tenantId) => [tenantId]),
    );
    for (const event of events) {
      const row = rows.get([event.tenantId]);
      if (row === undefined) rows.insert({ tenant_id: event.tenantId, events: 1, last_seq: event.tenantSeq });
      else rows.update([event.tenantId], { events: row.events + 1, last_seq: event.tenantSeq });
      if (options.failOn?.(event.payload)) throw new Error(`refused event ${event.tenantSeq}`);
    }
    await rows.flush(tx);
  };
  return { ...counter, apply: (event, tx, t) => applyBatch([event], tx, t), applyBatch };
}

interface CounterRow extends Row {
  readonly tenant_id: string;
  readonly events: number;
  readonly last_seq: number;
}
