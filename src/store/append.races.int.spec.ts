/**
 * Many writers racing on one stream, each appending with the version it just read: optimistic concurrency
 * must let exactly one of them win each version, and the stream must stay gapless.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConcurrencyError } from './errors.ts';
import { PgEventStore } from './pg-event-store.ts';
import { describeEachEngine } from './testing/test-engines.ts';
import { collect, freshStream, newEvent } from './testing/event-factory.ts';

describeEachEngine('racing writers', (db) => {
  it('lets exactly one writer win each version of a stream', async () => {
    const store = new PgEventStore(db().engine);
    const stream = freshStream();
    const winsByVersion = new Map<number, string[]>();
    let conflicts = 0;
    const writer = async (name: string): Promise<void> => {
      for (let attempt = 0; attempt < 15; attempt++) {
        const version = await store.streamVersion(stream);
        try {
          await store.appendToStream(stream, version, [newEvent({ payload: { writer: name } })]);
          winsByVersion.set(version + 1, [...(winsByVersion.get(version + 1) ?? []), name]);
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          assert.ok(error.actual > version, 'a conflict reports the newer actual version');
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => writer(`w${i}`)));
    const events = await collect(store.readStream(stream));
    assert.deepEqual(
      events.map((event) => event.version),
      events.map((_, index) => index + 1),
    );
    for (const [version, winners] of winsByVersion) assert.equal(winners.length, 1, `version ${version}`);
    assert.equal(winsByVersion.size, events.length);
    assert.deepEqual(
      events.map((event) => (event.payload as { writer: string }).writer),
      events.map((event) => winsByVersion.get(event.version)?.[0]),
    );
    assert.equal(winsByVersion.size + conflicts, 12 * 15);
  });

  it('creates a stream once when many writers expect it not to exist', async () => {
    const store = new PgEventStore(db().engine);
    const stream = freshStream();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => store.appendToStream(stream, 'no_stream', [newEvent()])),
    );
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
    for (const result of results) {
      if (result.status === 'rejected') assert.ok(result.reason instanceof ConcurrencyError);
    }
    assert.equal(await store.streamVersion(stream), 1);
  });
});
