/**
 * The whole log. First, writers append concurrently while one reader tails the log as the system's consumers
 * do; what that reader saw is then audited against what was stored (missed, duplicated). Then, with nobody
 * writing, the whole log is read from the start and timed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { auditLog } from '../log-audit.ts';
import type { Measurement, Sample } from '../measurement.ts';
import type { ReadLogShape } from '../plan.ts';
import { queriesSent } from '../query-counter.ts';
import type { BenchSystem } from '../systems/bench-system.ts';
import { planAppends, runAppends } from './append-load.ts';

/**
 * `settle` waits for transactions the log's readers must wait for; it returns the milliseconds it waited.
 * `analyze` gathers the planner's statistics before the whole-log passes, as autovacuum would within a minute
 * of the writes: without them the first page queries of a fresh log are planned as a scan and a sort.
 */
export async function measureLogReads(
  system: BenchSystem,
  shape: ReadLogShape,
  settle: () => Promise<number>,
  analyze: () => Promise<void>,
): Promise<Measurement> {
  const { seen: tailed, settleMs } = await writeWhileTailing(system, shape, settle);
  await analyze();
  const stored = await system.storedPositions();
  const audit = auditLog(tailed, stored);
  const samples: Sample[] = [];
  for (let pass = 0; pass < shape.passes; pass++) {
    samples.push(await readWholeLog(system, shape.readPageSize, stored));
  }
  return { samples, audit: { ...audit, settleMs } };
}

/** Returns the global positions the tailing reader saw, in order. */
async function writeWhileTailing(
  system: BenchSystem,
  shape: ReadLogShape,
  settle: () => Promise<number>,
): Promise<{ seen: number[]; settleMs: number }> {
  const writerShape = {
    eventsPerWriter: Math.floor(shape.events / shape.writers),
    batchSize: shape.batchSize,
    streamsPerWriter: 100,
  };
  const plans = Array.from({ length: shape.writers }, (_, i) => planAppends(i + 1, writerShape));
  let settled = false;
  const writers = Promise.all(plans.map((appends) => runAppends(system, appends)))
    .then(() => settle())
    .finally(() => {
      settled = true;
    });

  const tail = system.tailLog(shape.tailPageSize);
  const seen: number[] = [];
  const reader = (async () => {
    for (;;) {
      const wasSettled = settled;
      let read = 0;
      for await (const position of tail.pass()) {
        seen.push(position);
        read++;
      }
      // Nothing new although every write is committed and visible: the reader has all it will ever get.
      if (wasSettled && read === 0) return;
      if (read === 0) await sleep(1);
    }
  })();
  const [settleMs] = await Promise.all([writers, reader]);
  return { seen, settleMs };
}

/** Even with nobody writing, a reader that pages in one order and resumes by another can skip and repeat. */
async function readWholeLog(
  system: BenchSystem,
  pageSize: number,
  stored: readonly number[],
): Promise<Sample> {
  const reader = system.tailLog(pageSize);
  const seen: number[] = [];
  const queriesBefore = queriesSent();
  const started = performance.now();
  for await (const position of reader.pass()) seen.push(position);
  const seconds = (performance.now() - started) / 1000;
  const { missed, duplicated } = auditLog(seen, stored);
  return { events: seen.length, seconds, ops: 1, queries: queriesSent() - queriesBefore, missed, duplicated };
}
