/**
 * Projections with a batched apply: whole batches go through `applyBatch` with the result of applying the
 * events one by one, redeliveries are still skipped, and a failing batch falls back to one event at a time so
 * that only the poison event is parked.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonValue } from '../shared/canonical-json.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { freshStream, newEvent, newEvents } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { ProjectionEventsParkedError } from './projection-errors.ts';
import { runtimesStoppedAfterEach } from './testing/runtimes.ts';
import { checkpointId } from './projection-state.ts';
import { batchedCounterProjection, counterProjection } from './testing/test-projections.ts';
import { tableRows } from './testing/table-rows.ts';

describeEachEngine('batched apply', (db) => {
  const store = () => new PgEventStore(db().engine);
  const runtime = runtimesStoppedAfterEach(() => db().engine, 100);

  it('applies whole batches with the result of one event at a time, and skips redeliveries', async () => {
    const batches: number[] = [];
    const batched = batchedCounterProjection('batched', { onBatch: (size) => batches.push(size) });
    const single = counterProjection('single');
    const tenants = [freshStream().tenantId, freshStream().tenantId];
    for (const tenantId of tenants)
      await store().appendToStream(freshStream(tenantId), 'no_stream', newEvents(12));
    const projections = runtime({ projections: [batched, single], batchSize: 10 });
    await projections.start();
    const last = await store().appendToStream(freshStream(tenants[0]), 'no_stream', newEvents(3));
    await projections.waitFor(last);
    const rows = async (table: string) =>
      (await tableRows(db().engine, table)).filter((row) => tenants.some((tenant) => row.includes(tenant)));
    assert.deepEqual(await rows('read.counter_batched'), await rows('read.counter_single'));
    assert.ok(
      batches.some((size) => size > 1),
      `batch sizes ${batches.join(',')}`,
    );

    await projections.stop();
    await db().engine.query(
      `update mymedic.subscription_checkpoints set tx_id = '0'::xid8, global_position = 0 where subscription_id = $1`,
      [checkpointId(batched.name)],
    );
    batches.length = 0;
    await projections.start();
    await projections.waitFor(last);
    assert.deepEqual(await rows('read.counter_batched'), await rows('read.counter_single'));
    assert.deepEqual(batches, [], 'a redelivered batch reaches applyBatch with nothing to apply');
  });

  it('retries a failing batch one event at a time and parks only the poison event', async () => {
    const poisoned = batchedCounterProjection('batch_poisoned', {
      failOn: (payload: JsonValue) => (payload as { poison?: boolean }).poison === true,
    });
    const projections = runtime({ projections: [poisoned], maxAttempts: 2 });
    await projections.start();
    const stream = freshStream();
    const appended = await store().appendToStream(stream, 'no_stream', [
      newEvent({ payload: { n: 1 } }),
      newEvent({ payload: { n: 2, poison: true } }),
      newEvent({ payload: { n: 3 } }),
    ]);
    await assert.rejects(projections.waitFor(appended), ProjectionEventsParkedError);
    const parked = await projections.parked({ projection: poisoned.name, tenantId: stream.tenantId });
    assert.deepEqual(
      parked.map((entry) => [entry.tenantSeq, entry.errorMessage]),
      [[2, 'refused event 2']],
    );
    const { rows } = await db().engine.query<{ events: number; last_seq: string }>(
      'select events, last_seq from read.counter_batch_poisoned where tenant_id = $1',
      [stream.tenantId],
    );
    assert.deepEqual(rows, [{ events: 2, last_seq: '3' }]);
  });
});
