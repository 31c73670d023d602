/**
 * Replays a projection's events into shadow tables while the live projection keeps serving and consuming,
 * then — under the live checkpoint's lock, so nothing moves underneath — catches the shadow up and either
 * swaps it in (full, tenant, branch), or compares it with the live model (dry run, forensic slices).
 *
 * How far a replay reads:
 * - a full rebuild that swaps reads to the head of the feed and hands its own feed position to the live
 *   projection (which then continues after it);
 * - everything else stops exactly where the live projection is (its checkpoint, or for one tenant its
 *   position), so a swapped slice fits the live projection's books and a comparison compares like with like.
 */
import { performance } from 'node:perf_hooks';
import type { Engine, Sql } from '../store/engines/engine.ts';
import type { GlobalCursor } from '../store/event-store.ts';
import { cursorAfter, type SubscriptionCursor } from '../store/subscriptions/subscription-cursor.ts';
import type { Projection, TableNames } from '../projections/projection.ts';
import { ProjectionApplier, type ApplyCounts } from '../projections/projection-applier.ts';
import { ProjectionApplyError, ProjectionVersionError } from '../projections/projection-errors.ts';
import {
  cursorCompare,
  installProjection,
  readCheckpoint,
  readState,
  type ProjectionState,
} from '../projections/projection-state.ts';
import { listParkedOf, type ParkedEvent } from '../projections/parked-events.ts';
import { tableOf } from '../projections/table-names.ts';
import { positionOf } from '../projections/tenant-positions.ts';
import { UpcasterRegistry } from '../projections/upcaster-registry.ts';
import { EventSource, feedHead } from './event-source.ts';
import { driftedTenants, fingerprint, type TenantFingerprint } from './fingerprint.ts';
import {
  classifySlice,
  rowScopeOf,
  scopeCondition,
  type ReplayKind,
  type ReplaySlice,
  type RowScope,
} from './replay-slice.ts';
import { createShadow, dropShadow, type Shadow } from './shadow.ts';
import { swapFull, swapSlice } from './swap.ts';
import { diffTables, type TableDiff } from './table-diff.ts';

export interface ReplayOptions {
  readonly slice?: ReplaySlice;
  /** Build and compare with live, never swap. Forensic slices are always dry runs. */
  readonly dryRun?: boolean;
  /** Swap even when some events were parked during the rebuild (default: such a rebuild is not swapped). */
  readonly allowParked?: boolean;
  readonly upcasters?: UpcasterRegistry;
  readonly batchSize?: number;
  /** Failures of one event before it is parked (default 5). */
  readonly maxAttempts?: number;
  /**
   * How long the final step waits for a lock (the checkpoint, readers of the live tables) before it gives up
   * and retries (default 3 s, 5 retries). Short, because new readers queue behind a waiting table lock.
   */
  readonly lockTimeoutMs?: number;
  /** Keys listed per table and kind of difference in a dry run (counts are always complete). */
  readonly maxDiffKeys?: number;
  /** Called after every page, and once before the final step; awaited. */
  readonly onProgress?: (progress: ReplayProgress) => void | Promise<void>;
}

export interface ReplayProgress {
  readonly projection: string;
  readonly phase: 'build' | 'final';
  /** Events read so far. */
  readonly events: number;
  /** Events in the slice when the replay began: the denominator of an ETA. */
  readonly total: number;
  readonly elapsedMs: number;
}

/** swapped: live now serves the rebuild. not-swapped: events were parked (see `parked`), live unchanged. */
export type ReplayOutcome = 'swapped' | 'not-swapped' | 'dry-run' | 'forensic';

export interface ReplayEventCounts extends ApplyCounts {
  read: number;
  /** Events read in the final step, under the live checkpoint's lock. */
  finalCatchUp: number;
}

export interface ReplayReport {
  readonly projection: string;
  readonly version: number;
  readonly kind: ReplayKind;
  readonly slice: ReplaySlice;
  readonly outcome: ReplayOutcome;
  /** The live tables' generation after a swap. */
  readonly generation?: number;
  readonly events: ReplayEventCounts;
  /** Rows of the rebuilt model in the slice's scope, per table. */
  readonly rows: Readonly<Record<string, number>>;
  /** Events the rebuild could not apply (code and message, no payload). */
  readonly parked: readonly ParkedEvent[];
  /** Dry runs and forensic slices: rebuilt vs live, over the slice's rows (a tenant's, or all). */
  readonly diff?: readonly TableDiff[];
  readonly fingerprints?: {
    readonly live: readonly TenantFingerprint[];
    readonly replayed: readonly TenantFingerprint[];
    readonly drifted: readonly string[];
  };
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
}

const DEFAULT_BATCH = 1_000;
const LOCK_RETRIES = 5;
const MAX_BUILD_ROUNDS = 5;

