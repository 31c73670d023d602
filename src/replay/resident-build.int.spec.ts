/**
 * Builds that keep a shadow's rows in memory between pages (ResidentShadows) end with the tables a build page
 * by page against the tables would have left — also when a batch fails and is undone, and when memory runs
 * short halfway and the build goes on against the tables.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PgEventStore } from '../store/pg-event-store.ts';
import { freshStream, newEvent } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { bufferedCounterProjection } from '../projections/testing/test-projections.ts';
import { waitUntilInFeed } from '../projections/testing/feed-visibility.ts';
import { replayProjection, type ReplayOptions } from './replay-projection.ts';

describeEachEngine('resident build', (db) => {
  const poisoned = (suffix: string) =>
    bufferedCounterProjection(suffix, {
      failOn: (payload) => (payload as { poison?: boolean }).poison === true,
    });

  /** Two tenants' streams; the first has a poison event third. Returns the tenants. */
  async function history(): Promise<[string, string]> {
    const store = new PgEventStore(db().engine);
    const first = freshStream();
    const second = freshStream();
    await store.appendToStream(first, 'no_stream', [
      newEvent(),
      newEvent(),
      newEvent({ payload: { poison: true } }),
      newEvent(),
      newEvent(),
    ]);
    const last = await store.appendToStream(second, 'no_stream', [newEvent(), newEvent(), newEvent()]);
    await waitUntilInFeed(db().engine, last);
    return [first.tenantId, second.tenantId];
  }

  async function rebuilt(suffix: string, tenants: readonly string[], options: ReplayOptions) {
    const report = await replayProjection(db().engine, poisoned(suffix), {
      maxAttempts: 1,
      allowParked: true,
      ...options,
    });
    assert.equal(report.outcome, 'swapped');
    // A full rebuild reads every tenant in the database, the earlier tests' too.
    assert.equal(report.parked.filter((event) => tenants.includes(event.tenantId)).length, 1);
    const { rows } = await db().engine.query<{ tenant_id: string; events: number; last_seq: string }>(
      `select tenant_id, events, last_seq from read.counter_${suffix} where tenant_id = any($1::text[])
        order by tenant_id`,
      [tenants],
    );
    return rows.map((row) => ({ ...row, tenant: tenants.indexOf(row.tenant_id) }));
  }

  it('undoes in memory what a failed batch changed, as its transaction is undone', async () => {
    const tenants = await history();
    const inMemory = await rebuilt('resident_undo', tenants, { batchSize: 100 });
    assert.deepEqual(
      inMemory.map(({ tenant, events, last_seq }) => ({ tenant, events, last_seq })),
      [
        { tenant: 0, events: 4, last_seq: '5' },
        { tenant: 1, events: 3, last_seq: '3' },
      ].sort((a, b) => tenants[a.tenant]!.localeCompare(tenants[b.tenant]!)),
    );
    const pageByPage = await rebuilt('resident_undo_tables', tenants, { batchSize: 100, memoryShare: 0 });
    assert.deepEqual(pageByPage, inMemory);
  });

  it('writes the rows out when memory runs short and goes on against the tables', async () => {
    const tenants = await history();
    // Any heap is "short" of a share this small: the rows are written after the first page of two events.
    const spilled = await rebuilt('resident_spill', tenants, { batchSize: 2, memoryShare: 1e-12 });
    const pageByPage = await rebuilt('resident_spill_tables', tenants, { batchSize: 2, memoryShare: 0 });
    const whole = await rebuilt('resident_spill_memory', tenants, { batchSize: 2 });
    assert.deepEqual(spilled, pageByPage);
    assert.deepEqual(whole, pageByPage);
    assert.deepEqual(pageByPage.map(({ tenant, events }) => [tenant, events]).sort(), [
      [0, 4],
      [1, 3],
    ]);
  });
});
