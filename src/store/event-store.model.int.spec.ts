/**
 * Property: any sequence of appends, with right and stale expectations, behaves exactly like a trivial
 * in-memory model — stale expected versions always fail and write nothing, versions and tenant sequence
 * numbers stay gapless, and reading back returns exactly what was acknowledged.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { ConcurrencyError } from './errors.ts';
import type { ExpectedVersion } from './expected-version.ts';
import { PgEventStore } from './pg-event-store.ts';
import { describeEachEngine } from './testing/test-engines.ts';
import { collect, freshStream, newEvent } from './testing/event-factory.ts';
import type { StreamId } from './envelope.ts';

interface AppendStep {
  readonly streamIndex: number;
  readonly expectation: 'right' | 'stale' | 'ahead' | 'any' | 'no_stream' | 'stream_exists';
  readonly count: number;
}

const stepArbitrary = fc.record({
  streamIndex: fc.integer({ min: 0, max: 2 }),
  expectation: fc.constantFrom('right', 'stale', 'ahead', 'any', 'no_stream', 'stream_exists'),
  count: fc.integer({ min: 1, max: 3 }),
}) satisfies fc.Arbitrary<AppendStep>;

function expectedFor(step: AppendStep, current: number): ExpectedVersion {
  switch (step.expectation) {
    case 'right':
      return current;
    case 'stale':
      return Math.max(0, current - 1 - (step.count % 2));
    case 'ahead':
      return current + 1;
    default:
      return step.expectation;
  }
}

function modelAccepts(expected: ExpectedVersion, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === 0;
  if (expected === 'stream_exists') return current > 0;
  return expected === current;
}

describeEachEngine('store against an in-memory model', (db) => {
  it('agrees with the model on every random sequence of appends', async () => {
    const store = new PgEventStore(db().engine);
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 12 }), async (steps) => {
        const tenantId = freshStream().tenantId;
        const streams: StreamId[] = [0, 1, 2].map(() => freshStream(tenantId));
        const model = streams.map(() => [] as string[]);
        let tenantSeq = 0;
        for (const step of steps) {
          const stream = streams[step.streamIndex]!;
          const history = model[step.streamIndex]!;
          const expected = expectedFor(step, history.length);
          const events = Array.from({ length: step.count }, () => newEvent());
          if (modelAccepts(expected, history.length)) {
            const result = await store.appendToStream(stream, expected, events);
            history.push(...events.map((event) => event.eventId));
            assert.deepEqual(result.versions, [history.length]);
            assert.equal(result.firstTenantSeq, tenantSeq + 1);
            tenantSeq += step.count;
            assert.equal(result.lastTenantSeq, tenantSeq);
          } else {
            await assert.rejects(store.appendToStream(stream, expected, events), (error: unknown) => {
              return error instanceof ConcurrencyError && error.actual === history.length;
            });
          }
        }
        for (const [index, stream] of streams.entries()) {
          const read = await collect(store.readStream(stream, { batchSize: 2 }));
          assert.deepEqual(
            read.map((event) => event.eventId),
            model[index],
          );
          assert.deepEqual(
            read.map((event) => event.version),
            read.map((_, position) => position + 1),
          );
        }
        const log = await collect(store.readTenantLog(tenantId, { batchSize: 3 }));
        assert.deepEqual(
          log.map((event) => event.tenantSeq),
          log.map((_, position) => position + 1),
        );
        assert.equal(log.length, tenantSeq);
      }),
      { numRuns: 40 },
    );
  });
});
