/**
 * Each benchmarked system is driven through the same adapter; these checks make sure the adapters do what the
 * figures claim: appends really check the expected version, reads return what was written, and a log pass
 * sees every event once when nobody is writing. Emmett runs last: loading it changes node-postgres globally.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFreshDatabase, type FreshDatabase } from '../bench-database.ts';
import type { SystemName } from '../plan.ts';
import { benchStream, sampleEvents } from '../sample-events.ts';
import type { BenchSystem } from './bench-system.ts';
import { openSystem } from './open-system.ts';

const LAST_EMMETT: readonly SystemName[] = ['raw', 'mymedic', 'emmett'];

for (const name of LAST_EMMETT) {
  describe(`bench system ${name} [postgres]`, () => {
    let database: FreshDatabase;
    let system: BenchSystem;
    before(async () => {
      database = await createFreshDatabase();
      system = await openSystem(name, { engine: 'postgres', url: database.url });
    });
    after(async () => {
      await system?.close();
      await database?.drop();
    });

    it('appends with an exact expected version and refuses a stale one', async () => {
      const stream = benchStream(1, 1);
      await system.append(stream, 0, sampleEvents(2, 1));
      await system.append(stream, 2, sampleEvents(1, 2));
      await assert.rejects(system.append(stream, 2, sampleEvents(1, 3)));
      await assert.rejects(system.append(stream, 0, sampleEvents(1, 4)));
      assert.equal(await system.readStream(stream), 3);
    });

    it('reads the whole log once, page after page, and a later pass only what is new', async () => {
      await system.append(benchStream(2, 1), 0, sampleEvents(5, 5));
      const tail = system.tailLog(2);
      const seen = await passesUntil(tail, 8);
      const stored = await system.storedPositions();
      assert.equal(stored.length, 8);
      assert.deepEqual(
        [...seen].sort((a, b) => a - b),
        [...stored].sort((a, b) => a - b),
      );

      await system.append(benchStream(2, 2), 0, sampleEvents(1, 6));
      const next = await passesUntil(tail, 1);
      assert.equal(next.length, 1);
      assert.ok(!seen.includes(next[0] as number));
    });
  });
}

/**
 * Passes over the log until `count` positions came back (or 10 s passed). A safe reader holds back events
 * while any transaction on the server is open — other suites run beside this one — so one pass may be short;
 * what matters is that the passes together return each event once.
 */
async function passesUntil(tail: { pass(): AsyncIterable<number> }, count: number): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + 10_000;
  while (seen.length < count && Date.now() < deadline) {
    for await (const position of tail.pass()) seen.push(position);
    if (seen.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return seen;
}
