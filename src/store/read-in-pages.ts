import type { RecordedEvent } from './envelope.ts';
import { toRecordedEvent, type StoredRow } from './event-row.ts';

export interface KeysetPaging<C> {
  /** Where the first page starts (exclusive or inclusive, as `fetch` defines it). */
  readonly first: C;
  readonly batchSize: number;
  /** Stop after this many events. */
  readonly limit?: number;
  /** Up to `take` rows from `cursor` on, in the read's order. */
  fetch(cursor: C, take: number): Promise<StoredRow[]>;
  /** The cursor of the page after the one that ended with `last`. */
  next(last: RecordedEvent): C;
}

/**
 * Reads a keyset in pages. Each page asks for one row more than it hands out, so the end of the read is known
 * without an extra round trip for an empty page. The next page is asked for as soon as a page arrives,
 * before it is decoded and handed out: the database produces page k+1 while this process decodes page k
 * and the reader uses it.
 */
export async function* readInPages<C>(paging: KeysetPaging<C>): AsyncIterable<RecordedEvent> {
  let remaining = paging.limit ?? Number.POSITIVE_INFINITY;
  let take = Math.min(paging.batchSize, remaining);
  let pending = paging.fetch(paging.first, take + 1);
  for (;;) {
    const rows = await pending;
    const count = Math.min(rows.length, take);
    remaining -= count;
    const more = rows.length > take && remaining > 0;
    if (more) {
      const last = toRecordedEvent(rows[count - 1]!);
      take = Math.min(paging.batchSize, remaining);
      pending = paging.fetch(paging.next(last), take + 1);
      // If the reader stops early nobody awaits this page; when it is awaited, its error still surfaces.
      pending.catch(() => undefined);
    }
    for (let i = 0; i < count; i++) yield toRecordedEvent(rows[i]!);
    if (!more) return;
  }
}
