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
  await engine.transaction(async (tx) => {
    await createTables(tx, projection, shadow.tables);
    await tx.query(
      'insert into mymedic.projection_shadows (target, projection, tables) values ($1, $2, $3)',
      [shadow.target, projection.name, JSON.stringify(shadow.tables)],
    );
  });
  return shadow;
}

/** Renews the shadow's claim: it is still being built (see dropStaleShadows). */
export async function renewShadow(sql: Sql, shadow: Shadow): Promise<void> {
  await sql.query('update mymedic.projection_shadows set renewed_at = now() where target = $1', [
    shadow.target,
  ]);
}

/** Drops what is left of a shadow: its tables (unless swapped in already), its bookkeeping and its claim. */
export async function dropShadow(sql: Sql, shadow: Pick<Shadow, 'target' | 'tables'>): Promise<void> {
  for (const table of Object.values(shadow.tables)) await sql.query(`drop table if exists ${table}`);
  await sql.query('delete from mymedic.projection_positions where target = $1', [shadow.target]);
  await sql.query('delete from mymedic.projection_parked_events where target = $1', [shadow.target]);
  await sql.query('delete from mymedic.projection_shadows where target = $1', [shadow.target]);
}

/**
 * Drops the shadows of these projections whose claim was last renewed longer than `staleAfterMs` ago: what a
 * replay that died left behind. A running replay renews its claim after every page, so give it more than its
 * longest page (and its final write-out) takes. Returns the targets dropped.
 */
export async function dropStaleShadows(
  engine: Engine,
  projections: readonly string[],
  staleAfterMs: number,
): Promise<string[]> {
  const { rows } = await engine.query<{ target: string; tables: TableNames }>(
    `select target, tables from mymedic.projection_shadows
      where projection = any($1::text[]) and renewed_at < now() - $2 * interval '1 millisecond'
      order by target`,
    [projections, staleAfterMs],
  );
  for (const shadow of rows) await engine.transaction((tx) => dropShadow(tx, shadow));
  return rows.map((shadow) => shadow.target);
}
