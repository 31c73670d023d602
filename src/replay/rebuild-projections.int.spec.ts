/**
 * Rebuilding several projections from one read of the log: each ends exactly as incremental processing left
 * it, is swapped in, and its live subscription carries on from the rebuild's position without a gap or a
 * repeat — whether the log fits one page or takes many.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AppendResult } from '../store/event-store.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { freshStream, newEvent } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { runtimesStoppedAfterEach } from '../projections/testing/runtimes.ts';
import type { Projection } from '../projections/projection.ts';
import {
  batchedCounterProjection,
  counterProjection,
  streamLastProjection,
} from '../projections/testing/test-projections.ts';
import { tableRows } from '../projections/testing/table-rows.ts';
import { liveTableNames } from '../projections/table-names.ts';
import { rebuildProjections } from './replay-projection.ts';

describeEachEngine('rebuilding several projections in one pass', (db) => {
  const runtimeOf = runtimesStoppedAfterEach(() => db().engine, 100);

  /** Three tenants, events of two types (one of which the counter does not read), several streams each. */
  async function history(rounds: number): Promise<AppendResult> {
    const store = new PgEventStore(db().engine);
    let last: AppendResult | undefined;
    for (let round = 0; round < rounds; round++) {
      for (const tenant of ['t1', 't2', 't3']) {
        last = await store.appendToStream(freshStream(tenant), 'no_stream', [
          newEvent({ eventType: 'visit.noted', payload: { amount: { minor: round } } }),
          newEvent({ eventType: 'visit.other', payload: { amount: { minor: round + 1 } } }),
        ]);
      }
    }
    return last!;
  }

  for (const batchSize of [4, 1_000]) {
    it(`equals incremental processing and hands over to the live subscriptions (pages of ${batchSize})`, async () => {
      const suffix = `pass${batchSize}`;
      const projections: Projection[] = [
        counterProjection(suffix, { eventTypes: ['visit.noted'] }),
        streamLastProjection(suffix),
        batchedCounterProjection(`${suffix}_batched`),
      ];
      const runtime = runtimeOf({ projections, batchSize: 5 });
      await runtime.start();
      await runtime.waitFor(await history(4));
      const rowsOf = async () =>
        Promise.all(
          projections.map((projection) =>
            tableRows(db().engine, Object.values(liveTableNames(projection))[0]!),
          ),
        );
      const incremental = await rowsOf();

      const reports = await rebuildProjections(db().engine, projections, { batchSize });
      assert.deepEqual(
        reports.map((report) => [report.projection, report.outcome]),
        projections.map((projection) => [projection.name, 'swapped']),
      );
      assert.equal(reports[0]!.events.read, reports[1]!.events.read / 2, 'the counter reads half the types');
      assert.deepEqual(await rowsOf(), incremental);

      // The live subscriptions go on from where the rebuild stopped: nothing skipped, nothing twice.
      await runtime.waitFor(await history(2));
      const after = await rowsOf();
      const { rows } = await db().engine.query<{ counted: number; logged: number }>(
        `select (select sum(events)::int from ${liveTableNames(projections[0]!)[`counter_${suffix}`]}) as counted,
          (select count(*)::int from mymedic.events where event_type = 'visit.noted') as logged`,
      );
      assert.equal(rows[0]?.counted, rows[0]?.logged);
      assert.notDeepEqual(after, incremental);
    });
  }
});
