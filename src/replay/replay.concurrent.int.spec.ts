import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppendResult } from '../store/event-store.ts';
import { TenantOrderRaceError } from '../store/errors.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { freshStream, newEvents } from '../store/testing/event-factory.ts';
import { openTestDatabase, type TestDatabase } from '../store/testing/test-engines.ts';
import { ProjectionRuntime } from '../projections/projection-runtime.ts';
import { counterProjection, streamLastProjection } from '../projections/testing/test-projections.ts';
import { waitUntilInFeed } from '../projections/testing/feed-visibility.ts';
import { replayProjection } from './replay-projection.ts';
import { isEmptyDiff } from './table-diff.ts';

// PostgreSQL only: PGlite has one connection, so its writers and rebuilds never truly overlap.
describe('rebuilds while writers keep appending [postgres]', () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase('postgres', { maxConnections: 12 });
  });
  after(async () => db.dispose());

  it('swaps in models equal to a fresh full rebuild, with every event applied exactly once', async () => {
    const store = new PgEventStore(db.engine);
    const counter = counterProjection('concurrent');
    const last = streamLastProjection('concurrent');
    const tenants = Array.from({ length: 6 }, () => freshStream().tenantId);
    for (const tenant of tenants) {
      for (let stream = 0; stream < 4; stream++) {
        await store.appendToStream(
          freshStream(tenant),
          'no_stream',
          newEvents(60, { branchId: `b${stream % 2}` }),
        );
      }
    }
    const runtime = new ProjectionRuntime(db.engine, { projections: [counter, last], pollIntervalMs: 100 });
    await runtime.start();

    let writing = true;
    const lastAppends: AppendResult[] = [];
    const writer = async (index: number) => {
      const streams = tenants.map((tenant) => ({ id: freshStream(tenant), branch: `b${index % 2}` }));
      let round = 0;
      // At most 100 appends each (≥ 5 s of writing), so that a machine slow to rebuild has bounded work.
      while (writing && round < 100) {
        const target = streams[round++ % streams.length]!;
        try {
          lastAppends[index] = await store.appendToStream(
            target.id,
            'any',
            newEvents(1 + (round % 3), { branchId: target.branch }),
          );
        } catch (error) {
          if (!(error instanceof TenantOrderRaceError)) throw error;
        }
        await sleep(50);
      }
    };
    const writers = Array.from({ length: 2 }, (_, index) => writer(index));

    const reports = [];
    for (const projection of [counter, last]) {
      const report = await replayProjection(db.engine, projection, {
        batchSize: 200,
        // Whatever the writers manage meanwhile, one more append lands between the build and the swap.
        onProgress: async (progress) => {
          if (progress.phase !== 'final') return;
          const late = await store.appendToStream(freshStream(tenants[2]), 'no_stream', newEvents(1));
          await waitUntilInFeed(db.engine, late);
        },
      });
      assert.ok(report.events.finalCatchUp > 0);
      reports.push(report);
    }
    reports.push(await replayProjection(db.engine, last, { slice: { tenantId: tenants[0]! } }));
    reports.push(
      await replayProjection(db.engine, last, { slice: { tenantId: tenants[1]!, branchId: 'b1' } }),
    );
    writing = false;
    await Promise.all(writers);
    for (const append of lastAppends) await runtime.waitFor(append, { timeoutMs: 30_000 });
    await runtime.stop();

    assert.ok(reports.every((report) => report.outcome === 'swapped'));
    for (const projection of [counter, last]) {
      const fresh = await replayProjection(db.engine, projection, { dryRun: true });
      assert.ok(isEmptyDiff(fresh.diff!), `${projection.name}: ${JSON.stringify(fresh.diff)}`);
      assert.deepEqual(fresh.fingerprints?.drifted, []);
    }
    const { rows } = await db.engine.query<{ tenant_id: string; events: number; logged: number }>(
      `select c.tenant_id, c.events, (select count(*)::int from mymedic.events e where e.tenant_id = c.tenant_id) as logged
        from read.counter_concurrent c`,
    );
    assert.equal(rows.length, tenants.length);
    assert.ok(
      rows.every((row) => row.events === row.logged),
      JSON.stringify(rows),
    );
  });
});
