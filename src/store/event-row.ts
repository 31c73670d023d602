import type { Actor, RecordedEvent } from './envelope.ts';
import type { JsonValue } from '../shared/canonical-json.ts';

/** The columns every read selects, and their mapping to the envelope. */
export const EVENT_COLUMNS = `global_position, tx_id::text as tx_id, tenant_id, tenant_seq, branch_id, aggregate_type,
  aggregate_id, version, event_id, event_type, schema_version, occurred_at, recorded_at, causation_id,
  correlation_id, actor, payload`;

export interface EventRow {
  global_position: string;
  tx_id: string;
  tenant_id: string;
  tenant_seq: string;
  branch_id: string | null;
  aggregate_type: string;
  aggregate_id: string;
  version: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  occurred_at: Date;
  recorded_at: Date;
  causation_id: string | null;
  correlation_id: string | null;
  actor: Actor;
  payload: JsonValue;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    eventType: row.event_type,
    schemaVersion: row.schema_version,
    tenantId: row.tenant_id,
    branchId: row.branch_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    version: toSafeInteger(row.version),
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    causationId: row.causation_id,
    correlationId: row.correlation_id,
    actor: row.actor,
    payload: row.payload,
    tenantSeq: toSafeInteger(row.tenant_seq),
    globalPosition: toSafeInteger(row.global_position),
    txId: toSafeInteger(row.tx_id),
  };
}

/** int8 and xid8 arrive as strings; every value the store hands out fits a JS number exactly. */
export function toSafeInteger(value: string | number): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new RangeError(`${value} is not a safe integer`);
  return result;
}
