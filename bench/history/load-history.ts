/**
 * Copies tenants' logs from one store (the in-memory store a history was generated in) into the PostgreSQL
 * store through its port: large multi-stream appends, so the store itself assigns tenant_seq, versions and
 * the hash chain exactly as it would have for the original appends. The merged appends of a tenant are still
 * small (a slot ledger or a payment recurs within a few commands), so many of them share one transaction
 * and one commit. Tenants load concurrently.
 */
import { performance } from 'node:perf_hooks';
import type { Engine } from '../../src/store/engines/engine.ts';
import type { RecordedEvent } from '../../src/store/envelope.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { PgEventStore } from '../../src/store/pg-event-store.ts';
import { replayAppends, type ReplayAppend } from './replay-appends.ts';

export interface LoadOptions {
  /** Tenants loaded at once (default 2). */
  readonly concurrency?: number;
  /** Events per append at most (default 1,000). */
  readonly maxEventsPerAppend?: number;
  /** Events per transaction at most (default 1,000). */
  readonly maxEventsPerTransaction?: number;
  readonly onProgress?: (loaded: number) => void;
}

export interface LoadReport {
  readonly events: number;
  readonly appends: number;
  readonly transactions: number;
  readonly seconds: number;
}

export async function loadHistory(
  source: EventStore,
  tenantIds: readonly string[],
  target: Engine,
  options: LoadOptions = {},
): Promise<LoadReport> {
  const started = performance.now();
  const queue = [...tenantIds];
  let events = 0;
  let appends = 0;
  let transactions = 0;
  const store = new PgEventStore(target);
  const worker = async () => {
    for (let tenantId = queue.shift(); tenantId !== undefined; tenantId = queue.shift()) {
      const log: RecordedEvent[] = [];
      for await (const event of source.readTenantLog(tenantId)) log.push(event);
      const planned = replayAppends(log, options.maxEventsPerAppend ?? 1_000);
      for (const group of transactionsOf(planned, options.maxEventsPerTransaction ?? 1_000)) {
        await target.transaction(async (tx) => {
          for (const append of group) await store.appendMulti(tenantId, append.writes, { in: tx });
        });
        transactions++;
        appends += group.length;
        events += group.reduce((sum, append) => sum + append.events, 0);
        options.onProgress?.(events);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 2, tenantIds.length) }, worker));
  return { events, appends, transactions, seconds: (performance.now() - started) / 1000 };
}

function* transactionsOf(appends: readonly ReplayAppend[], maxEvents: number): Generator<ReplayAppend[]> {
  let group: ReplayAppend[] = [];
  let events = 0;
  for (const append of appends) {
    if (group.length > 0 && events + append.events > maxEvents) {
      yield group;
      group = [];
      events = 0;
    }
    group.push(append);
    events += append.events;
  }
  if (group.length > 0) yield group;
}
