/**
 * The shadows of a build phase held in memory (see ResidentTable): every page changes rows in memory only,
 * journalled so that a page whose transaction rolls back is undone there too, and the rows are written into
 * the shadow tables once, when the build ends — or earlier, when the heap fills beyond a share of its limit
 * (half by default), after which the build goes on page by page against the tables.
 */
import { getHeapStatistics } from 'node:v8';
import type { Sql } from '../store/engines/engine.ts';
import type { TableNames } from '../projections/projection.ts';
import {
  holdResident,
  releaseResident,
  type ResidentTable,
} from '../projections/read-models/shared/resident-table.ts';

export const DEFAULT_MEMORY_SHARE = 0.5;

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

  /** Inserts every held row into its (empty) shadow table and lets go of the tables; returns the rows written. */
  async writeOut(sql: Sql): Promise<number> {
    let written = 0;
    for (const table of this.held) written += await table.writeOut(sql);
    this.release();
    return written;
  }

  /** Lets go without writing (the build failed: its shadow is dropped). */
  release(): void {
    for (const table of this.held) releaseResident(table.table);
    this.held = [];
  }
}
