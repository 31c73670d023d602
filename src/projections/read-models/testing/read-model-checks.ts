/**
 * Checks every read model's tests make: its live tables' rows, built incrementally, after every event was
 * delivered a second time and after rebuilds, and the absence of patient plaintext.
 */
import assert from 'node:assert/strict';
import type { Engine } from '../../../store/engines/engine.ts';
import type { AppendResult } from '../../../store/event-store.ts';
import type { Projection } from '../../projection.ts';
import { ProjectionRuntime } from '../../projection-runtime.ts';
import { checkpointId } from '../../projection-state.ts';
import { liveTableNames } from '../../table-names.ts';
import { tableRows } from '../../testing/table-rows.ts';
import type { ReplayOptions } from '../../../replay/replay-projection.ts';

/** Every live table of the projection, its rows as sorted text. */
export async function liveRows(engine: Engine, projection: Projection): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const [logical, concrete] of Object.entries(liveTableNames(projection))) {
    result[logical] = await tableRows(engine, concrete);
  }
  return result;
}

/**
 * Runs the projection until it has processed `appends`, then stops it. Small batches, so that the live tables
 * are built the way they are in production: incrementally, a few events per transaction.
 */
export async function consumeUntil(
  engine: Engine,
  projection: Projection,
  appends: readonly AppendResult[],
): Promise<ProjectionRuntime> {
  const runtime = new ProjectionRuntime(engine, {
    projections: [projection],
    batchSize: 7,
    pollIntervalMs: 100,
  });
  await runtime.start();
  try {
    for (const append of appends) await runtime.waitFor(append);
  } finally {
    await runtime.stop();
  }
  return runtime;
}

/** Moves the projection's checkpoint back to the start of the log and consumes everything again. */
export async function deliverEverythingAgain(
  engine: Engine,
  projection: Projection,
  appends: readonly AppendResult[],
): Promise<void> {
  await engine.query(
    `update mymedic.subscription_checkpoints set tx_id = '0'::xid8, global_position = 0 where subscription_id = $1`,
    [checkpointId(projection.name)],
  );
  await consumeUntil(engine, projection, appends);
}

/**
 * A full rebuild (in one page, in pages of a few events — rows held in memory across pages — and page by page
 * against the tables), then a rebuild of one tenant, each swapped in: the live tables must not change.
 */
export async function assertRebuildsIdentically(
  engine: Engine,
  runtime: ProjectionRuntime,
  projection: Projection,
  tenantId: string,
): Promise<void> {
  const incremental = await liveRows(engine, projection);
  const replays: ReplayOptions[] = [
    { slice: {} },
    { slice: {}, batchSize: 7 },
    { slice: {}, batchSize: 7, memoryShare: 0 },
    { slice: { tenantId } },
  ];
  for (const options of replays) {
    const report = await runtime.replay(projection.name, options);
    assert.equal(report.outcome, 'swapped');
    assert.deepEqual(await liveRows(engine, projection), incremental, `rebuild ${JSON.stringify(options)}`);
  }
}

/** The plaintext values among the rows (there should be none). */
export function plaintextIn(rows: Record<string, string[]>, plaintext: readonly string[]): string[] {
  const text = JSON.stringify(rows);
  return plaintext.filter((value) => text.includes(value));
}
