/**
 * The store port's contract, run against every engine: what one engine promises, both promise.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonValue } from '../shared/canonical-json.ts';
import { ValidationError } from '../shared/errors.ts';
import type { Engine } from './engines/engine.ts';
import { ConcurrencyError, EventIdReusedError } from './errors.ts';
import { PgEventStore } from './pg-event-store.ts';
import { describeEachEngine } from './testing/test-engines.ts';
import { collect, freshStream, newEvent, newEvents } from './testing/event-factory.ts';

describeEachEngine('event store contract', (db) => {
  const store = (): PgEventStore => new PgEventStore(db().engine);

  it('stores the whole envelope and reads it back as acknowledged', async () => {
    const stream = freshStream();
    const event = newEvent({
      eventType: 'booking.created',
      branchId: 'branch-1',
      causationId: 'cmd-1',
      correlationId: 'corr-1',
      payload: { slot: '2026-11-27T10:00:00.000Z', amountMinor: 50_000, nested: { z: 1, a: [true, null] } },
    });
    const result = await store().appendToStream(stream, 'no_stream', [event]);
    assert.deepEqual(result.versions, [1]);
    assert.equal(result.firstTenantSeq, 1);
    assert.equal(result.idempotentReplay, false);
    const [read] = await collect(store().readStream(stream));
    assert.ok(read);
    assert.equal(read.eventId, event.eventId);
    assert.equal(read.eventType, 'booking.created');
    assert.equal(read.tenantId, stream.tenantId);
    assert.equal(read.branchId, 'branch-1');
    assert.equal(read.aggregateType, stream.aggregateType);
    assert.equal(read.aggregateId, stream.aggregateId);
    assert.equal(read.version, 1);
    assert.equal(read.schemaVersion, 1);
    assert.equal(read.occurredAt.toISOString(), event.occurredAt.toISOString());
    assert.equal(read.recordedAt.getTime(), result.recordedAt.getTime());
    assert.equal(read.causationId, 'cmd-1');
    assert.equal(read.correlationId, 'corr-1');
    assert.deepEqual(read.actor, event.actor);
    assert.deepEqual(read.payload, event.payload);
    assert.equal(read.tenantSeq, 1);
    assert.equal(read.globalPosition, result.globalPositions[0]);
    assert.equal(read.txId, result.txId);
  });

  it('reads the same envelopes through an engine that ignores query options', async () => {
    // Engine wrappers (the tenant scope) pass only text and parameters: rows then arrive parsed, as objects.
    const engine = db().engine;
    const plain: Engine = Object.assign(Object.create(engine) as Engine, {
      query: (text: string, params?: readonly unknown[]) => engine.query(text, params),
    });
    const stream = freshStream();
    const payloads: JsonValue[] = [
      'a JSON string',
      '{"looks":"like json"}',
      42,
      null,
      [1, 'two'],
      { é: '✓' },
    ];
    await store().appendToStream(
      stream,
      'no_stream',
      payloads.map((payload) => newEvent({ payload, branchId: 'b-1', causationId: 'c-1' })),
    );
    const direct = await collect(store().readStream(stream));
    const wrapped = await collect(new PgEventStore(plain).readStream(stream));
    assert.deepEqual(
      direct.map((event) => event.payload),
      payloads,
    );
    assert.deepEqual(wrapped, direct);
  });

  it('appends a batch atomically with consecutive versions and tenant sequence numbers', async () => {
    const stream = freshStream();
    await store().appendToStream(stream, 'no_stream', newEvents(3));
    const result = await store().appendToStream(stream, 3, newEvents(4));
    assert.deepEqual(result.versions, [7]);
    assert.deepEqual([result.firstTenantSeq, result.lastTenantSeq], [4, 7]);
    const versions = (await collect(store().readStream(stream))).map((event) => event.version);
    assert.deepEqual(versions, [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(await store().streamVersion(stream), 7);
  });

  it('enforces every kind of expected version and reports expected and actual', async () => {
    const stream = freshStream();
    await assert.rejects(store().appendToStream(stream, 'stream_exists', [newEvent()]), (error: unknown) => {
      assert.ok(error instanceof ConcurrencyError);
      assert.equal(error.code, 'CONCURRENCY_CONFLICT');
      assert.equal(error.expected, 'stream_exists');
      assert.equal(error.actual, 0);
      return true;
    });
    await assert.rejects(store().appendToStream(stream, 2, [newEvent()]), ConcurrencyError);
    await store().appendToStream(stream, 'no_stream', newEvents(2));
    await assert.rejects(store().appendToStream(stream, 'no_stream', [newEvent()]), (error: unknown) => {
      assert.ok(error instanceof ConcurrencyError);
      assert.deepEqual(error.facts, {
        aggregateType: stream.aggregateType,
        aggregateId: stream.aggregateId,
        expected: 'no_stream',
        actual: 2,
      });
      return true;
    });
    await assert.rejects(store().appendToStream(stream, 1, [newEvent()]), ConcurrencyError);
    await assert.rejects(store().appendToStream(stream, 0, [newEvent()]), ConcurrencyError);
    await store().appendToStream(stream, 'stream_exists', [newEvent()]);
    await store().appendToStream(stream, 'any', [newEvent()]);
    await store().appendToStream(stream, 4, [newEvent()]);
    assert.equal(await store().streamVersion(stream), 5);
  });

  it('writes nothing when any stream of a multi-stream append conflicts', async () => {
    const booking = freshStream();
    const ledger = { ...freshStream(booking.tenantId, 'slot_ledger') };
    await store().appendToStream(ledger, 'no_stream', [newEvent()]);
    await assert.rejects(
      store().appendMulti(booking.tenantId, [
        { stream: booking, expectedVersion: 'no_stream', events: [newEvent()] },
        { stream: ledger, expectedVersion: 0, events: [newEvent()] },
      ]),
      (error: unknown) =>
        error instanceof ConcurrencyError && error.stream.aggregateId === ledger.aggregateId,
    );
    assert.equal(await store().streamVersion(booking), 0);
    assert.equal((await collect(store().readTenantLog(booking.tenantId))).length, 1);
    const result = await store().appendMulti(booking.tenantId, [
      { stream: booking, expectedVersion: 'no_stream', events: newEvents(2) },
      { stream: ledger, expectedVersion: 1, events: [newEvent()] },
    ]);
    assert.deepEqual(result.versions, [2, 2]);
    assert.deepEqual([result.firstTenantSeq, result.lastTenantSeq], [2, 4]);
  });

  it('checks an expectation on a stream it does not write to', async () => {
    const booking = freshStream();
    const doctor = freshStream(booking.tenantId, 'doctor');
    await store().appendToStream(doctor, 'no_stream', newEvents(2));
    const writes = (doctorVersion: number) => [
      { stream: booking, expectedVersion: 'no_stream' as const, events: [newEvent()] },
      { stream: doctor, expectedVersion: doctorVersion, events: [] },
    ];
    await assert.rejects(store().appendMulti(booking.tenantId, writes(1)), ConcurrencyError);
    const result = await store().appendMulti(booking.tenantId, writes(2));
    assert.deepEqual(result.versions, [1, 2]);
    assert.equal(await store().streamVersion(doctor), 2);
  });

  it('answers a retried append with the original result instead of a duplicate or a conflict', async () => {
    const stream = freshStream();
    const events = newEvents(3);
    const first = await store().appendToStream(stream, 'no_stream', events);
    const retry = await store().appendToStream(stream, 'no_stream', events);
    assert.equal(retry.idempotentReplay, true);
    assert.deepEqual(
      { ...retry, idempotentReplay: false, recordedAt: retry.recordedAt.getTime() },
      { ...first, recordedAt: first.recordedAt.getTime() },
    );
    assert.equal((await collect(store().readStream(stream))).length, 3);
    await assert.rejects(
      store().appendToStream(stream, 3, [events[0]!, newEvent()]),
      (error: unknown) => error instanceof EventIdReusedError && error.code === 'EVENT_ID_REUSED',
    );
    assert.equal(await store().streamVersion(stream), 3);
  });

  it('rejects an invalid envelope naming the field, and writes nothing', async () => {
    const stream = freshStream();
    const cases: [string, () => Promise<unknown>][] = [
      [
        'writes.0.events.1.eventId',
        () => store().appendToStream(stream, 'any', [newEvent(), newEvent({ eventId: 'nope' })]),
      ],
      [
        'writes.0.events.0.eventType',
        () => store().appendToStream(stream, 'any', [newEvent({ eventType: 'Booking Created' })]),
      ],
      [
        'writes.0.events.0.actor.kind',
        () =>
          store().appendToStream(stream, 'any', [
            newEvent({ actor: { id: 'a', kind: 'robot' as never, role: 'x' } }),
          ]),
      ],
      [
        'writes.0.events.0.occurredAt',
        () => store().appendToStream(stream, 'any', [newEvent({ occurredAt: new Date('x') })]),
      ],
      [
        'writes.0.events.0.payload.note',
        () => store().appendToStream(stream, 'any', [newEvent({ payload: { note: 'a\u0000b' } })]),
      ],
      [
        'writes.0.events.0.payload.amount',
        () => store().appendToStream(stream, 'any', [newEvent({ payload: { amount: Number.NaN } })]),
      ],
      [
        'writes.0.stream.aggregateId',
        () => store().appendToStream({ ...stream, aggregateId: '' }, 'any', [newEvent()]),
      ],
      ['writes.0.expectedVersion', () => store().appendToStream(stream, -1, [newEvent()])],
      ['writes', () => store().appendToStream(stream, 'any', [])],
    ];
    for (const [field, attempt] of cases) {
      await assert.rejects(attempt(), (error: unknown) => {
        assert.ok(error instanceof ValidationError, `${field}: ${String(error)}`);
        assert.equal(error.field, field);
        return true;
      });
    }
    assert.deepEqual(await collect(store().readTenantLog(stream.tenantId)), []);
  });

  it('numbers each tenant gaplessly and independently of other tenants', async () => {
    const a = freshStream();
    const b = freshStream();
    for (let i = 0; i < 3; i++) {
      await store().appendToStream(freshStream(a.tenantId), 'no_stream', newEvents(2));
      await store().appendToStream(freshStream(b.tenantId), 'no_stream', newEvents(1));
    }
    const seqs = async (tenantId: string) =>
      (await collect(store().readTenantLog(tenantId, { batchSize: 2 }))).map((event) => event.tenantSeq);
    assert.deepEqual(await seqs(a.tenantId), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(await seqs(b.tenantId), [1, 2, 3]);
  });

  it('reads a stream forward, backward, between versions and as of a point in time', async () => {
    const stream = freshStream();
    const first = await store().appendToStream(stream, 'no_stream', newEvents(5));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store().appendToStream(stream, 5, newEvents(5));
    const versions = async (options: Parameters<PgEventStore['readStream']>[1]) =>
      (await collect(store().readStream(stream, { batchSize: 3, ...options }))).map((event) => event.version);
    assert.deepEqual(await versions({}), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(await versions({ direction: 'backward' }), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.deepEqual(await versions({ fromVersion: 4, toVersion: 8 }), [4, 5, 6, 7, 8]);
    assert.deepEqual(
      await versions({ direction: 'backward', fromVersion: 7, toVersion: 3 }),
      [7, 6, 5, 4, 3],
    );
    assert.deepEqual(await versions({ asOf: first.recordedAt }), [1, 2, 3, 4, 5]);
    assert.deepEqual(await versions({ asOf: new Date(first.recordedAt.getTime() - 1) }), []);
  });

  it('filters a tenant log by branch, aggregate type, event type and time windows', async () => {
    const tenantId = freshStream().tenantId;
    const booking = freshStream(tenantId, 'booking');
    const payment = freshStream(tenantId, 'payment');
    await store().appendToStream(booking, 'no_stream', [
      newEvent({
        eventType: 'booking.created',
        branchId: 'b1',
        occurredAt: new Date('2026-01-01T10:00:00Z'),
      }),
      newEvent({
        eventType: 'booking.cancelled',
        branchId: 'b1',
        occurredAt: new Date('2026-01-02T10:00:00Z'),
      }),
    ]);
    await store().appendToStream(payment, 'no_stream', [
      newEvent({
        eventType: 'payment.deposit.paid',
        branchId: 'b2',
        occurredAt: new Date('2026-01-03T10:00:00Z'),
      }),
    ]);
    const types = async (filter: Parameters<PgEventStore['readTenantLog']>[1]) =>
      (await collect(store().readTenantLog(tenantId, filter))).map((event) => event.eventType);
    assert.deepEqual(await types({ branchId: 'b1' }), ['booking.created', 'booking.cancelled']);
    assert.deepEqual(await types({ aggregateTypes: ['payment'] }), ['payment.deposit.paid']);
    assert.deepEqual(await types({ eventTypes: ['booking.cancelled', 'payment.deposit.paid'] }), [
      'booking.cancelled',
      'payment.deposit.paid',
    ]);
    assert.deepEqual(
      await types({
        occurredFrom: new Date('2026-01-02T00:00:00Z'),
        occurredTo: new Date('2026-01-03T00:00:00Z'),
      }),
      ['booking.cancelled'],
    );
    assert.deepEqual(await types({ recordedFrom: new Date(Date.now() + 60_000) }), []);
    assert.deepEqual(await types({ afterTenantSeq: 2 }), ['payment.deposit.paid']);
    assert.deepEqual(await types({ limit: 2, batchSize: 1 }), ['booking.created', 'booking.cancelled']);
  });

  it('serves every event of every tenant exactly once through the global feed, page by page', async () => {
    const written: string[] = [];
    for (let i = 0; i < 7; i++) {
      const events = newEvents(3);
      written.push(...events.map((event) => event.eventId));
      await store().appendToStream(freshStream(), 'no_stream', events);
    }
    // A transaction open anywhere on the server (another test file) may hold the newest events back for a
    // moment: the feed delays, it never skips.
    const mine = new Set(written);
    let all: string[] = [];
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      all = (await collect(store().readGlobalFeed({ batchSize: 4 }))).map((event) => event.eventId);
      if (all.filter((id) => mine.has(id)).length >= written.length) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(all.length, new Set(all).size, 'the feed repeated an event');
    assert.deepEqual(
      all.filter((id) => mine.has(id)),
      written,
    );
  });
});
