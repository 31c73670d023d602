/**
 * How far a projection's live tables are behind the log, from the database alone (so any process can ask):
 * events after its checkpoint, how long the oldest of them has waited, and when it last applied an event.
 */
import type { Sql } from '../store/engines/engine.ts';
import { toSafeInteger } from '../store/event-row.ts';
import type { GlobalCursor } from '../store/event-store.ts';
import { readCheckpoint } from './projection-state.ts';

export interface ProjectionLag {
  readonly checkpoint: GlobalCursor;
  /** Events in the feed after the checkpoint, of any type (the subscription pages through them all). */
  readonly eventsBehind: number;
  /**
   * now − recorded_at of the oldest event not yet processed; 0 when caught up. (now − recorded_at of the last
   * applied event would grow while nothing happens at all, and claim lag where there is none.)
   */
  readonly timeBehindMs: number;
  /** recorded_at of the last event applied to the live tables, any tenant. */
  readonly lastAppliedAt: Date | null;
  readonly parked: number;
}

export async function readLag(sql: Sql, projectionName: string, now = new Date()): Promise<ProjectionLag> {
  const checkpoint = await readCheckpoint(sql, projectionName);
  const { rows } = await sql.query<{
    behind: string;
    oldest: Date | null;
    last_applied: Date | null;
    parked: string;
  }>(
    `select
        (select count(*) from mymedic.events
          where (tx_id, global_position) > ($2::text::xid8, $3::bigint)) as behind,
        (select min(recorded_at) from mymedic.events
          where (tx_id, global_position) > ($2::text::xid8, $3::bigint)) as oldest,
        (select max(last_recorded_at) from mymedic.projection_positions where target = $1) as last_applied,
        (select count(*) from mymedic.projection_parked_events where target = $1) as parked`,
    [projectionName, String(checkpoint.txId), checkpoint.globalPosition],
  );
  const row = rows[0]!;
  return {
    checkpoint,
    eventsBehind: toSafeInteger(row.behind),
    timeBehindMs: row.oldest ? Math.max(0, now.getTime() - row.oldest.getTime()) : 0,
    lastAppliedAt: row.last_applied,
    parked: toSafeInteger(row.parked),
  };
}
