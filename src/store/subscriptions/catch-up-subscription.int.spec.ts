import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { Sql } from '../engines/engine.ts';
import { PgEventStore } from '../pg-event-store.ts';
import { describeEachEngine } from '../testing/test-engines.ts';
import { freshStream, newEvent, newEvents } from '../testing/event-factory.ts';
import type { RecordedEvent } from '../envelope.ts';
import { CatchUpSubscription, type SubscriptionOptions } from './catch-up-subscription.ts';

/** The consumer's own write: one row per event, counting deliveries so a double application shows. */
async function recordEffects(events: readonly RecordedEvent[], tx: Sql): Promise<void> {
  for (const event of events) {
    await tx.query(
      `insert into effects (event_id, tenant_id, deliveries) values ($1, $2, 1)
        on conflict (event_id) do update set deliveries = effects.deliveries + 1`,
      [event.eventId, event.tenantId],
    );
  }
}

describeEachEngine('catch-up subscriptions', (db) => {
  const store = (): PgEventStore => new PgEventStore(db().engine);
  const started: CatchUpSubscription[] = [];
  const subscription = (options: Partial<SubscriptionOptions> & { subscriptionId: string }) => {
    const consumer = new CatchUpSubscription(db().engine, {
      handle: recordEffects,
      pollIntervalMs: 60_000,
      ...options,
    });
    started.push(consumer);
    return consumer;
  };
  // A consumer a failed test left running would keep the test process alive; stopping twice is harmless.
  afterEach(async () => {
    await Promise.all(started.splice(0).map((consumer) => consumer.stop()));
  });
  const effects = async (tenantId: string) =>
    (
      await db().engine.query<{ event_id: string; deliveries: number }>(
        'select event_id, deliveries from effects where tenant_id = $1 order by event_id',
        [tenantId],
      )
    ).rows;

  it('prepares the consumer table', async () => {
    await db().engine.query(
      'create table effects (event_id uuid primary key, tenant_id text not null, deliveries integer not null)',
    );
  });

  it('applies every event once, resumes after a restart where it left off, and is woken by new appends', async () => {
    const stream = freshStream();
    const first = await store().appendToStream(stream, 'no_stream', newEvents(5));
    const consumer = subscription({
      subscriptionId: `resume-${stream.aggregateId}`,
      tenantId: stream.tenantId,
    });
    await consumer.start();
    await consumer.waitFor(first, 5_000);
    await consumer.stop();
    assert.equal((await effects(stream.tenantId)).length, 5);

    const second = await store().appendToStream(stream, 5, newEvents(3));
    const restarted = subscription({
      subscriptionId: `resume-${stream.aggregateId}`,
      tenantId: stream.tenantId,
    });
    await restarted.start();
    const started = Date.now();
    await restarted.waitFor(second, 5_000);
    const third = await store().appendToStream(stream, 8, newEvents(2));
    await restarted.waitFor(third, 5_000);
    // Poll interval is a minute: only LISTEN/NOTIFY can have woken it this fast.
    assert.ok(Date.now() - started < 5_000);
    await restarted.stop();
    const rows = await effects(stream.tenantId);
    assert.equal(rows.length, 10);
    assert.ok(rows.every((row) => row.deliveries === 1));
  });

  it('rolls a failed batch back with its checkpoint, so the retry applies nothing twice', async () => {
    const stream = freshStream();
    const appended = await store().appendToStream(stream, 'no_stream', newEvents(6));
    let failures = 0;
    const errors: unknown[] = [];
    const consumer = subscription({
      subscriptionId: `fail-${stream.aggregateId}`,
      tenantId: stream.tenantId,
      batchSize: 4,
      onError: (error) => errors.push(error),
      handle: async (events, tx) => {
        await recordEffects(events, tx);
        if (failures++ < 2) throw new Error('consumer crashed after writing');
      },
    });
    await consumer.start();
    await consumer.waitFor(appended, 10_000);
    await consumer.stop();
    assert.equal(errors.length, 2);
    const rows = await effects(stream.tenantId);
    assert.equal(rows.length, 6);
    assert.ok(rows.every((row) => row.deliveries === 1));
  });

  it('follows every tenant through the global feed and filters by event type', async () => {
    const a = freshStream();
    const b = freshStream();
    const seen: string[] = [];
    const consumer = subscription({
      subscriptionId: `all-${a.aggregateId}`,
      eventTypes: ['booking.created'],
      handle: async (events) => {
        seen.push(...events.map((event) => event.eventId));
      },
    });
    const wanted = [newEvent({ eventType: 'booking.created' }), newEvent({ eventType: 'booking.created' })];
    await store().appendToStream(a, 'no_stream', [wanted[0]!, newEvent({ eventType: 'booking.updated' })]);
    const last = await store().appendToStream(b, 'no_stream', [wanted[1]!]);
    await consumer.start();
    await consumer.waitFor(last, 30_000);
    await consumer.stop();
    const mine = seen.filter((id) => wanted.some((event) => event.eventId === id));
    assert.deepEqual(
      mine,
      wanted.map((event) => event.eventId),
    );
    assert.ok(seen.length === new Set(seen).size);
  });

  it('keeps two instances of one subscription from applying the same batch', async () => {
    const stream = freshStream();
    const appended = await store().appendToStream(stream, 'no_stream', newEvents(40));
    const id = `twins-${stream.aggregateId}`;
    const twins = [
      subscription({ subscriptionId: id, tenantId: stream.tenantId, batchSize: 3 }),
      subscription({ subscriptionId: id, tenantId: stream.tenantId, batchSize: 3 }),
    ];
    await Promise.all(twins.map((twin) => twin.start()));
    await Promise.all(twins.map((twin) => twin.waitFor(appended, 10_000).catch(() => undefined)));
    await Promise.all(twins.map((twin) => twin.stop()));
    const rows = await effects(stream.tenantId);
    assert.equal(rows.length, 40);
    assert.ok(rows.every((row) => row.deliveries === 1));
  });

  it('delivers at least once outside a transaction, so a handler can append on the one embedded connection', async () => {
    const source = freshStream();
    const appended = await store().appendToStream(source, 'no_stream', newEvents(4));
    let crashes = 0;
    const reactions = freshStream(source.tenantId, 'reaction');
    const consumer = subscription({
      subscriptionId: `alo-${source.aggregateId}`,
      tenantId: source.tenantId,
      delivery: 'at-least-once',
      handle: async (events) => {
        for (const event of events) {
          if (event.aggregateId !== source.aggregateId) continue;
          // The reaction's event id is derived from its cause, so handling the cause again is an idempotent retry.
          const reactionId = `${event.eventId.slice(0, 14)}8${event.eventId.slice(15)}`;
          await store().appendToStream(reactions, 'any', [newEvent({ eventId: reactionId })]);
        }
        if (crashes++ === 0) throw new Error('crashed after reacting, before the checkpoint moved');
      },
    });
    await consumer.start();
    await consumer.waitFor(appended, 30_000);
    await consumer.stop();
    assert.ok(crashes >= 2, 'the batch was handled again after the crash');
    assert.equal(await store().streamVersion(reactions), 4);
  });
});
