import { setImmediate as nextTurn } from 'node:timers/promises';
import { ValidationError } from '../shared/errors.ts';
import type { RecordedEvent } from './envelope.ts';
import { toRecordedEvent, type StoredRow } from './event-row.ts';

const DEFAULT_BATCH = 500;

/**
 * While a page is handed out, the next one is streaming in. Handing out events never waits for I/O, so
 * without a pause the connection would not read its socket until the page is done: once the socket buffer
 * (a few hundred rows) is full the server stops producing the next page, and the reader later waits for
 * most of it. Every this many events the reader lets the event loop run once, so the next page keeps
 * arriving while this one is used.
 */
const EVENTS_BETWEEN_READS = 100;

export interface KeysetPaging<C> {
  /** Where the first page starts (exclusive or inclusive, as `fetch` defines it). */
  readonly first: C;
  /** Events per page as the caller asked (default 500); checked when reading starts. */
  readonly batchSize: number | undefined;
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
  const batchSize = validBatchSize(paging.batchSize);
  let remaining = paging.limit ?? Number.POSITIVE_INFINITY;
  let take = Math.min(batchSize, remaining);
  let pending = paging.fetch(paging.first, take + 1);
  for (;;) {
    const rows = await pending;
    const count = Math.min(rows.length, take);
    remaining -= count;
    const more = rows.length > take && remaining > 0;
    if (more) {
      const last = toRecordedEvent(rows[count - 1]!);
      take = Math.min(batchSize, remaining);
      pending = paging.fetch(paging.next(last), take + 1);
      // If the reader stops early nobody awaits this page; when it is awaited, its error still surfaces.
      pending.catch(() => undefined);
    }
    for (let i = 0; i < count; i++) {
      yield toRecordedEvent(rows[i]!);
      if (more && i % EVENTS_BETWEEN_READS === EVENTS_BETWEEN_READS - 1) await nextTurn();
    }
    if (!more) return;
  }
}

function validBatchSize(requested: number | undefined): number {
  const size = requested ?? DEFAULT_BATCH;
  if (!Number.isSafeInteger(size) || size < 1 || size > 10_000) {
    throw new ValidationError('batchSize', 'must be an integer from 1 to 10000');
  }
  return size;
}
