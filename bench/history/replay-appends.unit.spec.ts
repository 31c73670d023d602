import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RecordedEvent } from '../../src/store/envelope.ts';
import { InMemoryEventStore } from '../../src/store/in-memory/in-memory-event-store.ts';
import { collect, newEvents } from '../../src/store/testing/event-factory.ts';
import { replayAppends } from './replay-appends.ts';

/** One original append: one to three streams of the tenant, one to three events each. */
const originalArb = fc.uniqueArray(
  fc.record({ stream: fc.constantFrom('a', 'b', 'c', 'd'), events: fc.integer({ min: 1, max: 3 }) }),
  { minLength: 1, maxLength: 3, selector: (write) => write.stream },
);

async function recordedHistory(originals: readonly { stream: string; events: number }[][]) {
  const store = new InMemoryEventStore();
  for (const original of originals) {
    await store.appendMulti(
      't1',
      original.map(({ stream, events }) => ({
        stream: { tenantId: 't1', aggregateType: 'thing', aggregateId: stream },
        expectedVersion: 'any' as const,
        events: newEvents(events),
      })),
    );
  }
  return collect(store.readTenantLog('t1'));
}

const shapeOf = (events: readonly RecordedEvent[]) =>
  events.map((event) => [event.eventId, event.aggregateId, event.version, event.tenantSeq]);

describe('replayAppends', () => {
  it('rebuilds the same log elsewhere, in fewer appends, never naming a stream twice in one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(originalArb, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 12 }),
        async (originals, maxEvents) => {
          const log = await recordedHistory(originals);
          const appends = replayAppends(log, maxEvents);
          const copy = new InMemoryEventStore();
          for (const append of appends) {
            const streams = append.writes.map((write) => write.stream.aggregateId);
            assert.equal(new Set(streams).size, streams.length);
            assert.equal(
              append.events,
              append.writes.reduce((sum, write) => sum + write.events.length, 0),
            );
            // Exact expected versions: a gap or a reordering would be refused here.
            await copy.appendMulti('t1', append.writes);
          }
          assert.deepEqual(shapeOf(await collect(copy.readTenantLog('t1'))), shapeOf(log));
          assert.ok(appends.length <= originals.length);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('merges whole original appends up to the size limit, and never splits one', async () => {
    const log = await recordedHistory([
      [{ stream: 'a', events: 2 }],
      [{ stream: 'b', events: 1 }],
      [
        { stream: 'c', events: 3 },
        { stream: 'd', events: 1 },
      ],
      [{ stream: 'a', events: 1 }],
    ]);
    const sizes = (maxEvents: number) => replayAppends(log, maxEvents).map((append) => append.events);
    assert.deepEqual(sizes(1), [2, 1, 4, 1]);
    assert.deepEqual(sizes(3), [3, 4, 1]);
    // Stream a again: it starts a new append, however large the limit.
    assert.deepEqual(sizes(100), [7, 1]);
  });
});
