/** Compares what a tailing reader saw with what the store holds: every event once, none skipped. */
import type { LogAudit } from './measurement.ts';

/** `seen` in reading order, duplicates included; `stored` the global positions actually committed. */
export function auditLog(seen: readonly number[], stored: readonly number[]): LogAudit {
  const storedSet = new Set(stored);
  const seenOnce = new Set<number>();
  let duplicated = 0;
  for (const position of seen) {
    if (seenOnce.has(position)) duplicated++;
    else seenOnce.add(position);
  }
  let missed = 0;
  for (const position of storedSet) if (!seenOnce.has(position)) missed++;
  // A position seen but not stored would be a phantom: no system here can produce one, so it is an error.
  for (const position of seenOnce) {
    if (!storedSet.has(position)) throw new Error(`reader saw position ${position}, which is not stored`);
  }
  return { stored: storedSet.size, seen: seen.length, missed, duplicated };
}
