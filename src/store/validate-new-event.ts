import { ValidationError } from '../shared/errors.ts';
import { UUID_PATTERN } from '../shared/uuid-v7.ts';
import { ACTOR_KINDS, type NewEvent, type StreamId } from './envelope.ts';
import type { ExpectedVersion } from './expected-version.ts';

/**
 * Envelope checks done before anything reaches the database, so invalid input writes nothing and the error
 * names the field. Payload schemas are the domain's business; here the payload must only be JSON that
 * survives a round trip through jsonb unchanged (the chain hash depends on it).
 */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;
export const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const MAX_PAYLOAD_DEPTH = 32;

export function validateStreamId(stream: StreamId, field = 'stream'): void {
  requireIdentifier(stream.tenantId, `${field}.tenantId`);
  requireIdentifier(stream.aggregateType, `${field}.aggregateType`);
  requireIdentifier(stream.aggregateId, `${field}.aggregateId`);
}

export function validateExpectedVersion(expected: ExpectedVersion, field = 'expectedVersion'): void {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) {
    throw new ValidationError(field, 'must be any, no_stream, stream_exists or a non-negative integer');
  }
}

export function validateNewEvent(event: NewEvent, field: string): void {
  if (typeof event !== 'object' || event === null) throw new ValidationError(field, 'must be an object');
  if (typeof event.eventId !== 'string' || !UUID_PATTERN.test(event.eventId)) {
    throw new ValidationError(`${field}.eventId`, 'must be a lowercase UUID (v7 recommended)');
  }
  if (
    typeof event.eventType !== 'string' ||
    !EVENT_TYPE.test(event.eventType) ||
    event.eventType.length > 128
  ) {
    throw new ValidationError(`${field}.eventType`, 'must be dotted lowercase words, e.g. booking.created');
  }
  if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) {
    throw new ValidationError(`${field}.schemaVersion`, 'must be a positive integer');
  }
  if (event.branchId !== undefined && event.branchId !== null)
    requireIdentifier(event.branchId, `${field}.branchId`);
  if (!(event.occurredAt instanceof Date) || Number.isNaN(event.occurredAt.getTime())) {
    throw new ValidationError(`${field}.occurredAt`, 'must be a valid Date');
  }
  optionalText(event.causationId, `${field}.causationId`);
  optionalText(event.correlationId, `${field}.correlationId`);
  validateActor(event.actor, `${field}.actor`);
  validateJson(event.payload, `${field}.payload`, 0);
}

function validateActor(actor: NewEvent['actor'], field: string): void {
  if (typeof actor !== 'object' || actor === null) throw new ValidationError(field, 'is required');
  requireIdentifier(actor.id, `${field}.id`);
  if (!ACTOR_KINDS.includes(actor.kind)) {
    throw new ValidationError(`${field}.kind`, `must be one of ${ACTOR_KINDS.join(', ')}`);
  }
  requireIdentifier(actor.role, `${field}.role`);
}

function requireIdentifier(value: unknown, field: string): void {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new ValidationError(field, 'must be 1-128 characters of letters, digits and _ . : @ -');
  }
}

function optionalText(value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || value.length === 0 || value.length > 128 || !isStorableString(value)) {
    throw new ValidationError(field, 'must be a non-empty string of at most 128 characters');
  }
}

function validateJson(value: unknown, field: string, depth: number): void {
  if (depth > MAX_PAYLOAD_DEPTH)
    throw new ValidationError(field, `nests deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(field, 'must be a finite number');
    return;
  }
  if (typeof value === 'string') {
    if (!isStorableString(value))
      throw new ValidationError(field, 'contains a NUL character or a lone surrogate');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => validateJson(item, `${field}.${index}`, depth + 1));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableString(key)) throw new ValidationError(`${field}.${key}`, 'key is not storable text');
      if (item === undefined) throw new ValidationError(`${field}.${key}`, 'must not be undefined');
      validateJson(item, `${field}.${key}`, depth + 1);
    }
    return;
  }
  throw new ValidationError(field, 'must be plain JSON (no Dates, class instances, functions or undefined)');
}

/** jsonb and text columns reject NUL; jsonb rejects lone surrogates. */
function isStorableString(value: string): boolean {
  return !value.includes('\u0000') && value.isWellFormed();
}
