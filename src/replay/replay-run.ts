/**
 * One projection's replay: its counts and progress, its side of the build phase (buildShadows), and the final
 * step — under the live checkpoint's lock, so nothing moves underneath — which catches the shadow up and
 * either swaps it in (full, tenant, branch) or compares it with the live model (dry run, forensic slices).
 */
import { performance } from 'node:perf_hooks';
import type { Engine, Sql } from '../store/engines/engine.ts';
import type { GlobalCursor } from '../store/event-store.ts';
import { cursorAfter, type SubscriptionCursor } from '../store/subscriptions/subscription-cursor.ts';
import type { Projection, TableNames } from '../projections/projection.ts';
import { ProjectionApplier, type ApplyCounts } from '../projections/projection-applier.ts';
import { ProjectionVersionError } from '../projections/projection-errors.ts';
import { cursorCompare, readCheckpoint, readState } from '../projections/projection-state.ts';
import { listParkedOf } from '../projections/parked-events.ts';
import { tableOf } from '../projections/table-names.ts';
import { positionOf } from '../projections/tenant-positions.ts';
import { UpcasterRegistry } from '../projections/upcaster-registry.ts';
import { retryingApply, type ShadowBuild } from './build-shadows.ts';
import { EventSource, feedHead } from './event-source.ts';
import { driftedTenants, fingerprint } from './fingerprint.ts';
import {
  rowScopeOf,
  scopeCondition,
  type ReplayKind,
  type ReplaySlice,
  type RowScope,
} from './replay-slice.ts';
import type {
  ReplayEventCounts,
  ReplayOptions,
  ReplayOutcome,
  ReplayProgress,
  ReplayReport,
} from './replay-projection.ts';
import { renewShadow, type Shadow } from './shadow.ts';
import { swapFull, swapSlice } from './swap.ts';
import { diffTables } from './table-diff.ts';

const DEFAULT_BATCH = 1_000;
const LOCK_RETRIES = 5;

export class ReplayRun {
  readonly source: EventSource;
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
  private applier: ProjectionApplier | undefined;

  constructor(
    private readonly engine: Engine,
    readonly projection: Projection,
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

  /** Counts the slice's events first when progress is reported (the denominator of an ETA). */
  async countTotal(): Promise<void> {
    if (this.options.onProgress) this.total = await this.source.count(this.engine);
  }

  /** The shadow's side of the build phase. */
  build(shadow: Shadow): ShadowBuild {
    const applier = new ProjectionApplier(
      { id: shadow.target, projection: this.projection, tables: shadow.tables },
      this.options.upcasters ?? new UpcasterRegistry(),
      this.options.maxAttempts,
    );
    this.applier = applier;
    return {
      applier,
      added: (counts) => addCounts(this.counts, counts, counts.applied + counts.skipped + counts.parked),
      afterPage: async () => {
        await renewShadow(this.engine, shadow);
        await this.progress('build');
      },
    };
  }

  /** The final step from where the build stopped: catch up under the live checkpoint's lock, then swap or compare. */
  async complete(
    shadow: Shadow,
    position: SubscriptionCursor,
    versionAtStart: number,
  ): Promise<ReplayReport> {
    const applier = this.applier;
    if (!applier) throw new Error('build() must come before complete()');
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
  async bound(tx: Sql): Promise<SubscriptionCursor> {
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
