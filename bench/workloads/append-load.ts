/**
 * Appends with exact expected versions: each writer owns one tenant and appends round-robin over its streams,
 * so the first pass over the streams creates them (expected 0) and later passes extend them. Writers run
 * concurrently; one writer is the sequential case.
 */
import type { NewEvent, StreamId } from '../../src/store/envelope.ts';
import type { Sample } from '../measurement.ts';
import type { AppendShape } from '../plan.ts';
import { queriesSent } from '../query-counter.ts';
import { benchStream, sampleEvents } from '../sample-events.ts';
import { percentile } from '../stats.ts';
import type { BenchSystem } from '../systems/bench-system.ts';

export interface PlannedAppend {
  readonly stream: StreamId;
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
}

export type WriterShape = Omit<AppendShape, 'kind' | 'writers'>;

/** Built before the clock starts, so making ids and payloads is not measured. */
export function planAppends(writer: number, shape: WriterShape, streamPrefix = 'appt'): PlannedAppend[] {
  const appends = Math.floor(shape.eventsPerWriter / shape.batchSize);
  return Array.from({ length: appends }, (_, i) => ({
    stream: benchStream(writer, i % shape.streamsPerWriter, streamPrefix),
    expectedVersion: Math.floor(i / shape.streamsPerWriter) * shape.batchSize,
    events: sampleEvents(shape.batchSize, writer * 1_000_000 + i),
  }));
}

/** Runs one writer's appends in order; returns each append's latency in milliseconds. */
export async function runAppends(system: BenchSystem, appends: readonly PlannedAppend[]): Promise<number[]> {
  const latencies: number[] = [];
  for (const { stream, expectedVersion, events } of appends) {
    const started = performance.now();
    await system.append(stream, expectedVersion, events);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

export async function measureAppends(system: BenchSystem, shape: AppendShape): Promise<Sample> {
  const writers = Array.from({ length: shape.writers }, (_, writer) => writer + 1);
  // A short warm-up on streams of its own: connections opened, statements prepared, code compiled.
  const appends = Math.floor(shape.eventsPerWriter / shape.batchSize);
  const warmup = {
    ...shape,
    eventsPerWriter: Math.min(20, Math.max(1, Math.floor(appends / 10))) * shape.batchSize,
  };
  const warmups = writers.map((writer) => planAppends(writer, warmup, 'warmup'));
  await Promise.all(warmups.map((appends) => runAppends(system, appends)));

  const plans = writers.map((writer) => planAppends(writer, shape));
  const queriesBefore = queriesSent();
  const started = performance.now();
  const latencies = (await Promise.all(plans.map((appends) => runAppends(system, appends)))).flat();
  const seconds = (performance.now() - started) / 1000;
  return {
    events: latencies.length * shape.batchSize,
    seconds,
    ops: latencies.length,
    queries: queriesSent() - queriesBefore,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
