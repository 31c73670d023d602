/** Reads one long stream whole, again and again: loading an aggregate with a long history. */
import type { StreamId } from '../../src/store/envelope.ts';
import type { Sample } from '../measurement.ts';
import type { ReadStreamShape } from '../plan.ts';
import { queriesSent } from '../query-counter.ts';
import { benchStream } from '../sample-events.ts';
import type { BenchSystem } from '../systems/bench-system.ts';
import { planAppends, runAppends } from './append-load.ts';

export async function measureStreamReads(system: BenchSystem, shape: ReadStreamShape): Promise<Sample> {
  const stream = benchStream(1, 0, 'long');
  await runAppends(
    system,
    planAppends(1, { eventsPerWriter: shape.streamEvents, batchSize: 100, streamsPerWriter: 1 }, 'long'),
  );
  await readWhole(system, stream, shape.streamEvents); // warm-up

  const queriesBefore = queriesSent();
  const started = performance.now();
  for (let i = 0; i < shape.reads; i++) await readWhole(system, stream, shape.streamEvents);
  const seconds = (performance.now() - started) / 1000;
  return {
    events: shape.reads * shape.streamEvents,
    seconds,
    ops: shape.reads,
    queries: queriesSent() - queriesBefore,
  };
}

async function readWhole(system: BenchSystem, stream: StreamId, expected: number): Promise<void> {
  const read = await system.readStream(stream);
  if (read !== expected) throw new Error(`read ${read} events of a ${expected}-event stream`);
}
