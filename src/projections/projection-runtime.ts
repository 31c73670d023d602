/**
 * Runs read models: installs each projection's tables on first start, rebuilds them beside the old ones when
 * the projection's version changes, and keeps each one up to date through its own catch-up subscription on
 * the global feed (all tenants), the read-model writes and the checkpoint committing together.
 * A projection failing on an event delays only itself; after its retries the event is parked.
 */
import { MyMedicError } from '../shared/errors.ts';
import type { Engine } from '../store/engines/engine.ts';
import type { AppendResult, GlobalCursor } from '../store/event-store.ts';
import { CatchUpSubscription } from '../store/subscriptions/catch-up-subscription.ts';
import { fingerprint, type TenantFingerprint } from '../replay/fingerprint.ts';
import {
  rebuildProjections,
  replayProjection,
  type ReplayOptions,
  type ReplayReport,
} from '../replay/replay-projection.ts';
import { listParked, type ParkedEvent, type ParkedFilter } from './parked-events.ts';
import type { Projection, TableNames } from './projection.ts';
import { ProjectionApplier, DEFAULT_MAX_ATTEMPTS } from './projection-applier.ts';
import {
  errorCode,
  errorMessage,
  ProjectionEventsParkedError,
  UnknownProjectionError,
} from './projection-errors.ts';
import { readLag } from './projection-lag.ts';
import { assertTablesVersion, checkpointId, installProjection, readState } from './projection-state.ts';
import { retryParked, type RetryReport } from './retry-parked.ts';
import { liveTableNames, validateProjections } from './table-names.ts';
import { UpcasterRegistry } from './upcaster-registry.ts';

export interface ProjectionRuntimeOptions {
  readonly projections: readonly Projection[];
  readonly upcasters?: UpcasterRegistry;
  /** Failures of one event before it is parked (default 5). */
  readonly maxAttempts?: number;
  readonly batchSize?: number;
  /** Polling fallback when a notification is missed (default 1 s). */
  readonly pollIntervalMs?: number;
  /** Told about every failed batch (it is retried) and every projection that could not start. */
  readonly onError?: (projection: string, error: unknown) => void;
}

export interface WaitOptions {
  /** Default: every projection of the runtime. */
  readonly projections?: readonly string[];
  readonly timeoutMs?: number;
}

/**
 * running: consuming (failing: its last batch failed and is being retried); upgrading: a new version is being
 * rebuilt while the old tables serve; failed: could not start (see lastError); stopped: not consuming.
 */
export type RunState = 'stopped' | 'upgrading' | 'running' | 'failing' | 'failed';

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  /** The version that built the live tables (null before the first start). */
  readonly tablesVersion: number | null;
  readonly generation: number | null;
  readonly state: RunState;
  readonly tables: TableNames;
  readonly checkpoint: GlobalCursor;
  readonly eventsBehind: number;
  readonly timeBehindMs: number;
  readonly lastAppliedAt: Date | null;
  readonly parked: number;
  readonly lastError?: { readonly code: string; readonly message: string };
}

interface Live {
  readonly projection: Projection;
  state: RunState;
  subscription?: CatchUpSubscription;
  lastError?: unknown;
}

/**
 * @example
 * const runtime = new ProjectionRuntime(engine, { projections: ALL_PROJECTIONS });
 * await runtime.start();
 * const result = await store.appendToStream(stream, 'no_stream', events);
 * await runtime.waitFor(result, { projections: ['payments_view'] }); // now readable in read.payments_view
 */
export class ProjectionRuntime {
  private readonly live = new Map<string, Live>();
  private readonly upcasters: UpcasterRegistry;

  constructor(
    private readonly engine: Engine,
    private readonly options: ProjectionRuntimeOptions,
  ) {
    validateProjections(options.projections);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    for (const projection of options.projections) {
      this.live.set(projection.name, { projection, state: 'stopped' });
    }
  }

  /**
   * Installs new projections and starts consuming; then rebuilds those whose version changed (the old tables
   * keep serving until the new ones swap in) and starts them too. Resolves when every projection is running
   * or failed; a failed one does not stop the others.
   */
  async start(): Promise<void> {
    const upgrades: Live[] = [];
    for (const entry of this.live.values()) {
      if (entry.state !== 'stopped' && entry.state !== 'failed') continue;
      try {
        const state = await installProjection(this.engine, entry.projection);
        if (state.version === entry.projection.version) await this.consume(entry);
        else upgrades.push(entry);
      } catch (error) {
        this.fail(entry, error);
      }
    }
    for (const entry of upgrades) {
      entry.state = 'upgrading';
      try {
        // Parked events do not block an upgrade: the live projection would have moved past them too.
        await replayProjection(this.engine, entry.projection, {
          ...this.replayDefaults(),
          allowParked: true,
        });
        await this.consume(entry);
      } catch (error) {
        this.fail(entry, error);
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.live.values()].map(async (entry) => {
        const subscription = entry.subscription;
        entry.subscription = undefined;
        if (entry.state !== 'failed') entry.state = 'stopped';
        await subscription?.stop();
      }),
    );
  }

