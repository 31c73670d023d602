import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PgEventStore } from '../store/pg-event-store.ts';
import { freshStream, newEvents } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { counterProjection, streamLastProjection } from '../projections/testing/test-projections.ts';
import { waitUntilInFeed } from '../projections/testing/feed-visibility.ts';
import { measureSubscriptionLag, timeEventRead, timeFullRebuild } from './bench-hooks.ts';

describeEachEngine('benchmark hooks', (db) => {
  it('time a full rebuild and a plain read of the same events', async () => {
    const store = new PgEventStore(db().engine);
    let last;
    for (let stream = 0; stream < 5; stream++) {
      last = await store.appendToStream(freshStream(), 'no_stream', newEvents(20));
    }
    await waitUntilInFeed(db().engine, last!);
    const rebuild = await timeFullRebuild(
      db().engine,
      [counterProjection('bench'), streamLastProjection('bench')],
      {
        batchSize: 30,
      },
    );
    assert.equal(rebuild.events, 200);
    assert.deepEqual(
      rebuild.perProjection.map((entry) => [entry.projection, entry.events]),
      [
        ['counter_bench', 100],
        ['stream_last_bench', 100],
      ],
    );
    assert.ok(rebuild.eventsPerSecond > 0);
    const read = await timeEventRead(db().engine, { batchSize: 30 });
    assert.equal(read.events, 100);
    assert.ok(read.eventsPerSecond > 0);
  });

  it('samples how far live projections trail a steady append load', async () => {
    const lag = await measureSubscriptionLag(db().engine, {
      projections: [counterProjection('lag_bench')],
      durationMs: 600,
      appendsPerSecond: 25,
    });
    assert.equal(lag.samples.length, lag.appends);
    // At most one append per 40 ms; fewer when the machine is slow.
    assert.ok(lag.appends >= 1 && lag.appends <= 16, `${lag.appends} appends`);
    assert.ok(lag.p50 > 0 && lag.p50 <= lag.p99);
  });
});
