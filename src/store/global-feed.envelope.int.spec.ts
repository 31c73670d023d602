/**
 * The global feed travels as one JSON array per event (EVENT_JSON) while the other reads travel as columns:
 * both must hand out exactly the same envelopes, through the engine and through a wrapper that ignores
 * query options (rows then arrive as objects).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonValue } from '../shared/canonical-json.ts';
import type { RecordedEvent } from './envelope.ts';
import type { Engine } from './engines/engine.ts';
import { PgEventStore } from './pg-event-store.ts';
import { describeEachEngine } from './testing/test-engines.ts';
import { collect, freshStream, newEvent } from './testing/event-factory.ts';

describeEachEngine('global feed envelopes', (db) => {
  it('equal what the stream read hands out, field for field', async () => {
    const engine = db().engine;
    const plain: Engine = Object.assign(Object.create(engine) as Engine, {
      query: (text: string, params?: readonly unknown[]) => engine.query(text, params),
    });
    const store = new PgEventStore(engine);
    const stream = freshStream();
    const payloads: JsonValue[] = [
      'a JSON string',
      '{"looks":"like json"}',
      42,
      -0.5,
      null,
      [1, 'two', { three: [] }],
      { é: '✓ "quoted" \\ back\nslash\ttab \u0001', big: 9_007_199_254_740_991, nested: { z: 1, a: [true] } },
    ];
    await store.appendToStream(
      stream,
      'no_stream',
      payloads.map((payload, i) =>
        newEvent({
          payload,
          occurredAt: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, i)),
          ...(i % 2 === 0
            ? { branchId: 'b-1', causationId: 'cause "✓"', correlationId: 'corr\\1' }
            : { branchId: null, causationId: null, correlationId: null }),
        }),
      ),
    );
    const expected = await collect(store.readStream(stream));
    assert.equal(expected.length, payloads.length);
    assert.deepEqual(await feedOf(store, stream.tenantId, expected.length), expected);
    assert.deepEqual(await feedOf(new PgEventStore(plain), stream.tenantId, expected.length), expected);
  });
});

/** The tenant's events in the feed, waiting while a transaction open elsewhere holds them back. */
async function feedOf(store: PgEventStore, tenantId: string, count: number): Promise<RecordedEvent[]> {
  let mine: RecordedEvent[] = [];
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    mine = (await collect(store.readGlobalFeed({ batchSize: 3 }))).filter(
      (event) => event.tenantId === tenantId,
    );
    if (mine.length >= count) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return mine;
}
