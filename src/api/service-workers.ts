/**
 * The service's background workers: every read model (the projection runtime over ALL_PROJECTIONS) and every
 * reaction between aggregates (the process-manager runner), consuming the log as role `mymedic_worker`
 * (every tenant) and woken by the store's NOTIFY. They share the service's master keys, so a reaction can
 * read and write patient fields the way a request does.
 */
import { CommandService } from '../commands/command-service.ts';
import type { MasterKeys } from '../compliance/master-key.ts';
import { ProcessManagerRunner } from '../process-managers/process-manager-runner.ts';
import type { ProcessManager } from '../process-managers/process-manager.ts';
import { ALL_PROCESS_MANAGERS } from '../process-managers/registry.ts';
import type { Projection } from '../projections/projection.ts';
import { ProjectionRuntime } from '../projections/projection-runtime.ts';
import { installProjection } from '../projections/projection-state.ts';
import { ALL_PROJECTIONS } from '../projections/registry.ts';
import { UpcasterRegistry } from '../projections/upcaster-registry.ts';
import { ALL_UPCASTERS } from '../projections/upcasters.ts';
import type { Engine } from '../store/engines/engine.ts';
import { allTenantsEngine } from '../tenancy/scoped-engine.ts';
import type { ProjectionLag } from './metrics.ts';
import type { WorkersHealth, WorkersProbe } from './readiness.ts';

export interface ServiceWorkersOptions {
  readonly masterKeys: MasterKeys;
  /** Default: every registered read model and process manager. */
  readonly projections?: readonly Projection[];
  readonly processManagers?: readonly ProcessManager[];
  /** Polling fallback when a notification is missed (default 1 s). */
  readonly pollIntervalMs?: number;
}

/** Told about every failed batch (it is retried) and every projection that could not start. */
export type WorkerFailureListener = (worker: string, error: unknown) => void;

/**
 * @example
 * const workers = new ServiceWorkers(engine, { masterKeys });
 * await workers.start();
 * // ... serve; on shutdown:
 * await workers.stop(); // each worker finishes the batch it is in, then stops
 */
export class ServiceWorkers implements WorkersProbe {
  readonly projections: ProjectionRuntime;
  readonly processManagers: ProcessManagerRunner;
  private state: WorkersHealth['state'] = 'starting';
  private readonly worker: Engine;
  private readonly definitions: readonly Projection[];
  private readonly failureListeners: WorkerFailureListener[] = [];

  /** `engine` is the login role's engine; the workers switch to `mymedic_worker` per transaction. */
  constructor(engine: Engine, options: ServiceWorkersOptions) {
    const worker = allTenantsEngine(engine);
    this.worker = worker;
    this.definitions = options.projections ?? ALL_PROJECTIONS;
    const polling = options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {};
    this.projections = new ProjectionRuntime(worker, {
      projections: this.definitions,
      upcasters: new UpcasterRegistry(ALL_UPCASTERS),
      onError: (projection, error) => this.failed(`projection:${projection}`, error),
      ...polling,
    });
    this.processManagers = new ProcessManagerRunner(
      worker,
      CommandService.open(worker, options.masterKeys),
      options.processManagers ?? ALL_PROCESS_MANAGERS,
      { onError: (manager, error) => this.failed(`process-manager:${manager}`, error), ...polling },
    );
  }

  /** Subscribes to failures (e.g. to log them); a worker named `projection:<name>` or `process-manager:<name>`. */
  onFailure(listener: WorkerFailureListener): void {
    this.failureListeners.push(listener);
  }

  /**
   * Creates the tables of read models installed for the first time (idempotent, quick), so that queries served
   * before `start` has caught up find empty tables rather than none. A projection that cannot be installed is
   * reported and left to `start`, which marks it failed without holding up the others.
   */
  async install(): Promise<void> {
    for (const projection of this.definitions) {
      try {
        await installProjection(this.worker, projection);
      } catch (error) {
        this.failed(`projection:${projection.name}`, error);
      }
    }
  }

  /** Resolves once every projection is running (after any version upgrade's rebuild) or failed. */
  async start(): Promise<void> {
    await this.processManagers.start();
    await this.projections.start();
    this.state = 'running';
  }

  /** Each subscription finishes its current batch, so nothing is left half-applied or half-reacted. */
  async stop(): Promise<void> {
    this.state = 'stopping';
    await Promise.all([this.processManagers.stop(), this.projections.stop()]);
  }

  async health(now = new Date()): Promise<WorkersHealth> {
    const statuses = await this.projections.status(now);
    return {
      state: this.state,
      projections: statuses.map((status) => ({
        projection: status.name,
        state: status.state,
        eventsBehind: status.eventsBehind,
        secondsBehind: status.timeBehindMs / 1000,
        parked: status.parked,
      })),
    };
  }

  /** The lag source for ApiMetrics.reportProjectionLag. */
  async lag(): Promise<ProjectionLag[]> {
    const { projections } = await this.health();
    return projections.map(({ projection, eventsBehind, secondsBehind }) => ({
      projection,
      events: eventsBehind,
      seconds: secondsBehind,
    }));
  }

  private failed(worker: string, error: unknown): void {
    for (const listener of this.failureListeners) listener(worker, error);
  }
}
