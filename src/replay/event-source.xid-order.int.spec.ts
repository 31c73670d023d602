/**
 * Regression: replays once paged the global feed in transaction-id order as text (the selected `tx_id` is
 * text), so '999' came after '1000': a page boundary there skipped events, and the feed's head was taken
 * from below the boundary. A fresh embedded database starts a few hundred ids below 1000, so the test walks
 * the transaction counter up to the boundary and appends across it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PgEventStore } from '../store/pg-event-store.ts';
import { cursorAfter } from '../store/subscriptions/subscription-cursor.ts';
import { freshStream, newEvent } from '../store/testing/event-factory.ts';
import { openTestDatabase, type TestDatabase } from '../store/testing/test-engines.ts';
import { EventSource, feedHead } from './event-source.ts';

describe('replay source across a power of ten of transaction ids [pglite]', () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase('pglite');
  });
  after(() => db.dispose());

  it('pages every event in feed order and finds the head when transaction ids grow a digit', async () => {
    const currentXid = async () =>
      Number((await db.engine.query<{ x: string }>('select pg_current_xact_id()::text as x')).rows[0]!.x);
    const start = await currentXid();
    const boundary = 10 ** String(start).length;
    assert.ok(boundary - start < 3_000, `transaction id ${start} is too far below ${boundary} for this test`);
    while ((await currentXid()) < boundary - 6);
    const store = new PgEventStore(db.engine);
    const written: string[] = [];
    let last;
    for (let i = 0; i < 12; i++) {
      const event = newEvent({ eventType: 'replay.xid_checked' });
      written.push(event.eventId);
      last = await store.appendToStream(freshStream('tenant-xid'), 'no_stream', [event]);
    }
    const source = new EventSource({}, ['replay.xid_checked']);
    const seen: string[] = [];
    for (let position = source.start(); ;) {
      const page = await source.page(db.engine, position, undefined, 2);
      seen.push(...page.map((event) => event.eventId));
      const end = page.at(-1);
      if (!end) break;
      position = cursorAfter(position, end);
    }
    assert.deepEqual(seen, written);
    assert.deepEqual(await feedHead(db.engine), {
      txId: last!.txId,
      globalPosition: last!.globalPositions[0],
    });
  });
});
