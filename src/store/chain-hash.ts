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

/** RFC 8785 text of an event's actor and payload, serialised once and reused for the append request. */
export interface CanonicalParts {
  readonly actor: string;
  readonly payload: string;
}

export function canonicalParts(event: Pick<HashedContent, 'actor' | 'payload'>): CanonicalParts {
  return { actor: canonicalJson(event.actor), payload: canonicalJson(event.payload) };
}

/**
 * The RFC 8785 bytes the content hash is taken over. The envelope's keys are fixed, so they are written in
 * their canonical (sorted) order directly; only actor and payload need the general canonicalisation. Equal
 * to `canonicalJson` of the envelope object, which a property test checks.
 */
export function canonicalContent(
  event: HashedContent,
  parts: CanonicalParts = canonicalParts(event),
): string {
  return (
    `{"actor":${parts.actor},"aggregate_id":${canonicalJson(event.aggregateId)}` +
    `,"aggregate_type":${canonicalJson(event.aggregateType)},"branch_id":${canonicalJson(event.branchId)}` +
    `,"causation_id":${canonicalJson(event.causationId)},"correlation_id":${canonicalJson(event.correlationId)}` +
    `,"event_id":${canonicalJson(event.eventId)},"event_type":${canonicalJson(event.eventType)}` +
    `,"occurred_at":${canonicalJson(event.occurredAt.toISOString())},"payload":${parts.payload}` +
    `,"schema_version":${canonicalJson(event.schemaVersion)},"tenant_id":${canonicalJson(event.tenantId)}}`
  );
}

export function contentHash(event: HashedContent, parts?: CanonicalParts): Buffer {
  return createHash('sha256').update(canonicalContent(event, parts), 'utf8').digest();
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
