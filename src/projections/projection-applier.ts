/**
 * Applies batches of events to one target (a projection's live or shadow tables) inside the caller's
 * transaction: skips event types the projection does not read and events already processed (per-tenant
 * positions), upcasts the rest and applies them — all at once through the projection's `applyBatch` when it
 * has one, else one by one — and parks an event that keeps failing so the target moves on.
 * The live subscription and every replay go through this one path.
 */
import type { Sql } from '../store/engines/engine.ts';
import type { RecordedEvent } from '../store/envelope.ts';
import { parkEvent } from './parked-events.ts';
import type { Projection, TableNames } from './projection.ts';
import { ProjectionApplyError } from './projection-errors.ts';
import { loadPositions, savePositions, type TenantPosition } from './tenant-positions.ts';
import type { UpcasterRegistry } from './upcaster-registry.ts';

export interface ApplyTarget {
  /** Key of the positions and parked events: the projection's name (live) or a rebuild's shadow id. */
  readonly id: string;
  readonly projection: Projection;
  readonly tables: TableNames;
}

export interface ApplyCounts {
  applied: number;
  /** Already processed by this target (a redelivery). */
  skipped: number;
  parked: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

export function readsEventType(projection: Projection, eventType: string): boolean {
  return projection.eventTypes === undefined || projection.eventTypes.includes(eventType);
}

export class ProjectionApplier {
  /**
   * Failures per event id since this process started. A failing event aborts its batch (the transaction
   * rolls back with the checkpoint); once it has failed `maxAttempts` times, the next delivery parks it.
   */
  private readonly failures = new Map<string, { attempts: number; error: unknown }>();
  /** Events of batches `applyBatch` failed on: they go through `apply` one by one until they succeed. */
  private readonly batchFailed = new Set<string>();

  constructor(
    readonly target: ApplyTarget,
    private readonly upcasters: UpcasterRegistry,
    private readonly maxAttempts = DEFAULT_MAX_ATTEMPTS,
  ) {}

  /** @throws ProjectionApplyError when an event fails and has retries left; the caller rolls back and retries. */
  async applyBatch(events: readonly RecordedEvent[], tx: Sql): Promise<ApplyCounts> {
    const counts: ApplyCounts = { applied: 0, skipped: 0, parked: 0 };
    const { projection, id } = this.target;
    const relevant = events.filter((event) => readsEventType(projection, event.eventType));
    if (relevant.length === 0) return counts;
    const positions = await loadPositions(tx, id, [...new Set(relevant.map((event) => event.tenantId))]);
    const pending: RecordedEvent[] = [];
    for (const event of relevant) {
      if (event.tenantSeq <= (positions.get(event.tenantId) ?? 0)) {
        counts.skipped++;
        continue;
      }
      pending.push(event);
      positions.set(event.tenantId, event.tenantSeq);
    }
    if (projection.applyBatch && !pending.some((event) => this.batchFailed.has(event.eventId))) {
      await this.applyAtOnce(projection.applyBatch.bind(projection), pending, tx);
      counts.applied += pending.length;
    } else {
      for (const event of pending) await this.applyOne(event, tx, counts);
    }
    const moved = new Map<string, TenantPosition>();
    for (const event of pending) {
      moved.set(event.tenantId, { tenantSeq: event.tenantSeq, recordedAt: event.recordedAt });
    }
    await savePositions(tx, id, moved);
    return counts;
  }

  private async applyAtOnce(
    applyBatch: NonNullable<Projection['applyBatch']>,
    events: readonly RecordedEvent[],
    tx: Sql,
  ): Promise<void> {
    if (events.length === 0) return;
    const { projection, tables } = this.target;
    try {
      await applyBatch(
        events.map((event) => this.upcasters.upcast(event)),
        tx,
        tables,
      );
    } catch (error) {
      for (const event of events) this.batchFailed.add(event.eventId);
      throw new ProjectionApplyError(projection.name, (events[0] as RecordedEvent).eventId, 1, error);
    }
  }

  private async applyOne(event: RecordedEvent, tx: Sql, counts: ApplyCounts): Promise<void> {
    const { projection, tables, id } = this.target;
    const failure = this.failures.get(event.eventId);
    if (failure && failure.attempts >= this.maxAttempts) {
      await parkEvent(tx, projection.name, id, event, failure.error, failure.attempts);
      this.failures.delete(event.eventId);
      this.batchFailed.delete(event.eventId);
      counts.parked++;
      return;
    }
    try {
      await projection.apply(this.upcasters.upcast(event), tx, tables);
    } catch (error) {
      const attempts = (failure?.attempts ?? 0) + 1;
      this.failures.set(event.eventId, { attempts, error });
      throw new ProjectionApplyError(projection.name, event.eventId, attempts, error);
    }
    if (failure) this.failures.delete(event.eventId);
    this.batchFailed.delete(event.eventId);
    counts.applied++;
  }
}
