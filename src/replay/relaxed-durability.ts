import type { Sql } from '../store/engines/engine.ts';

/**
 * A shadow's build need not wait for its commits to reach the disk: a rebuild interrupted by a crash is never
 * swapped in (its shadow is abandoned; the next replay builds a new one). The final step, which swaps, commits
 * durably as usual.
 */
export async function relaxDurability(tx: Sql): Promise<void> {
  await tx.query("select set_config('synchronous_commit', 'off', true)");
}
