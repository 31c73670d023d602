/**
 * Entry points for the benchmark (bench/ calls them; nothing here prints): time a full rebuild of given
 * projections against a plain read of the same events, and sample how far live projections trail a steady
 * append load.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { uuidV7 } from '../shared/uuid-v7.ts';
import type { Engine } from '../store/engines/engine.ts';
import type { AppendResult } from '../store/event-store.ts';
import type { NewEvent } from '../store/envelope.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { cursorAfter } from '../store/subscriptions/subscription-cursor.ts';
import type { Projection } from '../projections/projection.ts';
import { ProjectionRuntime } from '../projections/projection-runtime.ts';
import { UpcasterRegistry } from '../projections/upcaster-registry.ts';
import { EventSource } from './event-source.ts';
import { replayProjection } from './replay-projection.ts';

export interface Throughput {
  readonly events: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
}

export interface RebuildTiming extends Throughput {
  readonly perProjection: readonly (Throughput & { readonly projection: string })[];
}

/** Full blue/green rebuilds (swapped in, as in production) of each projection, one after the other. */
export async function timeFullRebuild(
  engine: Engine,
  projections: readonly Projection[],
  options: { readonly upcasters?: UpcasterRegistry; readonly batchSize?: number } = {},
): Promise<RebuildTiming> {
  const perProjection = [];
  for (const projection of projections) {
    const report = await replayProjection(engine, projection, {
      upcasters: options.upcasters ?? new UpcasterRegistry(),
      allowParked: true,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    });
    perProjection.push({ projection: projection.name, ...throughput(report.events.read, report.elapsedMs) });
  }
  const events = perProjection.reduce((sum, entry) => sum + entry.events, 0);
  const elapsedMs = perProjection.reduce((sum, entry) => sum + entry.elapsedMs, 0);
  return { ...throughput(events, elapsedMs), perProjection };
}

/** Reads the whole global feed the way a rebuild does (same query, same pages), applying nothing. */
export async function timeEventRead(
  engine: Engine,
  options: { readonly batchSize?: number; readonly eventTypes?: readonly string[] } = {},
): Promise<Throughput> {
  const batchSize = options.batchSize ?? 1_000;
  const source = new EventSource({}, options.eventTypes);
  const started = performance.now();
  let position = source.start();
  let events = 0;
  for (;;) {
    const page = await source.page(engine, position, undefined, batchSize);
    events += page.length;
    const last = page.at(-1);
    if (last) position = cursorAfter(position, last);
    if (page.length < batchSize) break;
  }
  return throughput(events, performance.now() - started);
}

export interface LagSamples {
  /** Milliseconds from each append's acknowledgement until every projection had processed it. */
  readonly samples: readonly number[];
  readonly p50: number;
  readonly p99: number;
  readonly appends: number;
}

export interface LagLoad {
  readonly projections: readonly Projection[];
  readonly durationMs: number;
  readonly appendsPerSecond: number;
  /** Events per append (default 1). */
  readonly eventsPerAppend?: number;
  readonly tenants?: number;
  /** Builds each event; default a small `bench.happened` event. */
  readonly event?: (index: number) => NewEvent;
}

/**
 * Runs the projections live while one writer appends at a steady rate (each append to a new stream,
 * tenants round-robin), and measures each append's time to being processed.
 */
export async function measureSubscriptionLag(engine: Engine, load: LagLoad): Promise<LagSamples> {
  const store = new PgEventStore(engine);
  const runtime = new ProjectionRuntime(engine, { projections: load.projections, pollIntervalMs: 1_000 });
  await runtime.start();
  const samples: number[] = [];
  const waits: Promise<void>[] = [];
  const interval = 1_000 / load.appendsPerSecond;
  const run = `${Date.now().toString(36)}`;
  const makeEvent = load.event ?? defaultEvent;
  const started = performance.now();
  let appends = 0;
  try {
    while (performance.now() - started < load.durationMs) {
      const due = started + appends * interval;
      if (due > performance.now()) await sleep(due - performance.now());
      const stream = {
        tenantId: `bench-${run}-${appends % (load.tenants ?? 4)}`,
        aggregateType: 'bench',
        aggregateId: `bench-${appends}`,
      };
      const events = Array.from({ length: load.eventsPerAppend ?? 1 }, (_, index) =>
        makeEvent(appends * 1_000 + index),
      );
      const result: AppendResult = await store.appendToStream(stream, 'no_stream', events);
      const acknowledged = performance.now();
      waits.push(
        runtime
          .waitFor(result, { timeoutMs: 60_000 })
          .then(() => void samples.push(performance.now() - acknowledged)),
      );
      appends++;
    }
    await Promise.all(waits);
  } finally {
    await runtime.stop();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), appends };
}

function defaultEvent(index: number): NewEvent {
  return {
    eventId: uuidV7(),
    eventType: 'bench.happened',
    schemaVersion: 1,
    occurredAt: new Date(),
    actor: { id: 'bench', kind: 'system', role: 'bench' },
    payload: { index },
  };
}

/** Nearest-rank percentile of sorted samples (0 when there are none). */
function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

function throughput(events: number, elapsedMs: number): Throughput {
  return { events, elapsedMs, eventsPerSecond: elapsedMs > 0 ? Math.round((events / elapsedMs) * 1000) : 0 };
}