  /**
   * Read-your-writes: resolves once the projections have processed every event of `append`.
   * @throws ProjectionEventsParkedError when some of them were parked instead of applied.
   * @throws MyMedicError SUBSCRIPTION_WAIT_TIMEOUT, PROJECTION_NOT_RUNNING.
   */
  async waitFor(append: AppendResult, options: WaitOptions = {}): Promise<void> {
    const names = options.projections ?? [...this.live.keys()];
    const timeoutMs = options.timeoutMs ?? 10_000;
    const entries = names.map((name) => this.entry(name));
    await Promise.all(
      entries.map((entry) => {
        if (!entry.subscription) {
          throw new MyMedicError('PROJECTION_NOT_RUNNING', `${entry.projection.name} is ${entry.state}`, {
            projection: entry.projection.name,
            state: entry.state,
          });
        }
        return entry.subscription.waitFor(append, timeoutMs);
      }),
    );
    const { rows } = await this.engine.query<{ projection: string }>(
      `select distinct projection from mymedic.projection_parked_events
        where target = projection and projection = any($1::text[]) and global_position = any($2::bigint[])`,
      [names, append.globalPositions],
    );
    if (rows.length > 0) {
      throw new ProjectionEventsParkedError(
        rows.map((row) => row.projection),
        append.globalPositions,
      );
    }
  }

  async status(now = new Date()): Promise<ProjectionStatus[]> {
    const result: ProjectionStatus[] = [];
    for (const entry of this.live.values()) {
      const { name } = entry.projection;
      const state = await readState(this.engine, name);
      const lag = await readLag(this.engine, name, now);
      const error = entry.lastError;
      result.push({
        name,
        version: entry.projection.version,
        tablesVersion: state?.version ?? null,
        generation: state?.generation ?? null,
        state: entry.state,
        tables: state?.tables ?? liveTableNames(entry.projection),
        ...lag,
        ...(error !== undefined
          ? { lastError: { code: errorCode(error), message: errorMessage(error) } }
          : {}),
      });
    }
    return result;
  }

  parked(filter: ParkedFilter = {}): Promise<ParkedEvent[]> {
    return listParked(this.engine, filter);
  }

  retryParked(projection: string, filter: Omit<ParkedFilter, 'projection'> = {}): Promise<RetryReport> {
    return retryParked(this.engine, this.entry(projection).projection, this.upcasters, filter);
  }

  /** Rebuilds (all or a slice of) a projection while it keeps running; see replayProjection. */
  replay(projection: string, options: ReplayOptions = {}): Promise<ReplayReport> {
    return replayProjection(this.engine, this.entry(projection).projection, {
      ...this.replayDefaults(),
      ...options,
    });
  }

  /** Full rebuilds of several projections from one read of the log, while they keep running; see rebuildProjections. */
  rebuild(
    projections: readonly string[],
    options: Omit<ReplayOptions, 'slice' | 'dryRun' | 'upcasters'> = {},
  ): Promise<ReplayReport[]> {
    return rebuildProjections(
      this.engine,
      projections.map((name) => this.entry(name).projection),
      { ...this.replayDefaults(), ...options },
    );
  }

  /** Fingerprints of the live tables, per tenant (one tenant's when given). */
  async fingerprint(projection: string, tenantId?: string): Promise<TenantFingerprint[]> {
    const { projection: definition } = this.entry(projection);
    return this.engine.transaction(async (tx) => {
      const state = await readState(tx, projection);
      const tables = state?.tables ?? liveTableNames(definition);
      return fingerprint(tx, definition, tables, tenantId !== undefined ? { tenantId } : {});
    });
  }

  private async consume(entry: Live): Promise<void> {
    const { projection } = entry;
    const applier = new ProjectionApplier(
      { id: projection.name, projection, tables: liveTableNames(projection) },
      this.upcasters,
      this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    );
    const subscription = new CatchUpSubscription(this.engine, {
      subscriptionId: checkpointId(projection.name),
      ...(projection.eventTypes ? { eventTypes: projection.eventTypes } : {}),
      ...(this.options.batchSize ? { batchSize: this.options.batchSize } : {}),
      ...(this.options.pollIntervalMs ? { pollIntervalMs: this.options.pollIntervalMs } : {}),
      handle: async (events, tx) => {
        await assertTablesVersion(tx, projection);
        await applier.applyBatch(events, tx);
        entry.lastError = undefined;
        if (entry.state === 'failing') entry.state = 'running';
      },
      onError: (error) => {
        entry.lastError = error;
        if (entry.state === 'running') entry.state = 'failing';
        this.options.onError?.(projection.name, error);
      },
    });
    await subscription.start();
    entry.subscription = subscription;
    entry.state = 'running';
  }

  private fail(entry: Live, error: unknown): void {
    entry.state = 'failed';
    entry.lastError = error;
    this.options.onError?.(entry.projection.name, error);
  }

  private replayDefaults(): ReplayOptions {
    return {
      upcasters: this.upcasters,
      ...(this.options.maxAttempts ? { maxAttempts: this.options.maxAttempts } : {}),
    };
  }

  private entry(name: string): Live {
    const entry = this.live.get(name);
    if (!entry) throw new UnknownProjectionError(name);
    return entry;
  }
}
