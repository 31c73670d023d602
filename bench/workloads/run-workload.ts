/** Runs one store workload shape against one open system. */
import type { BenchTarget, Measurement } from '../measurement.ts';
import { analyzeDatabase } from '../analyze-database.ts';
import { waitForEarlierTransactions } from '../server-horizon.ts';
import type { StoreShape } from '../plan.ts';
import type { BenchSystem } from '../systems/bench-system.ts';
import { measureAppends } from './append-load.ts';
import { measureLogReads } from './read-log.ts';
import { measureStreamReads } from './read-stream.ts';

export async function runWorkload(
  system: BenchSystem,
  shape: StoreShape,
  target: BenchTarget,
): Promise<Measurement> {
  switch (shape.kind) {
    case 'append':
      return { samples: [await measureAppends(system, shape)] };
    case 'read-stream':
      return { samples: [await measureStreamReads(system, shape)] };
    case 'read-log':
      return measureLogReads(
        system,
        shape,
        () => waitForEarlierTransactions(target),
        () => analyzeDatabase(target),
      );
  }
}
