import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonValue } from '../shared/canonical-json.ts';
import type { RecordedEvent } from '../store/envelope.ts';
import type { AppendResult } from '../store/event-store.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { freshStream, newEvent, newEvents } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { allTenantsEngine, tenantScopedEngine } from '../tenancy/scoped-engine.ts';
import { ProjectionApplier } from './projection-applier.ts';
import { ProjectionEventsParkedError } from './projection-errors.ts';
import { runtimesStoppedAfterEach } from './testing/runtimes.ts';
import { checkpointId, installProjection } from './projection-state.ts';
import { liveTableNames } from './table-names.ts';
import { counterProjection, streamLastProjection } from './testing/test-projections.ts';
import { tableRows } from './testing/table-rows.ts';
import { UpcasterRegistry } from './upcaster-registry.ts';

describeEachEngine('projection runtime', (db) => {
  const store = () => new PgEventStore(db().engine);
  const runtime = runtimesStoppedAfterEach(() => db().engine, 200);

  /** Appends `count` events of each type to a new stream of `tenantId`; returns the last append. */
  async function appendMixed(
    tenantId: string,
    types: readonly string[],
    count: number,
  ): Promise<AppendResult> {
    const stream = freshStream(tenantId);
    const events = Array.from({ length: count }, (_, index) =>
      types.map((eventType) => newEvent({ eventType, payload: { n: index } })),
    ).flat();
    return store().appendToStream(stream, 'no_stream', events);
  }

  it('installs live tables on first start, follows every tenant, and skips event types it does not read', async () => {
    const counter = counterProjection('install', { eventTypes: ['visit.noted'] });
    const last = streamLastProjection('install');
    const tenants = [freshStream().tenantId, freshStream().tenantId];
    await appendMixed(tenants[0]!, ['visit.noted', 'visit.other'], 3);
    const projections = runtime({ projections: [counter, last] });
    await projections.start();
    const final = await appendMixed(tenants[1]!, ['visit.noted', 'visit.other'], 2);
    await projections.waitFor(final);

    const { rows: states } = await db().engine.query<{
      name: string;
      version: number;
      tables: object;
      status: string;
    }>(
      `select name, version, tables, status from mymedic.projection_state where name = any($1) order by name`,
      [[counter.name, last.name]],
    );
    assert.deepEqual(states, [
      { name: counter.name, version: 1, tables: { counter_install: 'read.counter_install' }, status: 'live' },
      {
        name: last.name,
        version: 1,
        tables: { stream_last_install: 'read.stream_last_install' },
        status: 'live',
      },
    ]);
    const counts = await db().engine.query<{ tenant_id: string; events: number }>(
      'select tenant_id, events from read.counter_install where tenant_id = any($1)',
      [tenants],
    );
    const eventsOf = new Map(counts.rows.map((row) => [row.tenant_id, row.events]));
    assert.deepEqual([eventsOf.get(tenants[0]!), eventsOf.get(tenants[1]!), eventsOf.size], [3, 2, 2]);
    const streams = await db().engine.query<{ tenant_id: string; version: string; last_event_type: string }>(
      'select tenant_id, version, last_event_type from read.stream_last_install where tenant_id = any($1)',
      [tenants],
    );
    assert.equal(streams.rows.length, 2);
    assert.ok(streams.rows.every((row) => row.last_event_type === 'visit.other'));
  });

  it('leaves identical tables when every event is delivered twice', async () => {
    const counter = counterProjection('twice');
    const last = streamLastProjection('twice');
    const tenants = [freshStream().tenantId, freshStream().tenantId, freshStream().tenantId];
    let final: AppendResult | undefined;
    for (const tenant of tenants) final = await appendMixed(tenant, ['visit.noted', 'visit.other'], 4);
    const first = runtime({ projections: [counter, last] });
    await first.start();
    await first.waitFor(final!);
    const before = [
      await tableRows(db().engine, 'read.counter_twice'),
      await tableRows(db().engine, 'read.stream_last_twice'),
    ];
    await first.stop();

    // Redeliver everything: both checkpoints back to the start of the feed.
    await db().engine.query(
      `update mymedic.subscription_checkpoints set tx_id = '0'::xid8, global_position = 0
        where subscription_id = any($1)`,
      [[checkpointId(counter.name), checkpointId(last.name)]],
    );
    const second = runtime({ projections: [counter, last] });
    await second.start();
    await second.waitFor(final!);
    const after = [
      await tableRows(db().engine, 'read.counter_twice'),
      await tableRows(db().engine, 'read.stream_last_twice'),
    ];
    assert.deepEqual(after, before);
    assert.ok(before[0]!.length >= 3);

    // And within one batch: each event twice in a row.
    const doubled = counterProjection('doubled');
    await installProjection(db().engine, doubled);
    const applier = new ProjectionApplier(
      { id: doubled.name, projection: doubled, tables: liveTableNames(doubled) },
      new UpcasterRegistry(),
    );
    const events: RecordedEvent[] = [];
    for await (const event of store().readTenantLog(tenants[0]!)) events.push(event, event);
    const counts = await db().engine.transaction((tx) => applier.applyBatch(events, tx));
    assert.deepEqual(counts, { applied: 8, skipped: 8, parked: 0 });
    const { rows } = await db().engine.query<{ events: number }>('select events from read.counter_doubled');
    assert.deepEqual(rows, [{ events: 8 }]);
  });

  it('waitFor resolves once the named projections show the append (read-your-writes)', async () => {
    const counter = counterProjection('ryw');
    const projections = runtime({ projections: [counter], pollIntervalMs: 100 });
    await projections.start();
    const tenant = freshStream().tenantId;
    for (let round = 1; round <= 3; round++) {
      const appended = await appendMixed(tenant, ['visit.noted'], 1);
      await projections.waitFor(appended, { projections: [counter.name], timeoutMs: 10_000 });
      const { rows } = await db().engine.query<{ events: number }>(
        'select events from read.counter_ryw where tenant_id = $1',
        [tenant],
      );
      assert.deepEqual(rows, [{ events: round }]);
    }
  });

  it('parks a poison event after its retries, keeps other projections going, and retries it on request', async () => {
    let broken = true;
    const poisoned = counterProjection('poisoned', {
      failOn: (payload: JsonValue) => broken && (payload as { poison?: boolean }).poison === true,
    });
    const healthy = streamLastProjection('healthy');
    const errors: string[] = [];
    const projections = runtime({
      projections: [poisoned, healthy],
      maxAttempts: 2,
      onError: (name) => errors.push(name),
    });
    await projections.start();
    const stream = freshStream();
    const appended = await store().appendToStream(stream, 'no_stream', [
      newEvent({ payload: { n: 1 } }),
      newEvent({ payload: { n: 2, poison: true } }),
      newEvent({ payload: { n: 3 } }),
    ]);
    await projections.waitFor(appended, { projections: [healthy.name] });
    await assert.rejects(
      projections.waitFor(appended, { projections: [poisoned.name] }),
      ProjectionEventsParkedError,
    );
    assert.ok(errors.length >= 2 && errors.every((name) => name === poisoned.name));

    const parked = await projections.parked({ projection: poisoned.name, tenantId: stream.tenantId });
    assert.equal(parked.length, 1);
    assert.equal(parked[0]!.tenantSeq, 2);
    assert.equal(parked[0]!.errorCode, 'Error');
    assert.equal(parked[0]!.errorMessage, 'refused event 2');
    assert.equal(parked[0]!.attempts, 2);
    assert.ok(!('payload' in parked[0]!));
    const count = async () =>
      (
        await db().engine.query<{ events: number }>(
          'select events from read.counter_poisoned where tenant_id = $1',
          [stream.tenantId],
        )
      ).rows[0]?.events;
    assert.equal(await count(), 2);
    const [status] = (await projections.status()).filter((entry) => entry.name === poisoned.name);
    assert.equal(status?.parked, 1);

    const stillBroken = await projections.retryParked(poisoned.name, { tenantId: stream.tenantId });
    assert.equal(stillBroken.resolved, 0);
    assert.equal(stillBroken.failed[0]?.attempts, 3);
    broken = false;
    const fixed = await projections.retryParked(poisoned.name, { tenantId: stream.tenantId });
    assert.deepEqual(
      { retried: fixed.retried, resolved: fixed.resolved, failed: fixed.failed },
      { retried: 1, resolved: 1, failed: [] },
    );
    assert.equal(await count(), 3);
    assert.deepEqual(await projections.parked({ projection: poisoned.name, tenantId: stream.tenantId }), []);
  });

  it('reports events and time behind while stopped, and none once caught up', async () => {
    const counter = counterProjection('lag');
    const tenant = freshStream().tenantId;
    const projections = runtime({ projections: [counter] });
    await projections.start();
    const first = await appendMixed(tenant, ['visit.noted'], 1);
    await projections.waitFor(first);
    await projections.stop();
    const behind = await appendMixed(tenant, ['visit.noted'], 4);

    const later = new Date(behind.recordedAt.getTime() + 5_000);
    const [stopped] = await projections.status(later);
    assert.equal(stopped?.state, 'stopped');
    assert.equal(stopped?.eventsBehind, 4);
    assert.equal(stopped?.timeBehindMs, 5_000);
    assert.deepEqual(stopped?.lastAppliedAt, first.recordedAt);

    await projections.start();
    await projections.waitFor(behind);
    const [caughtUp] = await projections.status(later);
    assert.equal(caughtUp?.state, 'running');
    assert.equal(caughtUp?.eventsBehind, 0);
    assert.equal(caughtUp?.timeBehindMs, 0);
    assert.deepEqual(caughtUp?.lastAppliedAt, behind.recordedAt);
  });

  it('runs as the worker role, and the request path reads only its own tenant of the tables it built', async () => {
    const worker = allTenantsEngine(db().engine);
    const counter = counterProjection('roles');
    const projections = runtime({ projections: [counter], pollIntervalMs: 100 }, worker);
    await projections.start();
    const [a, b] = [freshStream().tenantId, freshStream().tenantId];
    const workerStore = new PgEventStore(worker);
    await workerStore.appendToStream(freshStream(a), 'no_stream', newEvents(2));
    await projections.waitFor(await workerStore.appendToStream(freshStream(b), 'no_stream', newEvents(3)));

    const tenantReport = await projections.replay(counter.name, { slice: { tenantId: a } });
    const fullReport = await projections.replay(counter.name);
    assert.deepEqual([tenantReport.outcome, fullReport.outcome], ['swapped', 'swapped']);
    assert.equal((await projections.fingerprint(counter.name, b))[0]?.rows, 1);
    const readAs = async (tenantId: string) =>
      (
        await tenantScopedEngine(db().engine, tenantId).query<{ tenant_id: string; events: number }>(
          'select tenant_id, events from read.counter_roles',
        )
      ).rows;
    assert.deepEqual(await readAs(a), [{ tenant_id: a, events: 2 }]);
    assert.deepEqual(await readAs(b), [{ tenant_id: b, events: 3 }]);
  });

  it('rebuilds a projection whose version changed beside the old tables, and never downgrades', async () => {
    const stream = freshStream();
    const v1 = streamLastProjection('upgrade', 1);
    const old = runtime({ projections: [v1] });
    await old.start();
    await old.waitFor(await store().appendToStream(stream, 'no_stream', newEvents(3)));
    await old.stop();

    const v2 = streamLastProjection('upgrade', 2);
    const upgraded = runtime({ projections: [v2] });
    await upgraded.start();
    const [status] = await upgraded.status();
    assert.equal(status?.state, 'running');
    assert.equal(status?.tablesVersion, 2);
    assert.equal(status?.generation, 2);
    await upgraded.waitFor(await store().appendToStream(stream, 3, newEvents(2)));
    const { rows } = await db().engine.query<{ events: number; version: string }>(
      'select events, version from read.stream_last_upgrade where tenant_id = $1',
      [stream.tenantId],
    );
    assert.deepEqual(rows, [{ events: 5, version: '5' }]);
    await upgraded.stop();

    const downgraded = runtime({ projections: [v1] });
    await downgraded.start();
    const [refused] = await downgraded.status();
    assert.equal(refused?.state, 'failed');
    assert.equal(refused?.lastError?.code, 'PROJECTION_VERSION_MISMATCH');
  });
});
