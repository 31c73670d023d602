import type { RecordedEvent } from '../store/envelope.ts';
import type { Sql } from '../store/engines/engine.ts';

/**
 * The concrete table names a projection writes to. Live tables and rebuild (shadow) tables have different
 * names, so a projection never hard-codes them: it receives them, keyed by its logical table names.
 */
export type TableNames = Readonly<Record<string, string>>;

/**
 * A read model: its own tables, built only from events. `apply` must be deterministic (same events in the
 * same order → same rows) and touch only `tables`; the runtime supplies transactions, checkpoints,
 * redelivery protection, shadow tables and replays.
 *
 * @example
 * export const paymentsView: Projection = {
 *   name: 'payments_view', version: 1, tables: ['payments_view'],
 *   eventTypes: ['payment.deposit.paid', ...],
 *   createTables: (t) => `create table ${t.payments_view} (tenant_id text not null, ...)`,
 *   apply: async (event, tx, t) => { await tx.query(`insert into ${t.payments_view} ...`, [...]); },
 * };
 */
export interface Projection {
  /** Stable name, e.g. `payments_view`; also the checkpoint's name. */
  readonly name: string;
  /** Bump when the table layout or the apply logic changes: the runtime then rebuilds from the log. */
  readonly version: number;
  /** Logical table names. Every table has a `tenant_id text not null` column. */
  readonly tables: readonly string[];
  /** Event types it reads (the runtime skips the others without calling apply); omit for all. */
  readonly eventTypes?: readonly string[];
  /** DDL creating the tables (and their indexes) under the given concrete names, in schema `read`. */
  createTables(tables: TableNames): string;
  /**
   * Applies one event (upcast to its current schema version) inside the runtime's transaction. Sensitive
   * payload fields stay encrypted: read models keep patient references, never patient plaintext, so that
   * erasing a patient's key leaves nothing readable behind in them.
   */
  apply(event: RecordedEvent, tx: Sql, tables: TableNames): Promise<void>;
  /**
   * Optional: applies several events (upcast, in order, none applied before) with exactly the result of
   * calling `apply` on each in turn — for read models that can load what a batch touches with one query per
   * table, fold the events in memory and write the result with multi-row statements, instead of a round
   * trip or more per event. Used for every batch, live and replayed; when it throws, the runtime retries
   * the batch with `apply`, event by event, to find and in time park the event that fails.
   */
  applyBatch?(events: readonly RecordedEvent[], tx: Sql, tables: TableNames): Promise<void>;
  /**
   * Optional: called once when a replay's build into an empty shadow whose tables are held in memory (see
   * ResidentTable) stops holding them — at the end of the build, or when memory runs short — for work the
   * projection deferred while they were held (portal_slots_view lists the slots its pages noted).
   */
  finishBuild?(tx: Sql, tables: TableNames): Promise<void>;
  /**
   * Optional columns that partition rows by slice for partial replays (`tenant_id` always does):
   * e.g. `{ branch: 'branch_id' }` lets a branch replay delete and rebuild just that branch's rows.
   */
  readonly sliceColumns?: Readonly<Partial<Record<'branch', string>>>;
}
