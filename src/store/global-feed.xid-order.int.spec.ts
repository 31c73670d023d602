/**
 * Regression: the global feed once sorted transaction ids as text, so '999' came after '1000' and a page
 * boundary there skipped events. The test appends across such a boundary.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PgEventStore } from './pg-event-store.ts';
import { collect } from './testing/event-factory.ts';
import { openTestDatabase, type TestDatabase } from './testing/test-engines.ts';
import { appendAcrossXidDigitBoundary } from './testing/xid-digit-boundary.ts';

describe('global feed across a power of ten of transaction ids [pglite]', () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase('pglite');
  });
  after(() => db.dispose());

  it('serves every event, in order, when transaction ids grow a digit', async () => {
    const { written } = await appendAcrossXidDigitBoundary(db.engine);
    const store = new PgEventStore(db.engine);
    const seen = (await collect(store.readGlobalFeed({ batchSize: 2 })))
      .map((event) => event.eventId)
      .filter((id) => written.includes(id));
    assert.deepEqual(seen, written);
  });
});
