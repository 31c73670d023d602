import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ValidationError } from '../shared/errors.ts';
import type { AppendResult } from '../store/event-store.ts';
import type { StreamId } from '../store/envelope.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { freshStream, newEvent, newEvents } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { runtimesStoppedAfterEach } from '../projections/testing/runtimes.ts';
import { counterProjection, streamLastProjection } from '../projections/testing/test-projections.ts';
import { tableRows } from '../projections/testing/table-rows.ts';
import { waitUntilInFeed } from '../projections/testing/feed-visibility.ts';
import { replayProjection } from './replay-projection.ts';
import { isEmptyDiff } from './table-diff.ts';

describeEachEngine('replay', (db) => {
  const store = () => new PgEventStore(db().engine);
  const runtimeOf = runtimesStoppedAfterEach(() => db().engine, 200);
  const start = async (...projections: Parameters<typeof streamLastProjection>[0][]) => {
    const runtime = runtimeOf({ projections: projections.map((suffix) => streamLastProjection(suffix)) });
    await runtime.start();
    return runtime;
  };

  /** Streams of `count` events in each tenant (with a branch per stream); returns the last append. */
  async function history(
    tenants: readonly string[],
    streamsPerTenant: number,
    count: number,
    branches = ['b1', 'b2'],
  ): Promise<{ last: AppendResult; streams: StreamId[] }> {
    let last: AppendResult | undefined;
    const streams: StreamId[] = [];
    for (const tenant of tenants) {
      for (let index = 0; index < streamsPerTenant; index++) {
        const stream = freshStream(tenant);
        streams.push(stream);
        const branchId = branches[index % branches.length]!;
        last = await store().appendToStream(
          stream,
          'no_stream',
          newEvents(count, { branchId }).map((event, n) => ({
            ...event,
            payload: { amount: { minor: n * 100 } },
          })),
        );
      }
    }
    return { last: last!, streams };
  }

  const corrupt = (table: string, tenantId: string, extra = '') =>
    db().engine.query(`update ${table} set chain = 'corrupt' where tenant_id = $1 ${extra}`, [tenantId]);

  it('swaps a full rebuild in while the live projection serves and consumes, including events appended meanwhile', async () => {
    const projection = streamLastProjection('full');
    const tenants = [freshStream().tenantId, freshStream().tenantId];
    const { streams } = await history(tenants, 3, 4);
    const runtime = await start('full');
    const seeded = await store().appendToStream(streams[0]!, 4, newEvents(1));
    await runtime.waitFor(seeded);
    await corrupt('read.stream_last_full', tenants[0]!);
    const corrupted = await tableRows(db().engine, 'read.stream_last_full', tenants);

    let duringBuild: AppendResult | undefined;
    let beforeSwap: AppendResult | undefined;
    const report = await replayProjection(db().engine, projection, {
      batchSize: 3,
      onProgress: async (progress) => {
        if (progress.phase === 'build' && !duringBuild) {
          // Readers still see the whole old model, and the live projection still consumes.
          assert.deepEqual(await tableRows(db().engine, 'read.stream_last_full', tenants), corrupted);
          duringBuild = await store().appendToStream(streams[1]!, 4, newEvents(1));
          await runtime.waitFor(duringBuild);
        }
        if (progress.phase === 'final') {
          beforeSwap = await store().appendToStream(streams[2]!, 4, newEvents(2));
          await waitUntilInFeed(db().engine, beforeSwap);
        }
      },
    });
    assert.equal(report.outcome, 'swapped');
    assert.equal(report.kind, 'full');
    assert.equal(report.generation, 2);
    assert.ok(report.events.finalCatchUp >= 2, `final catch-up read ${report.events.finalCatchUp}`);
    assert.deepEqual(report.parked, []);
    await runtime.waitFor(beforeSwap!);

    const rows = await db().engine.query<{ aggregate_id: string; version: string; chain: string }>(
      'select aggregate_id, version, chain from read.stream_last_full where tenant_id = any($1)',
      [tenants],
    );
    assert.equal(rows.rows.length, 6);
    assert.ok(rows.rows.every((row) => row.chain !== 'corrupt'));
    const versionOf = (stream: StreamId) =>
      rows.rows.find((row) => row.aggregate_id === stream.aggregateId)?.version;
    assert.deepEqual(
      [versionOf(streams[0]!), versionOf(streams[1]!), versionOf(streams[2]!)],
      ['5', '5', '6'],
    );
    const verify = await replayProjection(db().engine, projection, { dryRun: true });
    assert.ok(isEmptyDiff(verify.diff!), JSON.stringify(verify.diff));
    assert.deepEqual(verify.fingerprints?.drifted, []);
  });

  it('rebuilds one tenant and leaves every row outside it byte-identical', async () => {
    const projection = streamLastProjection('tenant');
    const tenants = [freshStream().tenantId, freshStream().tenantId, freshStream().tenantId];
    await history(tenants, 2, 3);
    const runtime = await start('tenant');
    await runtime.waitFor((await history([tenants[2]!], 1, 1)).last);
    await corrupt('read.stream_last_tenant', tenants[0]!);
    await corrupt('read.stream_last_tenant', tenants[1]!);
    const others = await tableRows(db().engine, 'read.stream_last_tenant', [tenants[1]!, tenants[2]!]);
    const everythingElse = await db().engine.query<{ n: number }>(
      `select count(*)::int as n from read.stream_last_tenant where tenant_id <> $1`,
      [tenants[0]],
    );

    const report = await replayProjection(db().engine, projection, { slice: { tenantId: tenants[0]! } });
    assert.equal(report.outcome, 'swapped');
    assert.equal(report.kind, 'tenant');
    assert.deepEqual(report.rows, { stream_last_tenant: 2 });
    assert.deepEqual(
      await tableRows(db().engine, 'read.stream_last_tenant', [tenants[1]!, tenants[2]!]),
      others,
    );
    const after = await db().engine.query<{ n: number }>(
      `select count(*)::int as n from read.stream_last_tenant where tenant_id <> $1`,
      [tenants[0]],
    );
    assert.deepEqual(after.rows, everythingElse.rows);
    const fixed = await tableRows(db().engine, 'read.stream_last_tenant', [tenants[0]!]);
    assert.equal(fixed.length, 2);
    assert.ok(fixed.every((row) => !row.includes('corrupt')));
  });

  it('rebuilds one branch of a tenant and leaves its other branches alone', async () => {
    const projection = streamLastProjection('branch');
    const tenant = freshStream().tenantId;
    const { last } = await history([tenant], 4, 2, ['b1', 'b2']);
    const runtime = await start('branch');
    await runtime.waitFor(last);
    await corrupt('read.stream_last_branch', tenant);
    const b2 = await tableRows(db().engine, 'read.stream_last_branch', [tenant]);

    const report = await replayProjection(db().engine, projection, {
      slice: { tenantId: tenant, branchId: 'b1' },
    });
    assert.equal(report.kind, 'branch');
    assert.equal(report.outcome, 'swapped');
    assert.deepEqual(report.rows, { stream_last_branch: 2 });
    const { rows } = await db().engine.query<{ branch_id: string; chain: string }>(
      'select branch_id, chain from read.stream_last_branch where tenant_id = $1',
      [tenant],
    );
    assert.ok(rows.filter((row) => row.branch_id === 'b1').every((row) => row.chain !== 'corrupt'));
    assert.ok(rows.filter((row) => row.branch_id === 'b2').every((row) => row.chain === 'corrupt'));
    assert.deepEqual(
      (await tableRows(db().engine, 'read.stream_last_branch', [tenant])).filter((row) =>
        row.includes(',b2,'),
      ),
      b2.filter((row) => row.includes(',b2,')),
    );
  });

  it('reports a dry run as rows added, removed and changed, with keys, and swaps nothing', async () => {
    const projection = streamLastProjection('dry');
    const tenant = freshStream().tenantId;
    const { last, streams } = await history([tenant], 3, 2);
    const runtime = await start('dry');
    await runtime.waitFor(last);
    const table = 'read.stream_last_dry';
    await db().engine.query(`update ${table} set chain = 'x' where aggregate_id = $1`, [
      streams[0]!.aggregateId,
    ]);
    await db().engine.query(`delete from ${table} where aggregate_id = $1`, [streams[1]!.aggregateId]);
    await db().engine.query(
      `insert into ${table} (tenant_id, aggregate_type, aggregate_id, version, last_event_type, chain)
        values ($1, 'booking', 'ghost', 1, 'x.y', 'x')`,
      [tenant],
    );
    const before = await tableRows(db().engine, table, [tenant]);

    const report = await replayProjection(db().engine, projection, {
      slice: { tenantId: tenant },
      dryRun: true,
    });
    assert.equal(report.outcome, 'dry-run');
    const [diff] = report.diff!;
    assert.deepEqual(diff, {
      table: 'stream_last_dry',
      keyColumns: ['tenant_id', 'aggregate_type', 'aggregate_id'],
      added: 1,
      removed: 1,
      changed: 1,
      keys: {
        added: [[tenant, 'booking', streams[1]!.aggregateId]],
        removed: [[tenant, 'booking', 'ghost']],
        changed: [[tenant, 'booking', streams[0]!.aggregateId]],
      },
    });
    assert.deepEqual(report.fingerprints?.drifted, [tenant]);
    assert.deepEqual(await tableRows(db().engine, table, [tenant]), before);
  });

  it('fingerprints ignore row order and catch any changed value', async () => {
    const tenant = freshStream().tenantId;
    const { last } = await history([tenant], 4, 2);
    const runtime = await start('print');
    await runtime.waitFor(last);
    const [original] = await runtime.fingerprint('stream_last_print', tenant);
    assert.equal(original?.rows, 4);

    // Same rows, written back in the opposite order.
    await db().engine.transaction(async (tx) => {
      await tx.query(
        'create temporary table saved on commit drop as select * from read.stream_last_print where tenant_id = $1',
        [tenant],
      );
      await tx.query('delete from read.stream_last_print where tenant_id = $1', [tenant]);
      await tx.query('insert into read.stream_last_print select * from saved order by aggregate_id desc');
    });
    assert.deepEqual(await runtime.fingerprint('stream_last_print', tenant), [original]);
    await db().engine.query(
      'update read.stream_last_print set amount = amount + 1 where tenant_id = $1 and amount = 100',
      [tenant],
    );
    const [changed] = await runtime.fingerprint('stream_last_print', tenant);
    assert.notEqual(changed?.hash, original?.hash);
  });

  it('builds forensic slices from only their events and never swaps them in', async () => {
    const projection = streamLastProjection('forensic');
    const tenant = freshStream().tenantId;
    const { streams } = await history([tenant], 2, 2);
    const runtime = await start('forensic');
    const marker = await store().appendToStream(streams[0]!, 2, [
      newEvent({ occurredAt: new Date('2030-01-01T00:00:00Z'), payload: { amount: { minor: 999 } } }),
    ]);
    await runtime.waitFor(marker);
    const live = await tableRows(db().engine, 'read.stream_last_forensic', [tenant]);

    const stream = await replayProjection(db().engine, projection, {
      slice: { tenantId: tenant, aggregateType: 'booking', aggregateId: streams[1]!.aggregateId },
    });
    assert.equal(stream.outcome, 'forensic');
    assert.equal(stream.events.applied, 2);
    assert.deepEqual(stream.rows, { stream_last_forensic: 1 });
    assert.equal(stream.diff?.[0]?.removed, 1);
    assert.equal(stream.diff?.[0]?.changed, 0);

    const asOfBefore = await replayProjection(db().engine, projection, {
      slice: { tenantId: tenant, to: new Date('2030-01-01T00:00:00Z'), timeField: 'occurred' },
    });
    assert.deepEqual(asOfBefore.diff?.[0]?.keys.changed, [[tenant, 'booking', streams[0]!.aggregateId]]);
    const window = await replayProjection(db().engine, projection, {
      slice: { from: marker.recordedAt, timeField: 'recorded', aggregateType: 'booking' },
    });
    assert.ok(window.events.applied >= 1);
    assert.ok(window.rows['stream_last_forensic']! >= 1);
    assert.deepEqual(await tableRows(db().engine, 'read.stream_last_forensic', [tenant]), live);
    await assert.rejects(
      replayProjection(db().engine, counterProjection('nobranch'), {
        slice: { tenantId: tenant, branchId: 'b1' },
      }),
      ValidationError,
    );
  });

  it('does not swap in a rebuild that parked events unless told to, and then hands its parked events over', async () => {
    const poisoned = counterProjection('replaypark', {
      failOn: (payload) => (payload as { poison?: boolean }).poison === true,
    });
    const stream = freshStream();
    const appended = await store().appendToStream(stream, 'no_stream', [
      newEvent(),
      newEvent({ payload: { poison: true } }),
      newEvent(),
    ]);
    await waitUntilInFeed(db().engine, appended);
    const refused = await replayProjection(db().engine, poisoned, { maxAttempts: 1 });
    assert.equal(refused.outcome, 'not-swapped');
    assert.equal(refused.parked.length, 1);
    assert.equal(refused.parked[0]?.errorMessage, 'refused event 2');
    const { rows: none } = await db().engine.query('select * from read.counter_replaypark');
    assert.deepEqual(none, []);

    const allowed = await replayProjection(db().engine, poisoned, { maxAttempts: 1, allowParked: true });
    assert.equal(allowed.outcome, 'swapped');
    const { rows } = await db().engine.query<{ events: number }>(
      'select events from read.counter_replaypark where tenant_id = $1',
      [stream.tenantId],
    );
    assert.deepEqual(rows, [{ events: 2 }]);
    const { rows: parked } = await db().engine.query<{ target: string; tenant_seq: string }>(
      'select target, tenant_seq from mymedic.projection_parked_events where projection = $1',
      [poisoned.name],
    );
    assert.deepEqual(parked, [{ target: poisoned.name, tenant_seq: '2' }]);
    const { rows: leftovers } = await db().engine.query(
      `select table_name from information_schema.tables where table_schema = 'read' and table_name like 'counter_replaypark%'`,
    );
    assert.deepEqual(leftovers, [{ table_name: 'counter_replaypark' }]);
  });
});