/**
 * @example
 * const report = await replayProjection(engine, paymentsView, { slice: { tenantId: 't1' } });
 * // report.outcome === 'swapped': tenant t1's rows were rebuilt from the log, every other row untouched.
 */
export async function replayProjection(
  engine: Engine,
  projection: Projection,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  const started = performance.now();
  const slice = options.slice ?? {};
  const kind = classifySlice(projection, slice);
  const dryRun = options.dryRun === true || kind === 'forensic';
  const state = await installProjection(engine, projection);
  // Only a full rebuild that swaps can change the version of the live tables (an upgrade); anything else
  // would mix or compare tables of two layouts. Never downgrade: a newer version owns the tables now.
  const upgrade = kind === 'full' && !dryRun && state.version < projection.version;
  if (state.version !== projection.version && !upgrade) {
    throw new ProjectionVersionError(projection.name, projection.version, state.version);
  }

  const run = new ReplayRun(engine, projection, options, slice, kind, dryRun, started);
  const shadow = await createShadow(engine, projection);
  let outcome: ReplayOutcome | undefined;
  try {
    if (upgrade) await setStatus(engine, projection.name, 'upgrading');
    const report = await run.execute(shadow, state.version);
    outcome = report.outcome;
    return report;
  } finally {
    await dropShadow(engine, shadow);
    if (upgrade && outcome !== 'swapped') await setStatus(engine, projection.name, 'live');
  }
}

class ReplayRun {
  private readonly source: EventSource;
  private readonly scope: RowScope;
  private readonly batchSize: number;
  /** Read to the head and hand the position over (a swapping full rebuild), or stop where live is. */
  private readonly toHead: boolean;
  private readonly counts: ReplayEventCounts = {
    read: 0,
    applied: 0,
    skipped: 0,
    parked: 0,
    finalCatchUp: 0,
  };
  private total = 0;

  constructor(
    private readonly engine: Engine,
    private readonly projection: Projection,
    private readonly options: ReplayOptions,
    private readonly slice: ReplaySlice,
    private readonly kind: ReplayKind,
    private readonly dryRun: boolean,
    private readonly started: number,
  ) {
    this.source = new EventSource(slice, projection.eventTypes);
    this.scope = rowScopeOf(projection, kind === 'forensic' ? { tenantId: slice.tenantId } : slice);
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
    this.toHead = kind === 'full' && !dryRun;
  }

  async execute(shadow: Shadow, versionAtStart: number): Promise<ReplayReport> {
    const applier = new ProjectionApplier(
      { id: shadow.target, projection: this.projection, tables: shadow.tables },
      this.options.upcasters ?? new UpcasterRegistry(),
      this.options.maxAttempts,
    );
    if (this.options.onProgress) this.total = await this.source.count(this.engine);
    let position = this.source.start();
    for (let round = 1; ; round++) {
      // Each round reads up to a bound fixed when it begins, so a round ends even while writers keep going.
      const bound = await this.bound(this.engine);
      let readThisRound = 0;
      for (;;) {
        const { events, applied } = await retryingApply(() =>
          this.engine.transaction(async (tx) => {
            const page = await this.source.page(tx, position, bound, this.batchSize);
            return { events: page, applied: await applier.applyBatch(page, tx) };
          }),
        );
        addCounts(this.counts, applied, events.length);
        readThisRound += events.length;
        const last = events.at(-1);
        if (last) position = cursorAfter(position, last);
        await this.progress('build');
        if (events.length < this.batchSize) break;
      }
      // What the final step (under the live checkpoint's lock) has left to do is what arrived during the last
      // round: go on once that is under a page, or after a few rounds if writers outpace the rebuild.
      if (readThisRound < this.batchSize || round >= MAX_BUILD_ROUNDS) break;
    }
    await this.progress('final');
    let lockTimeouts = 0;
    for (;;) {
      try {
        return await retryingApply(() =>
          this.engine.transaction((tx) => this.finish(tx, shadow, applier, position, versionAtStart)),
        );
      } catch (error) {
        if (!isLockTimeout(error) || ++lockTimeouts > LOCK_RETRIES) throw error;
      }
    }
  }

