import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import fc from 'fast-check';
import type { AppendResult } from '../store/event-store.ts';
import type { StreamId } from '../store/envelope.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { freshStream, newEvent } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { ProjectionRuntime } from '../projections/projection-runtime.ts';
import { counterProjection, streamLastProjection } from '../projections/testing/test-projections.ts';
import { replayProjection } from './replay-projection.ts';
import { isEmptyDiff } from './table-diff.ts';

const counter = counterProjection('prop', { eventTypes: ['visit.noted'] });
const last = streamLastProjection('prop');
const TABLES = ['read.counter_prop', 'read.stream_last_prop'];

/** One append: to a stream of one of three tenants, of one to three events, maybe waited for at once. */
const appendArb = fc.record({
  tenant: fc.nat(2),
  stream: fc.nat(3),
  types: fc.array(fc.constantFrom('visit.noted', 'visit.other'), { minLength: 1, maxLength: 3 }),
  amount: fc.nat(1_000_000),
  waitNow: fc.boolean(),
});
const historyArb = fc.array(appendArb, { minLength: 1, maxLength: 6 });
type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

describeEachEngine('replay properties', (db, kind) => {
  const numRuns = kind === 'pglite' ? 3 : 6;
  let runtime: ProjectionRuntime;
  beforeEach(async () => {
    runtime = new ProjectionRuntime(db().engine, { projections: [counter, last], pollIntervalMs: 100 });
    await runtime.start();
  });
  afterEach(async () => runtime.stop());

  /**
   * Appends a random history to three fresh tenants, letting the live projections process it at random
   * points (so their batches differ from run to run), and waits until they have all of it.
   */
  async function play(history: History): Promise<string[]> {
    const store = new PgEventStore(db().engine);
    const tenants = [freshStream().tenantId, freshStream().tenantId, freshStream().tenantId];
    const streams = new Map<string, { id: StreamId; version: number }>();
    let latest: AppendResult | undefined;
    for (const step of history) {
      const key = `${step.tenant}/${step.stream}`;
      const stream = streams.get(key) ?? { id: freshStream(tenants[step.tenant]), version: 0 };
      const branchId = step.stream % 2 === 0 ? 'b1' : 'b2';
      latest = await store.appendToStream(
        stream.id,
        stream.version,
        step.types.map((eventType, index) =>
          newEvent({ eventType, branchId, payload: { amount: { minor: step.amount + index } } }),
        ),
      );
      streams.set(key, { id: stream.id, version: stream.version + step.types.length });
      if (step.waitNow) await runtime.waitFor(latest);
    }
    await runtime.waitFor(latest!);
    return tenants;
  }

  const rowsOutside = async (tenantId: string) => {
    const rows: string[][] = [];
    for (const table of TABLES) {
      const { rows: text } = await db().engine.query<{ row: string }>(
        `select t::text as row from ${table} t where tenant_id <> $1 order by 1`,
        [tenantId],
      );
      rows.push(text.map((row) => row.row));
    }
    return rows;
  };

  it('a full rebuild equals what incremental processing built', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async (history) => {
        await play(history);
        for (const projection of [counter, last]) {
          const rebuilt = await replayProjection(db().engine, projection, { dryRun: true });
          assert.ok(isEmptyDiff(rebuilt.diff!), JSON.stringify(rebuilt.diff));
          assert.deepEqual(rebuilt.fingerprints?.drifted, []);
        }
      }),
      { numRuns },
    );
  });

  it('a tenant replay repairs that tenant and changes nothing outside it', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb,
        fc.nat(2),
        fc.uniqueArray(fc.nat(2), { maxLength: 3 }),
        async (history, replayed, damaged) => {
          const tenants = await play(history);
          const target = tenants[replayed]!;
          // Damage some tenants' rows (maybe the replayed one's, maybe others'): only the slice may be repaired.
          for (const index of damaged) {
            await db().engine.query(
              `update read.stream_last_prop set chain = 'damaged' where tenant_id = $1`,
              [tenants[index]],
            );
            await db().engine.query(
              `update read.counter_prop set events = events + 1000 where tenant_id = $1`,
              [tenants[index]],
            );
          }
          for (const projection of [counter, last]) {
            const outside = await rowsOutside(target);
            const report = await replayProjection(db().engine, projection, { slice: { tenantId: target } });
            assert.equal(report.outcome, 'swapped');
            assert.deepEqual(await rowsOutside(target), outside);
            const check = await replayProjection(db().engine, projection, {
              slice: { tenantId: target },
              dryRun: true,
            });
            assert.ok(isEmptyDiff(check.diff!), JSON.stringify(check.diff));
          }
        },
      ),
      { numRuns },
    );
  });
});
