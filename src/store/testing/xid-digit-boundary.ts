/**
 * For regressions where transaction ids were ordered as text ('999' after '1000'): walks a fresh embedded
 * database's transaction counter (a few hundred below 1000) up to the next power of ten and appends twelve
 * one-event streams across it.
 */
import assert from 'node:assert/strict';
import type { Engine } from '../engines/engine.ts';
import type { AppendResult } from '../event-store.ts';
import { PgEventStore } from '../pg-event-store.ts';
import { freshStream, newEvent } from './event-factory.ts';

export async function appendAcrossXidDigitBoundary(
  engine: Engine,
  eventType?: string,
): Promise<{ written: string[]; last: AppendResult }> {
  const currentXid = async () =>
    Number((await engine.query<{ x: string }>('select pg_current_xact_id()::text as x')).rows[0]!.x);
  const start = await currentXid();
  const boundary = 10 ** String(start).length;
  assert.ok(boundary - start < 3_000, `transaction id ${start} is too far below ${boundary} for this test`);
  while ((await currentXid()) < boundary - 6);
  const store = new PgEventStore(engine);
  const written: string[] = [];
  let last: AppendResult | undefined;
  for (let i = 0; i < 12; i++) {
    const event = newEvent(eventType === undefined ? {} : { eventType });
    written.push(event.eventId);
    last = await store.appendToStream(freshStream('tenant-xid'), 'no_stream', [event]);
  }
  return { written, last: last as AppendResult };
}
