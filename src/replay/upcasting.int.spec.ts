import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { it } from 'node:test';
import type { JsonValue } from '../shared/canonical-json.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { newEvent } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import type { Projection } from '../projections/projection.ts';
import { ProjectionRuntime } from '../projections/projection-runtime.ts';
import { UpcasterRegistry } from '../projections/upcaster-registry.ts';
import { waitUntilInFeed } from '../projections/testing/feed-visibility.ts';
import { replayProjection } from './replay-projection.ts';

interface CorpusEvent {
  tenantId: string;
  aggregateId: string;
  branchId: string | null;
  eventType: string;
  schemaVersion: number;
  occurredAt: string;
  payload: JsonValue;
}

type Payload = Record<string, JsonValue>;

/** The payload history of deposit.recorded (v1 → v2 → v3) and deposit.refunded (v1 → v2). */
const upcasters = () =>
  new UpcasterRegistry([
    {
      eventType: 'deposit.recorded',
      fromSchemaVersion: 1,
      upcast: (payload) => {
        const { amountRupees, ...rest } = payload as Payload;
        return { ...rest, amount: { minor: (amountRupees as number) * 100, currency: 'INR' } };
      },
    },
    {
      eventType: 'deposit.recorded',
      fromSchemaVersion: 2,
      upcast: (payload) => ({ ...(payload as Payload), channel: 'counter' }),
    },
    {
      eventType: 'deposit.refunded',
      fromSchemaVersion: 1,
      upcast: (payload) => ({
        amount: { minor: ((payload as Payload)['amountRupees'] as number) * 100, currency: 'INR' },
      }),
    },
  ]);

/** Reads only current payloads, and says so loudly when handed an old one. */
const deposits: Projection = {
  name: 'deposit_totals',
  version: 1,
  tables: ['deposit_totals'],
  eventTypes: ['deposit.recorded', 'deposit.refunded'],
  createTables: (t) =>
    `create table ${t['deposit_totals']} (tenant_id text not null, deposit_id text not null,
      net_minor bigint not null, channels text[] not null, primary key (tenant_id, deposit_id))`,
  apply: async (event, tx, t) => {
    const current = { 'deposit.recorded': 3, 'deposit.refunded': 2 }[event.eventType];
    if (event.schemaVersion !== current)
      throw new Error(`${event.eventType} v${event.schemaVersion} reached apply`);
    const payload = event.payload as { amount: { minor: number }; channel?: string };
    const sign = event.eventType === 'deposit.refunded' ? -1 : 1;
    await tx.query(
      `insert into ${t['deposit_totals']} as d (tenant_id, deposit_id, net_minor, channels)
        values ($1, $2, $3, array_remove(array[$4::text], null))
        on conflict (tenant_id, deposit_id) do update set net_minor = d.net_minor + excluded.net_minor,
          channels = d.channels || excluded.channels`,
      [event.tenantId, event.aggregateId, sign * payload.amount.minor, payload.channel ?? null],
    );
  },
};

const EXPECTED = [
  {
    tenant_id: 'corpus-clinic-a',
    deposit_id: 'deposit-a1',
    net_minor: '88550',
    channels: ['counter', 'counter', 'counter', 'portal'],
  },
  { tenant_id: 'corpus-clinic-a', deposit_id: 'deposit-a2', net_minor: '100000', channels: ['counter'] },
  {
    tenant_id: 'corpus-hospital-b',
    deposit_id: 'deposit-b1',
    net_minor: '99950',
    channels: ['counter', 'counter'],
  },
];

describeEachEngine('replaying a recorded corpus of old event versions', (db) => {
  it('upcasts every old event to its current version before apply, in replays and live', async () => {
    const corpus = JSON.parse(
      await readFile(new URL('./fixtures/corpus-v1.json', import.meta.url), 'utf8'),
    ) as {
      events: CorpusEvent[];
    };
    const store = new PgEventStore(db().engine);
    const versions = new Map<string, number>();
    let last;
    for (const entry of corpus.events) {
      const stream = { tenantId: entry.tenantId, aggregateType: 'deposit', aggregateId: entry.aggregateId };
      const version = versions.get(entry.aggregateId) ?? 0;
      last = await store.appendToStream(stream, version, [
        newEvent({
          eventType: entry.eventType,
          schemaVersion: entry.schemaVersion,
          branchId: entry.branchId,
          occurredAt: new Date(entry.occurredAt),
          payload: entry.payload,
        }),
      ]);
      versions.set(entry.aggregateId, version + 1);
    }
    const { rows: stored } = await db().engine.query<{ n: number }>(
      'select count(*)::int as n from mymedic.events where schema_version < 3 and event_type = $1',
      ['deposit.recorded'],
    );
    assert.equal(stored[0]?.n, 5, 'the log keeps the old versions as written');

    await waitUntilInFeed(db().engine, last!);
    const report = await replayProjection(db().engine, deposits, { upcasters: upcasters() });
    assert.equal(report.outcome, 'swapped');
    assert.deepEqual(report.parked, []);
    assert.equal(report.events.applied, 8);
    const table = () => db().engine.query('select * from read.deposit_totals order by tenant_id, deposit_id');
    assert.deepEqual((await table()).rows, EXPECTED);

    // Without the upcasters the same corpus fails at apply: the test above could not pass by accident.
    const bare = await replayProjection(db().engine, deposits, { maxAttempts: 1, dryRun: true });
    assert.equal(bare.parked.length, 6);

    await db().engine.query('delete from mymedic.subscription_checkpoints where subscription_id = $1', [
      'projection:deposit_totals',
    ]);
    await db().engine.query('drop table read.deposit_totals');
    await db().engine.query("delete from mymedic.projection_state where name = 'deposit_totals'");
    await db().engine.query("delete from mymedic.projection_positions where target = 'deposit_totals'");
    const runtime = new ProjectionRuntime(db().engine, { projections: [deposits], upcasters: upcasters() });
    await runtime.start();
    await runtime.waitFor(last!);
    await runtime.stop();
    assert.deepEqual((await table()).rows, EXPECTED);
  });
});
