/**
 * Shadow tables: where a rebuild writes, beside the live tables that keep serving. A shadow has its own
 * positions and parked events (target `name~id`), so its bookkeeping never mixes with the live projection's.
 */
import { randomBytes } from 'node:crypto';
import type { Engine, Sql } from '../store/engines/engine.ts';
import type { Projection, TableNames } from '../projections/projection.ts';
import { createTables } from '../projections/projection-state.ts';
import { shadowTableNames } from '../projections/table-names.ts';

export interface Shadow {
  readonly id: string;
  /** Key of the shadow's positions and parked events. */
  readonly target: string;
  readonly tables: TableNames;
}

export async function createShadow(engine: Engine, projection: Projection): Promise<Shadow> {
  // 8 characters of [a-z0-9]: enough that concurrent rebuilds never pick the same names.
  const id = BigInt(`0x${randomBytes(6).toString('hex')}`)
    .toString(36)
    .padStart(8, '0')
    .slice(-8);
  const shadow = { id, target: `${projection.name}~${id}`, tables: shadowTableNames(projection, id) };
  await engine.transaction((tx) => createTables(tx, projection, shadow.tables));
  return shadow;
}

/** Drops what is left of a shadow: its tables (unless swapped in already) and its bookkeeping. */
export async function dropShadow(sql: Sql, shadow: Shadow): Promise<void> {
  for (const table of Object.values(shadow.tables)) await sql.query(`drop table if exists ${table}`);
  await sql.query('delete from mymedic.projection_positions where target = $1', [shadow.target]);
  await sql.query('delete from mymedic.projection_parked_events where target = $1', [shadow.target]);
}
