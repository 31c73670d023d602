/**
 * Rebuilds every read model from a cached demo history and compares with simply reading the same log: the
 * plain read (the rebuild's own page query, every event), then each projection replayed one after the other,
 * then all of them in one pass. Every pass is a real blue/green rebuild, swapped in at the end.
 */
import { performance } from 'node:perf_hooks';
import { ALL_PROJECTIONS } from '../../src/projections/registry.ts';
import { EventSource } from '../../src/replay/event-source.ts';
import {
  rebuildProjections,
  replayProjection,
  type ReplayReport,
} from '../../src/replay/replay-projection.ts';
import type { Engine } from '../../src/store/engines/engine.ts';
import { PostgresEngine } from '../../src/store/engines/postgres-engine.ts';
import { cursorAfter } from '../../src/store/subscriptions/subscription-cursor.ts';
import { openHistoryDatabase } from '../history/history-database.ts';
import type { HistoryPass, Measurement } from '../measurement.ts';
import type { RebuildShape } from '../plan.ts';
import { queriesSent } from '../query-counter.ts';
import { waitForEarlierTransactions } from '../server-horizon.ts';

export async function measureRebuild(shape: RebuildShape, adminUrl: string): Promise<Measurement> {
  const history = await openHistoryDatabase(
    shape.history,
    shape.database,
    (line) => console.error(line),
    adminUrl,
  );
  const engine = new PostgresEngine({ connectionString: history.url, maxConnections: 4 });
  try {
    const settleMs = await waitForEarlierTransactions({ engine: 'postgres', url: history.url });
    const readWhole = async () => {
      const read = await readLog(engine, shape.pageSize);
      if (read !== history.events) {
        throw new Error(`the feed served ${read} of the history's ${history.events} events`);
      }
      return { events: read, parked: 0 };
    };
    await readWhole(); // warm-up: the log's pages in the caches, as for every pass after it
    const passes = [await timed('read', readWhole)];
    const projectionSeconds: Record<string, number> = {};
    passes.push(
      await timed('per-projection', async () => {
        const reports: ReplayReport[] = [];
        for (const projection of ALL_PROJECTIONS) {
          console.error(`[rebuild] per-projection: ${projection.name}`);
          const report = await replayProjection(engine, projection, options(shape));
          projectionSeconds[projection.name] = round(report.elapsedMs / 1000);
          reports.push(report);
        }
        return { events: history.events, parked: parkedIn(reports) };
      }),
    );
    console.error('[rebuild] one pass');
    passes.push(
      await timed('one-pass', async () => {
        const reports = await rebuildProjections(engine, ALL_PROJECTIONS, options(shape));
        return { events: history.events, parked: parkedIn(reports) };
      }),
    );
    const perProjection = passes.find((pass) => pass.variant === 'per-projection');
    return {
      samples: [],
      rebuild: {
        history: {
          events: history.events,
          built: history.built,
          generatedEventsPerS: history.generatedEventsPerS,
          loadedEventsPerS: history.loadedEventsPerS,
        },
        settleMs: Math.round(settleMs),
        passes: passes.map((pass) => (pass === perProjection ? { ...pass, projectionSeconds } : pass)),
      },
    };
  } finally {
    await engine.close();
  }
}

/** Pages through the whole feed as a rebuild does, decoding every event; returns how many it read. */
async function readLog(engine: Engine, pageSize: number): Promise<number> {
  const source = new EventSource({}, undefined);
  let position = source.start();
  let events = 0;
  for (;;) {
    const page = await source.page(engine, position, undefined, pageSize);
    events += page.length;
    const last = page.at(-1);
    if (last) position = cursorAfter(position, last);
    if (page.length < pageSize) return events;
  }
}

async function timed(
  variant: HistoryPass['variant'],
  work: () => Promise<{ events: number; parked: number }>,
): Promise<HistoryPass> {
  const statementsBefore = queriesSent();
  const started = performance.now();
  const { events, parked } = await work();
  return {
    variant,
    events,
    seconds: (performance.now() - started) / 1000,
    statements: queriesSent() - statementsBefore,
    parked,
  };
}

function options(shape: RebuildShape) {
  // Swapped even if something is parked: the pass is timed whole, and `parked` reports it.
  return { allowParked: true, batchSize: shape.pageSize };
}

function parkedIn(reports: readonly ReplayReport[]): number {
  return reports.reduce((sum, report) => sum + report.events.parked, 0);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
