/**
 * What `npm run bench` measures: the workloads, which systems run each, how much work each does in a quick
 * smoke run and in the full run, and how many times each measurement is repeated.
 */
import type { EngineKind } from '../src/store/engines/engine.ts';
import type { HistorySpec } from './history/history-spec.ts';

export const SYSTEMS = ['raw', 'emmett', 'mymedic'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export const WORKLOAD_IDS = [
  'single-appends',
  'batch-appends',
  'concurrent-writers',
  'read-stream',
  'read-log',
  'embedded-single-appends',
  'embedded-batch-appends',
  'rebuild',
  'subscription-lag',
  'http-bookings', // bench/http: the service over HTTP, measured by benchHttpBookings, not planWorkloads
] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

/** Writers append `eventsPerWriter` events each, `batchSize` at a time, round-robin over their own streams. */
export interface AppendShape {
  readonly kind: 'append';
  readonly writers: number;
  readonly eventsPerWriter: number;
  readonly batchSize: number;
  readonly streamsPerWriter: number;
}

/** One stream of `streamEvents` events, read whole `reads` times. */
export interface ReadStreamShape {
  readonly kind: 'read-stream';
  readonly streamEvents: number;
  readonly reads: number;
}

/**
 * `writers` write `events` in batches while a reader tails the log `tailPageSize` at a time; then the whole
 * log is read `passes` times, `readPageSize` at a time, with nobody writing.
 */
export interface ReadLogShape {
  readonly kind: 'read-log';
  readonly events: number;
  readonly writers: number;
  readonly batchSize: number;
  readonly tailPageSize: number;
  readonly readPageSize: number;
  readonly passes: number;
}

/**
 * Every read model rebuilt from a cached demo history (database `database` on the benchmark server, built
 * on first use): the log read plainly, then rebuilt per projection (one replay after the other, as
 * `mymedic replay all` does) and in one pass (rebuildProjections: one read of the log for all of them).
 */
export interface RebuildShape {
  readonly kind: 'rebuild';
  readonly history: HistorySpec;
  readonly database: string;
  readonly pageSize: number;
}

/**
 * Every read model running live while the last `appendsPerSecond × seconds` appends of a demo history
 * (`history`, generated in memory; what comes before them is loaded first) are written again at
 * `appendsPerSecond`: the time from each append's commit until every projection has applied it.
 */
export interface SubscriptionLagShape {
  readonly kind: 'subscription-lag';
  readonly history: HistorySpec;
  readonly appendsPerSecond: number;
  readonly seconds: number;
}

/** Workloads every system runs, each on a fresh database. */
export type StoreShape = AppendShape | ReadStreamShape | ReadLogShape;
/** MyMedic's read models (src/projections, src/replay) on PostgreSQL. */
export type ProjectionShape = RebuildShape | SubscriptionLagShape;
export type WorkloadShape = StoreShape | ProjectionShape;

export interface Workload {
  readonly id: WorkloadId;
  readonly engine: EngineKind;
  readonly systems: readonly SystemName[];
  readonly shape: WorkloadShape;
  /** Separate child processes, each on a fresh database; the figure reported is the median sample. */
  readonly runs: number;
  /** How long one measuring process may take (default 10 minutes). */
  readonly timeoutMs?: number;
}

// Emmett's consumers read 100 messages a page by default (DefaultPostgreSQLEventStoreProcessorBatchSize).
const CONSUMER_PAGE = 100;
// A reader of the whole log (a rebuild, an export) asks for large pages; every system gets the same size.
const READ_PAGE = 5_000;
// A page of a rebuild is one transaction; with batched read models, 5,000 events a page spent a quarter less
// CPU than 1,000 on the 1M history (each of six read models then gets several hundred of its events per page).
const REBUILD_PAGE = 5_000;

export function planWorkloads(quick: boolean): Workload[] {
  const runs = quick ? 1 : 3;
  const append = (writers: number, eventsPerWriter: number, batchSize: number): AppendShape => ({
    kind: 'append',
    writers,
    eventsPerWriter,
    batchSize,
    streamsPerWriter: 100,
  });
  const everySystem = SYSTEMS;
  const embeddedSystems: readonly SystemName[] = ['raw', 'mymedic'];
  return [
    {
      id: 'single-appends',
      engine: 'postgres',
      systems: everySystem,
      runs,
      shape: append(1, quick ? 200 : 2_000, 1),
    },
    {
      id: 'batch-appends',
      engine: 'postgres',
      systems: everySystem,
      runs,
      shape: append(1, quick ? 2_000 : 20_000, 100),
    },
    {
      id: 'concurrent-writers',
      engine: 'postgres',
      systems: everySystem,
      runs,
      shape: append(8, quick ? 25 : 300, 1),
    },
    {
      id: 'read-stream',
      engine: 'postgres',
      systems: everySystem,
      runs,
      shape: { kind: 'read-stream', streamEvents: 1_000, reads: quick ? 5 : 30 },
    },
    {
      id: 'read-log',
      engine: 'postgres',
      systems: everySystem,
      // Writing the log is the expensive part; the three samples are three whole-log reads of one run.
      runs: 1,
      shape: {
        kind: 'read-log',
        events: quick ? 8_000 : 100_000,
        writers: 8,
        batchSize: 10,
        tailPageSize: CONSUMER_PAGE,
        readPageSize: READ_PAGE,
        passes: quick ? 1 : 3,
      },
    },
    {
      id: 'rebuild',
      engine: 'postgres',
      systems: ['mymedic'],
      runs: 1,
      // Building the full history the first time takes a quarter of an hour; each rebuild a few minutes.
      timeoutMs: quick ? 15 * 60_000 : 120 * 60_000,
      shape: {
        kind: 'rebuild',
        history: quick
          ? { seed: 1, tenants: 2, days: 14, scale: 1 }
          : { seed: 1, tenants: 8, days: 110, scale: 1 },
        database: quick ? 'mymedic_bench_history_quick' : 'mymedic_bench_history',
        pageSize: REBUILD_PAGE,
      },
    },
    {
      id: 'subscription-lag',
      engine: 'postgres',
      systems: ['mymedic'],
      runs: 1,
      shape: {
        kind: 'subscription-lag',
        history: { seed: 2, tenants: 2, days: quick ? 4 : 14, scale: 1 },
        appendsPerSecond: 50,
        seconds: quick ? 15 : 60,
      },
    },
    {
      id: 'embedded-single-appends',
      engine: 'pglite',
      systems: embeddedSystems,
      runs,
      shape: append(1, quick ? 200 : 2_000, 1),
    },
    {
      id: 'embedded-batch-appends',
      engine: 'pglite',
      systems: embeddedSystems,
      runs,
      shape: append(1, quick ? 2_000 : 20_000, 100),
    },
  ];
}
