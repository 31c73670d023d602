import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.ts';
import type { Actor } from './envelope.ts';

/**
 * The tamper-evident chain of a tenant's events:
 *   content_i = SHA-256(RFC 8785 bytes of everything the writer supplied)
 *   link_i    = SHA-256(link_{i-1} ‖ int64 tenant_seq ‖ int64 version ‖ int64 recorded_at_ms ‖ content_i)
 * The writer computes the content hash; the database computes the links inside the append (it alone knows
 * the store-assigned numbers). `mymedic verify` recomputes both from the stored columns.
 */
export interface HashedContent {
  readonly eventId: string;
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly tenantId: string;
  readonly branchId: string | null;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly occurredAt: Date;
  readonly causationId: string | null;
  readonly correlationId: string | null;
  readonly actor: Actor;
  readonly payload: unknown;
}

export function contentHash(event: HashedContent): Buffer {
  const canonical = canonicalJson({
    actor: event.actor,
    aggregate_id: event.aggregateId,
    aggregate_type: event.aggregateType,
    branch_id: event.branchId,
    causation_id: event.causationId,
    correlation_id: event.correlationId,
    event_id: event.eventId,
    event_type: event.eventType,
    occurred_at: event.occurredAt.toISOString(),
    payload: event.payload,
    schema_version: event.schemaVersion,
    tenant_id: event.tenantId,
  });
  return createHash('sha256').update(canonical, 'utf8').digest();
}

export function chainLink(
  previous: Uint8Array,
  tenantSeq: number,
  version: number,
  recordedAt: Date,
  content: Uint8Array,
): Buffer {
  const numbers = Buffer.alloc(24);
  numbers.writeBigInt64BE(BigInt(tenantSeq), 0);
  numbers.writeBigInt64BE(BigInt(version), 8);
  numbers.writeBigInt64BE(BigInt(recordedAt.getTime()), 16);
  return createHash('sha256').update(previous).update(numbers).update(content).digest();
}
