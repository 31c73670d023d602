/**
 * What the database knows about each projection: the version that built its live tables and their names
 * (projection_state), and its checkpoint in the global feed (a subscription checkpoint row).
 */
import { MyMedicError } from '../shared/errors.ts';
import type { Engine, Sql } from '../store/engines/engine.ts';
import { toSafeInteger } from '../store/event-row.ts';
import { START_OF_FEED, type GlobalCursor } from '../store/event-store.ts';
import type { Projection, TableNames } from './projection.ts';
import { enableTenantIsolation } from '../tenancy/tenant-isolation.ts';
import { ProjectionVersionError } from './projection-errors.ts';
import { liveTableNames } from './table-names.ts';

export interface ProjectionState {
  readonly name: string;
  readonly version: number;
  readonly tables: TableNames;
  readonly status: 'live' | 'upgrading';
  readonly generation: number;
  readonly updatedAt: Date;
}

/** The subscription id under which a projection's live checkpoint is stored. */
export function checkpointId(projectionName: string): string {
  return `projection:${projectionName}`;
}

export async function readState(sql: Sql, name: string, lock = false): Promise<ProjectionState | undefined> {
  const { rows } = await sql.query<{
    name: string;
    version: number;
    tables: TableNames;
    status: 'live' | 'upgrading';
    generation: number;
    updated_at: Date;
  }>(
    `select name, version, tables, status, generation, updated_at from mymedic.projection_state
      where name = $1 ${lock ? 'for update' : ''}`,
    [name],
  );
  const row = rows[0];
  return row
    ? {
        name: row.name,
        version: row.version,
        tables: row.tables,
        status: row.status,
        generation: row.generation,
        updatedAt: row.updated_at,
      }
    : undefined;
}

/**
 * Makes sure the projection has live tables, a state row and a checkpoint: on first sight creates the
 * tables (empty, checkpoint at the start of the feed). Safe when several processes install at once: the
 * state row's insert decides which of them creates the tables. Returns the state, whatever its version.
 */
export async function installProjection(engine: Engine, projection: Projection): Promise<ProjectionState> {
  await engine.transaction(async (tx) => {
    const tables = liveTableNames(projection);
    const { rows } = await tx.query(
      `insert into mymedic.projection_state (name, version, tables) values ($1, $2, $3::jsonb)
        on conflict (name) do nothing returning name`,
      [projection.name, projection.version, JSON.stringify(tables)],
    );
    if (rows.length > 0) await createTables(tx, projection, tables);
    await tx.query(
      'insert into mymedic.subscription_checkpoints (subscription_id) values ($1) on conflict do nothing',
      [checkpointId(projection.name)],
    );
  });
  const state = await readState(engine, projection.name);
  if (!state) throw new MyMedicError('PROJECTION_STATE_MISSING', `${projection.name} has no state row`);
  return state;
}

/**
 * Runs the projection's DDL under the given names, checks the result keeps the runtime's contract, and puts
 * every table under tenant isolation (forced row-level security: the request path reads its tenant's rows
 * only; workers, which build and swap the tables, see all).
 */
export async function createTables(tx: Sql, projection: Projection, tables: TableNames): Promise<void> {
  await tx.query(projection.createTables(tables));
  const { rows } = await tx.query<{ name: string; columns: string[] }>(
    `select n.nspname || '.' || c.relname as name,
        array(select attname::text from pg_attribute where attrelid = c.oid and attnum > 0 and not attisdropped)
          as columns
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname || '.' || c.relname = any($1::text[])`,
    [Object.values(tables)],
  );
  const required = ['tenant_id', ...Object.values(projection.sliceColumns ?? {})];
  for (const [logical, concrete] of Object.entries(tables)) {
    const table = rows.find((row) => row.name === concrete);
    const missing = table ? required.filter((column) => !table.columns.includes(column)) : [];
    if (!table || missing.length > 0) {
      throw new MyMedicError(
        'PROJECTION_TABLES_INVALID',
        table
          ? `${projection.name}: table ${logical} lacks column(s) ${missing.join(', ')}`
          : `${projection.name}: createTables did not create table ${logical} as ${concrete}`,
        { projection: projection.name, table: logical, missing },
      );
    }
    await enableTenantIsolation(tx, concrete);
  }
}

/** Refuses to write into tables another version of the projection built (e.g. during a rolling deploy). */
export async function assertTablesVersion(tx: Sql, projection: Projection): Promise<void> {
  const { rows } = await tx.query<{ version: number }>(
    'select version from mymedic.projection_state where name = $1',
    [projection.name],
  );
  const version = rows[0]?.version;
  if (version !== projection.version) {
    throw new ProjectionVersionError(projection.name, projection.version, version ?? 0);
  }
}

/** The projection's checkpoint. With `lock`, its live subscription cannot process a batch until commit. */
export async function readCheckpoint(sql: Sql, projectionName: string, lock = false): Promise<GlobalCursor> {
  const { rows } = await sql.query<{ tx_id: string; global_position: string }>(
    `select tx_id::text as tx_id, global_position from mymedic.subscription_checkpoints
      where subscription_id = $1 ${lock ? 'for update' : ''}`,
    [checkpointId(projectionName)],
  );
  const row = rows[0];
  return row
    ? { txId: toSafeInteger(row.tx_id), globalPosition: toSafeInteger(row.global_position) }
    : START_OF_FEED;
}

export async function saveCheckpoint(tx: Sql, projectionName: string, cursor: GlobalCursor): Promise<void> {
  await tx.query(
    `update mymedic.subscription_checkpoints set tx_id = $2::text::xid8, global_position = $3, updated_at = now()
      where subscription_id = $1`,
    [checkpointId(projectionName), String(cursor.txId), cursor.globalPosition],
  );
}

export function cursorCompare(a: GlobalCursor, b: GlobalCursor): number {
  return a.txId - b.txId || a.globalPosition - b.globalPosition;
}
