/** What the parent asks a measuring child process for, and what the child answers. */
import type { SystemName, WorkloadShape } from './plan.ts';

/** Where the child finds its fresh database. */
export type BenchTarget =
  | { readonly engine: 'postgres'; readonly url: string }
  /** A tarball of a migrated, otherwise empty PGlite data directory, loaded into a new in-memory instance. */
  | { readonly engine: 'pglite'; readonly imagePath: string };

export interface MeasureRequest {
  readonly system: SystemName;
  readonly shape: WorkloadShape;
  readonly target: BenchTarget;
}

/** One timed stretch of work. */
export interface Sample {
  readonly events: number;
  readonly seconds: number;
  /** Appends, or stream reads, or whole-log passes. */
  readonly ops: number;
  /** Statements sent to the database while timed (each is one round trip). */
  readonly queries: number;
  /** Per-append latency, for append workloads. */
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** For whole-log reads with nobody writing: events the pass skipped or delivered twice. */
  readonly missed?: number;
  readonly duplicated?: number;
}

/** What a reader tailing the log during the writes saw, against what was stored. */
export interface LogAudit {
  readonly stored: number;
  readonly seen: number;
  readonly missed: number;
  readonly duplicated: number;
  /** How long, after the last write, the readers had to wait for other transactions on the server. */
  readonly settleMs?: number;
}

export interface Measurement {
  readonly samples: readonly Sample[];
  readonly audit?: LogAudit;
  readonly rebuild?: RebuildMeasurement;
  readonly lag?: LagMeasurement;
}

/** One timed pass over the whole history: the plain read, or a rebuild of every read model. */
export interface HistoryPass {
  /** read: the log paged as a rebuild pages it; per-projection: one replay after the other; one-pass: all at once. */
  readonly variant: 'read' | 'per-projection' | 'one-pass';
  /** Events in the log (a rebuild skips those no read model reads, but rebuilds from the whole log). */
  readonly events: number;
  readonly seconds: number;
  /** Statements sent to the database (each is one round trip). */
  readonly statements: number;
  /** Events the rebuild parked instead of applying (0 expected). */
  readonly parked: number;
  /** Seconds of each projection's own replay (per-projection only). */
  readonly projectionSeconds?: Readonly<Record<string, number>>;
}

export interface RebuildMeasurement {
  readonly history: {
    readonly events: number;
    /** False when a cached history was reused; its rates are those of the run that built it. */
    readonly built: boolean;
    readonly generatedEventsPerS: number;
    readonly loadedEventsPerS: number;
  };
  /** How long the passes waited for transactions elsewhere on the server to end before the log was whole. */
  readonly settleMs: number;
  readonly passes: readonly HistoryPass[];
}

export interface LagMeasurement {
  /** Per append: milliseconds from its commit until every projection had applied it. */
  readonly lagsMs: readonly number[];
  readonly events: number;
  readonly seconds: number;
  /** Events written and caught up with before the measured appends. */
  readonly warmUpEvents: number;
  readonly parked: number;
}

export type ChildMessage =
  { readonly ok: true; readonly measurement: Measurement } | { readonly ok: false; readonly error: string };
