/**
 * Every read model with a batched apply, on a realistic history (the demo generator's, built in memory):
 * applying the events in batches of any size leaves exactly the rows that applying them one at a time does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testMasterKeys } from '../../commands/testing/clinic-fixture.ts';
import { generateDemoHistory } from '../../demo/generate-demo-history.ts';
import type { RecordedEvent } from '../../store/envelope.ts';
import { InMemoryEventStore } from '../../store/in-memory/in-memory-event-store.ts';
import { openTestDatabase, type TestDatabase } from '../../store/testing/test-engines.ts';
import { readsEventType } from '../projection-applier.ts';
import { createTables } from '../projection-state.ts';
import type { Projection, TableNames } from '../projection.ts';
import { ALL_PROJECTIONS } from '../registry.ts';
import { shadowTableNames } from '../table-names.ts';
import { tableRows } from '../testing/table-rows.ts';

/** Batch sizes cycled through, so batch boundaries fall everywhere: single events, small and large batches. */
const BATCH_SIZES = [1, 7, 250, 2, 60, 1_000, 13];

describe('batched apply of every read model [postgres]', () => {
  let db: TestDatabase;
  let history: RecordedEvent[];

  before(async () => {
    db = await openTestDatabase('postgres');
    const memory = new InMemoryEventStore();
    await generateDemoHistory({
      engine: db.engine,
      store: memory,
      masterKeys: testMasterKeys(),
      tenants: 2,
      days: 4,
      seed: 11,
      scale: 0.4,
    });
    history = [];
    for await (const event of memory.readGlobalFeed()) history.push(event);
  });
  after(() => db?.dispose());

  const batched = ALL_PROJECTIONS.filter((projection) => projection.applyBatch !== undefined);

  it('has read models with a batched apply to check', () => {
    assert.ok(batched.length > 0);
  });

  for (const projection of batched) {
    it(`${projection.name}: batches of any size leave the rows one event at a time leaves`, async () => {
      const events = history.filter((event) => readsEventType(projection, event.eventType));
      assert.ok(events.length > 100, `${events.length} events`);
      const single = await tablesFor(projection, 'singles1');
      for (const event of events) {
        await db.engine.transaction((tx) => projection.apply(event, tx, single));
      }
      const inBatches = await tablesFor(projection, 'batches1');
      for (let start = 0, turn = 0; start < events.length; turn++) {
        const size = BATCH_SIZES[turn % BATCH_SIZES.length] as number;
        const batch = events.slice(start, start + size);
        await db.engine.transaction((tx) => projection.applyBatch!(batch, tx, inBatches));
        start += size;
      }
      let rowsBuilt = 0;
      for (const logical of projection.tables) {
        const rows = await tableRows(db.engine, single[logical] as string);
        rowsBuilt += rows.length;
        assert.deepEqual(await tableRows(db.engine, inBatches[logical] as string), rows, logical);
      }
      assert.ok(rowsBuilt > 0);
    });
  }

  async function tablesFor(projection: Projection, id: string): Promise<TableNames> {
    const tables = shadowTableNames(projection, id);
    await db.engine.transaction((tx) => createTables(tx, projection, tables));
    return tables;
  }
});
