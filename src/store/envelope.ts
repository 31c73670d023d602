import type { JsonValue } from '../shared/canonical-json.ts';

/** Who triggered an event (seed §13 "who triggered what"). */
export interface Actor {
  readonly id: string;
  readonly kind: ActorKind;
  readonly role: string;
}

export const ACTOR_KINDS = [
  'staff',
  'doctor',
  'patient',
  'finance',
  'auditor',
  'integration',
  'system',
] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Identity of an event stream: one aggregate instance inside one tenant. */
export interface StreamId {
  readonly tenantId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
}

/** What a writer supplies for one event. The store assigns version, tenant_seq, global_position, recorded_at. */
export interface NewEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly branchId?: string | null;
  /** Business time, from the command (the domain never reads a clock). */
  readonly occurredAt: Date;
  readonly causationId?: string | null;
  readonly correlationId?: string | null;
  readonly actor: Actor;
  readonly payload: JsonValue;
}

/** A stored event: the uniform envelope of seed §5 plus what the store assigned. */
export interface RecordedEvent<P extends JsonValue = JsonValue> {
  readonly eventId: string;
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly tenantId: string;
  readonly branchId: string | null;
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** Position in its aggregate stream, gapless from 1. */
  readonly version: number;
  readonly occurredAt: Date;
  /** Commit time as the database saw it, millisecond precision. */
  readonly recordedAt: Date;
  readonly causationId: string | null;
  readonly correlationId: string | null;
  readonly actor: Actor;
  readonly payload: P;
  /** Gapless per tenant, in commit order. */
  readonly tenantSeq: number;
  /** Unique across the store; NOT commit-ordered (see GlobalCursor for the safe order). */
  readonly globalPosition: number;
  /** The writing transaction's id: with globalPosition, the cursor of the global feed. */
  readonly txId: number;
}
