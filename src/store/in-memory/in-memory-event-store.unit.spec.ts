/**
 * The store port's promises, kept by the in-memory store: the cases of event-store.contract.int.spec.ts that
 * do not need a database, plus a model-based property over random appends.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ValidationError } from '../../shared/errors.ts';
import type { RecordedEvent, StreamId } from '../envelope.ts';
import { ConcurrencyError, EventIdReusedError } from '../errors.ts';
import { collect, freshStream, newEvent, newEvents } from '../testing/event-factory.ts';
import { InMemoryEventStore } from './in-memory-event-store.ts';

const T0 = Date.parse('2026-11-27T08:00:00.000Z');

/** A store whose clock advances 1.5 ms per append, so commit times are distinct and truncated. */
function storeWithClock(): InMemoryEventStore {
  let tick = 0;
  return new InMemoryEventStore({ now: () => new Date(T0 + 1.5 * tick++) });
}

describe('in-memory event store', () => {
  it('stores the whole envelope and reads it back as acknowledged', async () => {
    const store = storeWithClock();
    const stream = freshStream();
    const event = newEvent({
      eventType: 'booking.created',
      branchId: 'branch-1',
      causationId: 'cmd-1',
      correlationId: 'corr-1',
      payload: { amountMinor: 50_000, nested: { z: 1, a: [true, null] } },
    });
    const result = await store.appendToStream(stream, 'no_stream', [event]);
    assert.deepEqual(result.versions, [1]);
    assert.equal(result.idempotentReplay, false);
    const [read] = await collect(store.readStream(stream));
    assert.ok(read);
    assert.deepEqual(
      { ...read },
      {
        eventId: event.eventId,
        eventType: 'booking.created',
        schemaVersion: 1,
        tenantId: stream.tenantId,
        branchId: 'branch-1',
        aggregateType: stream.aggregateType,
        aggregateId: stream.aggregateId,
        version: 1,
        occurredAt: event.occurredAt,
        recordedAt: result.recordedAt,
        causationId: 'cmd-1',
        correlationId: 'corr-1',
        actor: event.actor,
        payload: event.payload,
        tenantSeq: 1,
        globalPosition: result.globalPositions[0],
        txId: result.txId,
      },
    );
    assert.equal(read.recordedAt.getTime() % 1, 0);
  });

  it('keeps what was appended even if the writer changes its objects afterwards', async () => {
    const store = new InMemoryEventStore();
    const stream = freshStream();
    const payload = { n: 1 };
    await store.appendToStream(stream, 'no_stream', [newEvent({ payload })]);
    payload.n = 2;
    const [read] = await collect(store.readStream(stream));
    assert.deepEqual(read?.payload, { n: 1 });
  });

  it('appends a batch with consecutive versions and tenant sequence numbers', async () => {
    const store = new InMemoryEventStore();
    const stream = freshStream();
    await store.appendToStream(stream, 'no_stream', newEvents(3));
    const result = await store.appendToStream(stream, 3, newEvents(4));
    assert.deepEqual(result.versions, [7]);
    assert.deepEqual([result.firstTenantSeq, result.lastTenantSeq], [4, 7]);
    const versions = (await collect(store.readStream(stream))).map((event) => event.version);
    assert.deepEqual(versions, [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(await store.streamVersion(stream), 7);
  });

  it('enforces every kind of expected version, reports expected and actual, and writes nothing', async () => {
    const store = new InMemoryEventStore();
    const stream = freshStream();
    await assert.rejects(store.appendToStream(stream, 'stream_exists', [newEvent()]), (error: unknown) => {
      assert.ok(error instanceof ConcurrencyError);
      assert.deepEqual([error.expected, error.actual], ['stream_exists', 0]);
      return true;
    });
    await assert.rejects(store.appendToStream(stream, 2, [newEvent()]), ConcurrencyError);
    await store.appendToStream(stream, 'no_stream', newEvents(2));
    await assert.rejects(store.appendToStream(stream, 'no_stream', [newEvent()]), (error: unknown) => {
      assert.ok(error instanceof ConcurrencyError);
      assert.deepEqual([error.expected, error.actual], ['no_stream', 2]);
      return true;
    });
    await assert.rejects(store.appendToStream(stream, 1, [newEvent()]), ConcurrencyError);
    await store.appendToStream(stream, 'stream_exists', [newEvent()]);
    await store.appendToStream(stream, 3, [newEvent()]);
    await store.appendToStream(stream, 'any', [newEvent()]);
    assert.equal(await store.streamVersion(stream), 5);
    assert.equal(store.size, 5);
  });

  it('appends to several streams of a tenant atomically, an empty write only checking its version', async () => {
    const store = new InMemoryEventStore();
    const booking = freshStream('t1', 'booking');
    const ledger = freshStream('t1', 'slot_ledger');
    const doctor = freshStream('t1', 'doctor');
    await store.appendToStream(doctor, 'no_stream', [newEvent()]);
    const result = await store.appendMulti('t1', [
      { stream: booking, expectedVersion: 'no_stream', events: newEvents(2) },
      { stream: ledger, expectedVersion: 0, events: [newEvent()] },
      { stream: doctor, expectedVersion: 1, events: [] },
    ]);
    assert.deepEqual(result.versions, [2, 1, 1]);
    assert.deepEqual([result.firstTenantSeq, result.lastTenantSeq], [2, 4]);
    await assert.rejects(
      store.appendMulti('t1', [
        { stream: booking, expectedVersion: 2, events: [newEvent()] },
        { stream: doctor, expectedVersion: 0, events: [] },
      ]),
      ConcurrencyError,
    );
    assert.equal(await store.streamVersion(booking), 2);
    assert.equal(store.size, 4);
  });

  it('answers a retry with the original result and refuses ids reused by a different append', async () => {
    const store = new InMemoryEventStore();
    const stream = freshStream();
    const events = newEvents(3);
    const first = await store.appendToStream(stream, 'no_stream', events);
    const again = await store.appendToStream(stream, 'no_stream', events);
    assert.deepEqual(again, { ...first, idempotentReplay: true });
    await assert.rejects(
      store.appendToStream(stream, 3, [events[0]!, newEvent()]),
      (error: unknown) => error instanceof EventIdReusedError && error.code === 'EVENT_ID_REUSED',
    );
    await assert.rejects(
      store.appendToStream(freshStream('another-tenant'), 'no_stream', events),
      EventIdReusedError,
    );
    assert.equal(store.size, 3);
  });

  it('refuses invalid appends naming the field, and writes nothing', async () => {
    const store = new InMemoryEventStore();
    const stream = freshStream('t1');
    const refusals: [Promise<unknown>, string][] = [
      [store.appendMulti('t1', []), 'writes'],
      [store.appendToStream(stream, 'no_stream', []), 'writes'],
      [
        store.appendToStream({ ...stream, aggregateId: 'bad id' }, 'any', [newEvent()]),
        'writes.0.stream.aggregateId',
      ],
      [store.appendToStream(stream, -1, [newEvent()]), 'writes.0.expectedVersion'],
      [
        store.appendToStream(stream, 'any', [newEvent({ eventType: 'Booking' })]),
        'writes.0.events.0.eventType',
      ],
      [
        store.appendMulti('t1', [
          { stream, expectedVersion: 'any', events: [newEvent()] },
          { stream, expectedVersion: 'any', events: [newEvent()] },
        ]),
        'writes.1.stream',
      ],
      [
        store.appendMulti('t1', [
          { stream: freshStream('t2'), expectedVersion: 'any', events: [newEvent()] },
        ]),
        'writes.0.stream.tenantId',
      ],
    ];
    const twice = newEvent();
    refusals.push([store.appendToStream(stream, 'any', [twice, twice]), 'writes.0.events.1.eventId']);
    for (const [refused, field] of refusals) {
      await assert.rejects(
        refused,
        (error: unknown) => error instanceof ValidationError && error.field === field,
      );
    }
    await assert.rejects(
      store.appendToStream(stream, 'any', [newEvent()], {
        in: { query: async () => ({ rows: [], rowCount: 0 }) },
      }),
      ValidationError,
    );
    assert.equal(store.size, 0);
  });

  it('reads a stream forward, backward, between versions and as of a point in time', async () => {
    const store = storeWithClock();
    const stream = freshStream();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await store.appendToStream(stream, i, [newEvent()]));
    const versions = async (options: Parameters<InMemoryEventStore['readStream']>[1]) =>
      (await collect(store.readStream(stream, options))).map((event) => event.version);
    assert.deepEqual(await versions({}), [1, 2, 3, 4, 5]);
    assert.deepEqual(await versions({ direction: 'backward' }), [5, 4, 3, 2, 1]);
    assert.deepEqual(await versions({ fromVersion: 2, toVersion: 4 }), [2, 3, 4]);
    assert.deepEqual(await versions({ direction: 'backward', fromVersion: 4, toVersion: 3 }), [4, 3]);
    assert.deepEqual(await versions({ fromVersion: 9 }), []);
    assert.deepEqual(await versions({ asOf: results[2]!.recordedAt }), [1, 2, 3]);
    assert.deepEqual(await collect(store.readStream(freshStream())), []);
    await assert.rejects(collect(store.readStream(stream, { batchSize: 0 })), ValidationError);
  });

  it("filters a tenant's log and resumes after a tenant_seq", async () => {
    const store = storeWithClock();
    const booking = freshStream('t1', 'booking');
    const payment = freshStream('t1', 'payment');
    await store.appendToStream(booking, 'no_stream', [
      newEvent({ branchId: 'b1', eventType: 'booking.created' }),
      newEvent({ branchId: 'b2', eventType: 'booking.cancelled' }),
    ]);
    const paid = await store.appendToStream(payment, 'no_stream', [
      newEvent({ branchId: 'b1', eventType: 'payment.paid', occurredAt: new Date('2026-12-01T00:00:00Z') }),
    ]);
    await store.appendToStream(freshStream('t2'), 'no_stream', [newEvent()]);
    const seqs = async (filter: Parameters<InMemoryEventStore['readTenantLog']>[1]) =>
      (await collect(store.readTenantLog('t1', filter))).map((event) => event.tenantSeq);
    assert.deepEqual(await seqs({}), [1, 2, 3]);
    assert.deepEqual(await seqs({ afterTenantSeq: 1 }), [2, 3]);
    assert.deepEqual(await seqs({ branchId: 'b1' }), [1, 3]);
    assert.deepEqual(await seqs({ aggregateTypes: ['payment'] }), [3]);
    assert.deepEqual(await seqs({ eventTypes: ['booking.cancelled', 'payment.paid'], limit: 1 }), [2]);
    assert.deepEqual(await seqs({ recordedFrom: paid.recordedAt }), [3]);
    assert.deepEqual(await seqs({ recordedTo: paid.recordedAt }), [1, 2]);
    assert.deepEqual(await seqs({ occurredFrom: new Date('2026-11-30T00:00:00Z') }), [3]);
    await assert.rejects(collect(store.readTenantLog('bad tenant')), ValidationError);
  });

  it('keeps per-stream versions and per-tenant sequences gapless, and a paged global feed whole (model)', async () => {
    const append = fc.record({
      tenant: fc.constantFrom('t1', 't2', 't3'),
      stream: fc.constantFrom('a', 'b', 'c'),
      events: fc.integer({ min: 1, max: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(append, { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        async (appends, page) => {
          const store = new InMemoryEventStore();
          const model = new Map<string, number>();
          for (const { tenant, stream, events } of appends) {
            const id: StreamId = { tenantId: tenant, aggregateType: 'thing', aggregateId: stream };
            const key = `${tenant}/${stream}`;
            await store.appendToStream(id, model.get(key) ?? 0, newEvents(events));
            model.set(key, (model.get(key) ?? 0) + events);
          }
          const feed: RecordedEvent[] = [];
          let after = { txId: 0, globalPosition: 0 };
          for (;;) {
            const read = await collect(store.readGlobalFeed({ after, limit: page }));
            feed.push(...read);
            const last = read.at(-1);
            if (!last) break;
            after = { txId: last.txId, globalPosition: last.globalPosition };
          }
          assert.deepEqual(
            feed.map((event) => event.globalPosition),
            Array.from({ length: store.size }, (_, i) => i + 1),
          );
          for (const tenant of store.tenantIds()) {
            const seqs = feed.filter((event) => event.tenantId === tenant).map((event) => event.tenantSeq);
            assert.deepEqual(
              seqs,
              Array.from({ length: seqs.length }, (_, i) => i + 1),
            );
          }
          for (const [key, version] of model) {
            const [tenant, stream] = key.split('/') as [string, string];
            const read = await collect(
              store.readStream({ tenantId: tenant, aggregateType: 'thing', aggregateId: stream }),
            );
            assert.deepEqual(
              read.map((event) => event.version),
              Array.from({ length: version }, (_, i) => i + 1),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
