/**
 * Regression: the global feed once sorted transaction ids as text, so '999' came after '1000' and a page
 * boundary there skipped events. A fresh embedded database starts a few hundred ids below 1000, so the
 * test walks the transaction counter up to the boundary and appends across it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PgEventStore } from './pg-event-store.ts';
import { collect, freshStream, newEvent } from './testing/event-factory.ts';
import { openTestDatabase, type TestDatabase } from './testing/test-engines.ts';

describe('global feed across a power of ten of transaction ids [pglite]', () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase('pglite');
  });
  after(() => db.dispose());

  it('serves every event, in order, when transaction ids grow a digit', async () => {
    const currentXid = async () =>
      Number((await db.engine.query<{ x: string }>('select pg_current_xact_id()::text as x')).rows[0]!.x);
    const start = await currentXid();
    const boundary = 10 ** String(start).length;
    assert.ok(boundary - start < 3_000, `transaction id ${start} is too far below ${boundary} for this test`);
    while ((await currentXid()) < boundary - 6);
    const store = new PgEventStore(db.engine);
    const written: string[] = [];
    for (let i = 0; i < 12; i++) {
      const event = newEvent();
      written.push(event.eventId);
      await store.appendToStream(freshStream('tenant-xid'), 'no_stream', [event]);
    }
    const seen = (await collect(store.readGlobalFeed({ batchSize: 2 })))
      .map((event) => event.eventId)
      .filter((id) => written.includes(id));
    assert.deepEqual(seen, written);
  });
});
