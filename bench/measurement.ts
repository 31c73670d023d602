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
}

export type ChildMessage =
  { readonly ok: true; readonly measurement: Measurement } | { readonly ok: false; readonly error: string };
