/**
 * Putting a rebuild in place, in the final transaction of a replay (which holds the live checkpoint's lock,
 * so the live subscription is paused between two batches). Readers see the old model until commit and the
 * new one after: never a half-built one.
 */
import type { Sql } from '../store/engines/engine.ts';
import type { GlobalCursor } from '../store/event-store.ts';
import type { Projection, TableNames } from '../projections/projection.ts';
import { saveCheckpoint, type ProjectionState } from '../projections/projection-state.ts';
import { liveTableNames, tableOf, unqualified } from '../projections/table-names.ts';
import { scopeCondition, type RowScope } from './replay-slice.ts';
import type { Shadow } from './shadow.ts';

/**
 * Blue/green: drops the live tables, renames the shadow's into their place, and hands the live projection
 * the shadow's per-tenant positions, parked events and feed position. Returns the new generation.
 */
export async function swapFull(
  tx: Sql,
  projection: Projection,
  state: ProjectionState,
  shadow: Shadow,
  checkpoint: GlobalCursor,
): Promise<number> {
  const { name } = projection;
  // The state's names, not the code's: a new version may have renamed or dropped tables.
  for (const old of Object.values(state.tables)) await tx.query(`drop table if exists ${old}`);
  const live = liveTableNames(projection);
  for (const logical of projection.tables) {
    await tx.query(
      `alter table ${tableOf(shadow.tables, logical)} rename to ${unqualified(tableOf(live, logical))}`,
    );
  }
  await handOver(tx, name, shadow, 'projection_positions', 'true', []);
  await handOver(tx, name, shadow, 'projection_parked_events', 'true', []);
  await saveCheckpoint(tx, name, checkpoint);
  return bumpGeneration(tx, projection, live);
}

/**
 * Replaces the rows of one slice (a tenant, or a tenant's branch) with the shadow's, leaving every other row
 * untouched; the live projection's positions stay, because the slice was rebuilt exactly up to them.
 */
export async function swapSlice(
  tx: Sql,
  projection: Projection,
  state: ProjectionState,
  shadow: Shadow,
  scope: RowScope,
): Promise<number> {
  const where = scopeCondition(scope, 't');
  for (const logical of projection.tables) {
    const live = tableOf(state.tables, logical);
    await tx.query(`delete from ${live} t where ${where.sql}`, where.params);
    await tx.query(
      `insert into ${live} select t.* from ${tableOf(shadow.tables, logical)} t where ${where.sql}`,
      where.params,
    );
  }
  // Parked events carry the envelope's branch_id, whatever the projection calls its branch column.
  const parkedScope: RowScope = scope.branch
    ? { ...scope, branch: { column: 'branch_id', value: scope.branch.value } }
    : scope;
  const parked = scopeCondition(parkedScope, 'p', 2);
  await handOver(tx, projection.name, shadow, 'projection_parked_events', parked.sql, parked.params);
  return bumpGeneration(tx, projection, state.tables);
}

/** Replaces the live target's rows of a bookkeeping table (within a condition) with the shadow's. */
async function handOver(
  tx: Sql,
  name: string,
  shadow: Shadow,
  table: 'projection_positions' | 'projection_parked_events',
  condition: string,
  params: readonly unknown[],
): Promise<void> {
  await tx.query(`delete from mymedic.${table} p where p.target = $1 and ${condition}`, [name, ...params]);
  await tx.query(`update mymedic.${table} set target = $1 where target = $2`, [name, shadow.target]);
}

async function bumpGeneration(tx: Sql, projection: Projection, tables: TableNames): Promise<number> {
  const { rows } = await tx.query<{ generation: number }>(
    `update mymedic.projection_state
      set version = $2, tables = $3::jsonb, status = 'live', generation = generation + 1, updated_at = now()
      where name = $1 returning generation`,
    [projection.name, projection.version, JSON.stringify(tables)],
  );
  return rows[0]?.generation ?? 0;
}