  /**
   * The final step, in one transaction holding the live checkpoint: catch up, then swap or compare. The
   * live subscription waits at its next batch; appends and readers do not wait.
   */
  private async finish(
    tx: Sql,
    shadow: Shadow,
    applier: ProjectionApplier,
    from: SubscriptionCursor,
    versionAtStart: number,
  ): Promise<ReplayReport> {
    const { projection } = this;
    await tx.query("select set_config('lock_timeout', $1, true)", [
      `${this.options.lockTimeoutMs ?? 3_000}ms`,
    ]);
    const checkpoint = await readCheckpoint(tx, projection.name, true);
    const state = await readState(tx, projection.name, true);
    if (!state || (state.version !== versionAtStart && state.version !== projection.version)) {
      // Another process swapped in a different version meanwhile: this rebuild no longer fits.
      throw new ProjectionVersionError(projection.name, projection.version, state?.version ?? 0);
    }
    const bound = await this.bound(tx);
    let position = from;
    // Kept apart from the build's counts: this transaction may still be rolled back and retried.
    const counts: ReplayEventCounts = { ...this.counts };
    for (;;) {
      const events = await this.source.page(tx, position, bound, this.batchSize);
      addCounts(counts, await applier.applyBatch(events, tx), events.length);
      counts.finalCatchUp += events.length;
      const last = events.at(-1);
      if (last) position = cursorAfter(position, last);
      if (events.length < this.batchSize) break;
    }

    const parked = await listParkedOf(tx, shadow.target);
    const rows = await countRows(tx, projection, shadow.tables, this.scope);
    const base = { rows, parked, events: counts };
    if (this.dryRun) {
      const diff = await diffTables(
        tx,
        projection,
        state.tables,
        shadow.tables,
        this.scope,
        this.options.maxDiffKeys,
      );
      const live = await fingerprint(tx, projection, state.tables, this.scope);
      const replayed = await fingerprint(tx, projection, shadow.tables, this.scope);
      return this.report(this.kind === 'forensic' ? 'forensic' : 'dry-run', {
        ...base,
        diff,
        fingerprints: { live, replayed, drifted: driftedTenants(live, replayed) },
      });
    }
    if (parked.length > 0 && this.options.allowParked !== true) return this.report('not-swapped', base);
    const generation =
      this.kind === 'full'
        ? await swapFull(tx, projection, state, shadow, laterFeedPosition(position, checkpoint))
        : await swapSlice(tx, projection, state, shadow, this.scope);
    return this.report('swapped', { ...base, generation });
  }

  /**
   * How far to read: the head of the feed for a swapping full rebuild; otherwise where the live projection
   * is (its checkpoint, or for a tenant's slice its position in that tenant).
   */
  private async bound(tx: Sql): Promise<SubscriptionCursor> {
    if (this.toHead) return { scope: 'all', feed: await feedHead(tx) };
    if (this.slice.tenantId !== undefined) {
      return { scope: 'tenant', tenantSeq: await positionOf(tx, this.projection.name, this.slice.tenantId) };
    }
    return { scope: 'all', feed: await readCheckpoint(tx, this.projection.name) };
  }

  private async progress(phase: ReplayProgress['phase']): Promise<void> {
    await this.options.onProgress?.({
      projection: this.projection.name,
      phase,
      events: this.counts.read,
      total: this.total,
      elapsedMs: performance.now() - this.started,
    });
  }

  private report(
    outcome: ReplayOutcome,
    details: Pick<ReplayReport, 'rows' | 'parked' | 'events'> &
      Partial<Pick<ReplayReport, 'generation' | 'diff' | 'fingerprints'>>,
  ): ReplayReport {
    const elapsedMs = performance.now() - this.started;
    return {
      projection: this.projection.name,
      version: this.projection.version,
      kind: this.kind,
      slice: this.slice,
      outcome,
      elapsedMs,
      eventsPerSecond: elapsedMs > 0 ? Math.round((details.events.read / elapsedMs) * 1000) : 0,
      ...details,
    };
  }
}

function addCounts(into: ReplayEventCounts, counts: ApplyCounts, read: number): void {
  into.read += read;
  into.applied += counts.applied;
  into.skipped += counts.skipped;
  into.parked += counts.parked;
}

/** Retries a transaction whose apply failed: the applier counts the failure and parks the event in time. */
async function retryingApply<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ProjectionApplyError)) throw error;
    }
  }
}

async function countRows(
  tx: Sql,
  projection: Projection,
  tables: TableNames,
  scope: RowScope,
): Promise<Record<string, number>> {
  const where = scopeCondition(scope, 't');
  const rows: Record<string, number> = {};
  for (const logical of projection.tables) {
    const { rows: result } = await tx.query<{ n: number }>(
      `select count(*)::int as n from ${tableOf(tables, logical)} t where ${where.sql}`,
      where.params,
    );
    rows[logical] = result[0]?.n ?? 0;
  }
  return rows;
}

/** The feed position to hand over: the shadow's, unless live had passed it (over events it does not read). */
function laterFeedPosition(shadow: SubscriptionCursor, live: GlobalCursor): GlobalCursor {
  if (shadow.scope !== 'all') return live;
  return cursorCompare(shadow.feed, live) >= 0 ? shadow.feed : live;
}

function isLockTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '55P03' || code === '40P01';
}

async function setStatus(engine: Engine, name: string, status: ProjectionState['status']): Promise<void> {
  await engine.query('update mymedic.projection_state set status = $2, updated_at = now() where name = $1', [
    name,
    status,
  ]);
}
