/**
 * Subscription lag under a steady append load: every read model runs live (ProjectionRuntime, woken by
 * NOTIFY) while the appends of a demo history — generated in memory through the command side, so each
 * append is one command's, with its real event types and sizes — are written again at a fixed rate. For each
 * append: the time from its commit (the append returning) until every projection has applied it.
 * The history's first part (its set-up: branches, doctors, patients, and its first days) is loaded in large
 * appends and caught up with before the clock starts; the measured appends are the last ones of each tenant,
 * everyday business on read models that already hold something.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { masterKeyFromBytes } from '../../src/compliance/master-key.ts';
import { demoTenantIds, generateDemoHistory } from '../../src/demo/generate-demo-history.ts';
import { ALL_MIGRATIONS } from '../../src/migration-sets.ts';
import { ProjectionRuntime } from '../../src/projections/projection-runtime.ts';
import { ALL_PROJECTIONS } from '../../src/projections/registry.ts';
import type { Engine } from '../../src/store/engines/engine.ts';
import { PostgresEngine } from '../../src/store/engines/postgres-engine.ts';
import type { RecordedEvent } from '../../src/store/envelope.ts';
import { InMemoryEventStore } from '../../src/store/in-memory/in-memory-event-store.ts';
import { migrate } from '../../src/store/migrate.ts';
import { PgEventStore } from '../../src/store/pg-event-store.ts';
import { replayAppends, type ReplayAppend } from '../history/replay-appends.ts';
import type { Measurement } from '../measurement.ts';
import type { SubscriptionLagShape } from '../plan.ts';

const WARM_UP_APPEND = 1_000;

export async function measureSubscriptionLag(shape: SubscriptionLagShape, url: string): Promise<Measurement> {
  const engine = new PostgresEngine({ connectionString: url, maxConnections: 10 });
  try {
    await migrate(engine, ALL_MIGRATIONS);
    const { warmUp, measured } = await commandAppends(engine, shape);
    const store = new PgEventStore(engine);
    const runtime = new ProjectionRuntime(engine, { projections: ALL_PROJECTIONS });
    await runtime.start();
    let last;
    for (const { tenantId, append } of warmUp) last = await store.appendMulti(tenantId, append.writes);
    if (last) await runtime.waitFor(last, { timeoutMs: 10 * 60_000 });
    const lagsMs: number[] = [];
    const waits: Promise<void>[] = [];
    const interval = 1_000 / shape.appendsPerSecond;
    let events = 0;
    const started = performance.now();
    try {
      for (const [index, { tenantId, append }] of measured.entries()) {
        const due = started + index * interval;
        if (due > performance.now()) await sleep(due - performance.now());
        const result = await store.appendMulti(tenantId, append.writes);
        const committed = performance.now();
        events += append.events;
        waits.push(
          runtime.waitFor(result, { timeoutMs: 60_000 }).then(() => {
            lagsMs.push(performance.now() - committed);
          }),
        );
      }
      await Promise.all(waits);
    } finally {
      await runtime.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const warmUpEvents = warmUp.reduce((sum, { append }) => sum + append.events, 0);
    return {
      samples: [],
      lag: { lagsMs, events, seconds, warmUpEvents, parked: await parkedEvents(engine) },
    };
  } finally {
    await engine.close();
  }
}

interface TenantAppend {
  readonly tenantId: string;
  readonly append: ReplayAppend;
}

/**
 * The measured appends: the last `appendsPerSecond × seconds` of the history as its commands made them,
 * tenants taking turns. The warm-up: everything before them, merged into large appends per tenant.
 * Patient keys are created in `engine`'s database, so the events written there are whole.
 */
async function commandAppends(
  engine: Engine,
  shape: SubscriptionLagShape,
): Promise<{ warmUp: TenantAppend[]; measured: TenantAppend[] }> {
  const memory = new InMemoryEventStore();
  await generateDemoHistory({
    engine,
    store: memory,
    masterKeys: { current: masterKeyFromBytes(randomBytes(32)), previous: [] },
    ...shape.history,
    concurrency: shape.history.tenants,
  });
  const tenantIds = demoTenantIds(shape.history.seed, shape.history.tenants);
  const perTenant = Math.ceil((shape.appendsPerSecond * shape.seconds) / tenantIds.length);
  const warmUp: TenantAppend[] = [];
  const measured: TenantAppend[][] = [];
  for (const tenantId of tenantIds) {
    const log: RecordedEvent[] = [];
    for await (const event of memory.readTenantLog(tenantId)) log.push(event);
    // At most one event per append means: never merge two of the original appends.
    const originals = replayAppends(log, 1);
    const tail = originals.slice(-perTenant);
    const tailEvents = tail.reduce((sum, append) => sum + append.events, 0);
    const head = replayAppends(log.slice(0, log.length - tailEvents), WARM_UP_APPEND);
    warmUp.push(...head.map((append) => ({ tenantId, append })));
    measured.push(tail.map((append) => ({ tenantId, append })));
  }
  return { warmUp, measured: roundRobin(measured) };
}

export function roundRobin<T>(lists: readonly (readonly T[])[]): T[] {
  const result: T[] = [];
  for (let index = 0; lists.some((list) => index < list.length); index++) {
    for (const list of lists) if (index < list.length) result.push(list[index] as T);
  }
  return result;
}

async function parkedEvents(engine: Engine): Promise<number> {
  const { rows } = await engine.query<{ n: number }>(
    'select count(*)::int as n from mymedic.projection_parked_events',
  );
  return rows[0]?.n ?? 0;
}
