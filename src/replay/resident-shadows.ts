/**
 * The shadows of a build phase held in memory (see ResidentTable): every page changes rows in memory only,
 * journalled so that a page whose transaction rolls back is undone there too, and the rows are written into
 * the shadow tables once, when the build ends — or earlier, when the heap fills beyond a share of its limit
 * (half by default), after which the build goes on page by page against the tables.
 */
import { getHeapStatistics } from 'node:v8';
import type { Engine } from '../store/engines/engine.ts';
import type { TableNames } from '../projections/projection.ts';
import {
  holdResident,
  releaseResident,
  type ResidentTable,
} from '../projections/read-models/shared/resident-table.ts';
import { loadWithoutIndexes } from './deferred-indexes.ts';
import { relaxDurability } from './relaxed-durability.ts';

export const DEFAULT_MEMORY_SHARE = 0.5;
/** Tables written at once, each in its own transaction: the server's cores share the inserts and index builds. */
const WRITERS = 2;
/** From this many rows, a table is loaded without its indexes and indexed after. */
const DEFER_INDEXES_FROM = 10_000;

export class ResidentShadows {
  private held: ResidentTable[];

  /** @param memoryShare of the heap's limit; 0 holds nothing (page by page from the start) */
  constructor(
    shadows: readonly TableNames[],
    private readonly memoryShare = DEFAULT_MEMORY_SHARE,
  ) {
    this.held = memoryShare > 0 ? shadows.flatMap((tables) => Object.values(tables).map(holdResident)) : [];
  }

  /** The page's transaction committed: its changes stay. */
  commit(): void {
    for (const table of this.held) table.commit();
  }

  /** The page's transaction rolled back: so do its changes. */
  rollback(): void {
    for (const table of this.held) table.rollback();
  }

  /** Whether the rows should be written out now, while memory lasts; the rest of the build then works on tables. */
  large(): boolean {
    if (this.held.length === 0) return false;
    const heap = getHeapStatistics();
    return heap.used_heap_size > heap.heap_size_limit * this.memoryShare;
  }

  /**
   * Inserts every held row into its (empty) shadow table and lets go of the tables. A failure fails the replay
   * (the rows are gone from memory), so nothing half-written is ever swapped in.
   */
  async writeOut(engine: Engine): Promise<void> {
    const pending = this.held.filter((table) => table.size > 0);
    this.release();
    const write = async (table: ResidentTable) =>
      engine.transaction(async (tx) => {
        await relaxDurability(tx);
        if (table.size < DEFER_INDEXES_FROM) await table.writeOut(tx);
        else await loadWithoutIndexes(tx, table.table, () => table.writeOut(tx));
      });
    let failed = false;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let table = pending.shift(); table !== undefined && !failed; table = pending.shift()) {
          await write(table).catch((error: unknown) => {
            failed = true;
            throw error;
          });
        }
      }),
    );
  }

  /** Lets go without writing (the build failed: its shadow is dropped). */
  release(): void {
    for (const table of this.held) releaseResident(table.table);
    this.held = [];
  }
}
