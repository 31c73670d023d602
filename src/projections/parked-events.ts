/**
 * Events a projection gave up on after its retries: parked with their envelope facts and the error, so the
 * projection moves on, operators see them (API and `mymedic replay --parked`), and they can be retried.
 */
import type { Sql } from '../store/engines/engine.ts';
import type { RecordedEvent } from '../store/envelope.ts';
import { toSafeInteger } from '../store/event-row.ts';
import { errorCode, errorMessage } from './projection-errors.ts';

export interface ParkedEvent {
  readonly parkedId: number;
  readonly projection: string;
  readonly tenantId: string;
  readonly branchId: string | null;
  readonly eventId: string;
  readonly eventType: string;
  readonly tenantSeq: number;
  readonly globalPosition: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attempts: number;
  readonly parkedAt: Date;
}

export interface ParkedFilter {
  readonly projection?: string;
  readonly tenantId?: string;
  readonly parkedIds?: readonly number[];
  readonly limit?: number;
}

interface ParkedRow {
  parked_id: string;
  projection: string;
  tenant_id: string;
  branch_id: string | null;
  event_id: string;
  event_type: string;
  tenant_seq: string;
  global_position: string;
  error_code: string;
  error_message: string;
  attempts: number;
  parked_at: Date;
}

export async function parkEvent(
  tx: Sql,
  projection: string,
  target: string,
  event: RecordedEvent,
  error: unknown,
  attempts: number,
): Promise<void> {
  await tx.query(
    `insert into mymedic.projection_parked_events (projection, target, tenant_id, branch_id, event_id,
        event_type, tenant_seq, global_position, error_code, error_message, attempts)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
      on conflict (target, event_id) do update set error_code = excluded.error_code,
        error_message = excluded.error_message, attempts = excluded.attempts, parked_at = now()`,
    [
      projection,
      target,
      event.tenantId,
      event.branchId,
      event.eventId,
      event.eventType,
      event.tenantSeq,
      event.globalPosition,
      errorCode(error),
      errorMessage(error),
      attempts,
    ],
  );
}

/** Live projections' parked events (shadow rebuilds' own are reported by the rebuild), oldest first. */
export async function listParked(sql: Sql, filter: ParkedFilter = {}): Promise<ParkedEvent[]> {
  const { rows } = await sql.query<ParkedRow>(
    `select parked_id, projection, tenant_id, branch_id, event_id, event_type, tenant_seq, global_position,
        error_code, error_message, attempts, parked_at
      from mymedic.projection_parked_events
      where target = projection
        and ($1::text is null or projection = $1)
        and ($2::text is null or tenant_id = $2)
        and ($3::bigint[] is null or parked_id = any($3))
      order by parked_id limit $4`,
    [filter.projection ?? null, filter.tenantId ?? null, filter.parkedIds ?? null, filter.limit ?? 1000],
  );
  return rows.map(toParkedEvent);
}

/** Parked events of one target (a shadow's, for its rebuild's report). */
export async function listParkedOf(sql: Sql, target: string): Promise<ParkedEvent[]> {
  const { rows } = await sql.query<ParkedRow>(
    `select parked_id, projection, tenant_id, branch_id, event_id, event_type, tenant_seq, global_position,
        error_code, error_message, attempts, parked_at
      from mymedic.projection_parked_events where target = $1 order by tenant_id, tenant_seq`,
    [target],
  );
  return rows.map(toParkedEvent);
}

function toParkedEvent(row: ParkedRow): ParkedEvent {
  return {
    parkedId: toSafeInteger(row.parked_id),
    projection: row.projection,
    tenantId: row.tenant_id,
    branchId: row.branch_id,
    eventId: row.event_id,
    eventType: row.event_type,
    tenantSeq: toSafeInteger(row.tenant_seq),
    globalPosition: toSafeInteger(row.global_position),
    errorCode: row.error_code,
    errorMessage: row.error_message,
    attempts: row.attempts,
    parkedAt: row.parked_at,
  };
}
