/**
 * The check every branch-replayable read model's tests make: a replay of one branch rebuilds exactly that
 * branch's rows and leaves every other row of the tenant byte-identical, and the branches' replays together
 * give back the whole model (no row belongs to no branch).
 */
import assert from 'node:assert/strict';
import type { Engine } from '../../../store/engines/engine.ts';
import type { ReplayReport } from '../../../replay/replay-projection.ts';
import type { Projection } from '../../projection.ts';
import type { ProjectionRuntime } from '../../projection-runtime.ts';
import { liveTableNames } from '../../table-names.ts';

/** The tenant's live rows per logical table, as sorted text: inside or outside a branch, or all (null). */
async function rowsOf(
  engine: Engine,
  projection: Projection,
  tenantId: string,
  branch: { readonly branchId: string; readonly inside: boolean } | null,
): Promise<Record<string, string[]>> {
  const column = branchColumnOf(projection);
  const result: Record<string, string[]> = {};
  for (const [logical, table] of Object.entries(liveTableNames(projection))) {
    const { rows } = await engine.query<{ row: string }>(
      `select t::text as row from ${table} t
        where t.tenant_id = $1 and ($2::text is null or (t.${column} = $2) = $3) order by 1`,
      [tenantId, branch?.branchId ?? null, branch?.inside ?? true],
    );
    result[logical] = rows.map((row) => row.row);
  }
  return result;
}

function branchColumnOf(projection: Projection): string {
  const column = projection.sliceColumns?.branch;
  assert.ok(column, `${projection.name} declares no branch column`);
  return column;
}

/**
 * Damages the live model so that a replay of `branchId` has work to do and a replay that wrote outside it
 * shows: every row of the branch is deleted, and one row per table of the tenant's other branches.
 */
async function damage(engine: Engine, projection: Projection, tenantId: string, branchId: string) {
  const column = branchColumnOf(projection);
  for (const table of Object.values(liveTableNames(projection))) {
    await engine.query(`delete from ${table} where tenant_id = $1 and ${column} = $2`, [tenantId, branchId]);
    await engine.query(
      `delete from ${table} where ctid = (select ctid from ${table} t
        where t.tenant_id = $1 and t.${column} <> $2 order by t::text limit 1)`,
      [tenantId, branchId],
    );
  }
}

const rowCounts = (rows: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(rows).map(([table, entries]) => [table, entries.length]));

/**
 * For each branch in turn: damages the live model (see `damage`), replays the branch and checks that its rows
 * are exactly those of the model built incrementally, while the rest of the tenant is still as damaged. Then
 * replays every branch once more and checks the tenant's whole model is back. Returns each branch's report.
 */
export async function assertBranchReplaysRebuildOnlyTheirBranch(
  engine: Engine,
  runtime: ProjectionRuntime,
  projection: Projection,
  tenantId: string,
  branchIds: readonly string[],
): Promise<Record<string, ReplayReport>> {
  const whole = await rowsOf(engine, projection, tenantId, null);
  const built = new Map<string, Record<string, string[]>>();
  for (const branchId of branchIds) {
    built.set(branchId, await rowsOf(engine, projection, tenantId, { branchId, inside: true }));
  }
  for (const table of projection.tables) {
    const inBranches = [...built.values()].reduce((sum, rows) => sum + (rows[table]?.length ?? 0), 0);
    assert.equal(inBranches, whole[table]?.length, `every row of ${table} is in one of the branches`);
  }
  const reports: Record<string, ReplayReport> = {};
  for (const [branchId, branchRows] of built) {
    await damage(engine, projection, tenantId, branchId);
    const outside = await rowsOf(engine, projection, tenantId, { branchId, inside: false });

    const report = await runtime.replay(projection.name, { slice: { tenantId, branchId } });
    assert.equal(report.kind, 'branch');
    assert.equal(report.outcome, 'swapped');
    assert.deepEqual(report.parked, []);
    assert.deepEqual(report.rows, rowCounts(branchRows), `rows rebuilt for ${branchId}`);
    assert.deepEqual(
      await rowsOf(engine, projection, tenantId, { branchId, inside: true }),
      branchRows,
      branchId,
    );
    assert.deepEqual(
      await rowsOf(engine, projection, tenantId, { branchId, inside: false }),
      outside,
      `rows outside ${branchId}`,
    );
    reports[branchId] = report;
  }
  for (const branchId of branchIds) {
    await runtime.replay(projection.name, { slice: { tenantId, branchId } });
  }
  assert.deepEqual(
    await rowsOf(engine, projection, tenantId, null),
    whole,
    'the whole model after every branch',
  );
  return reports;
}
