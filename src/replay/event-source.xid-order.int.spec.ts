/**
 * Regression: replays once paged the global feed in transaction-id order as text (the selected `tx_id` is
 * text), so '999' came after '1000': a page boundary there skipped events, and the feed's head was taken
 * from below the boundary. The test appends across such a boundary.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cursorAfter } from '../store/subscriptions/subscription-cursor.ts';
import { openTestDatabase, type TestDatabase } from '../store/testing/test-engines.ts';
import { appendAcrossXidDigitBoundary } from '../store/testing/xid-digit-boundary.ts';
import { EventSource, feedHead } from './event-source.ts';

describe('replay source across a power of ten of transaction ids [pglite]', () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase('pglite');
  });
  after(() => db.dispose());

  it('pages every event in feed order and finds the head when transaction ids grow a digit', async () => {
    const { written, last } = await appendAcrossXidDigitBoundary(db.engine, 'replay.xid_checked');
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
      txId: last.txId,
      globalPosition: last.globalPositions[0],
    });
  });
});
