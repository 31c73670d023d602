/**
 * Shapes shared by the endpoints: stored events as JSON, instants, page sizes and opaque cursors. Events on
 * the wire omit the store's global position and transaction id, which would reveal other tenants' activity.
 */
import { z } from 'zod';
import { ValidationError } from '../shared/errors.ts';
import type { RecordedEvent } from '../store/envelope.ts';
import { ACTOR_KINDS } from '../store/envelope.ts';
import { EVENT_TYPE } from '../store/validate-new-event.ts';

export const recordedEventSchema = z.object({
  eventId: z.string(),
  eventType: z.string(),
  schemaVersion: z.number().int(),
  tenantId: z.string(),
  branchId: z.string().nullable(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  version: z.number().int(),
  tenantSeq: z.number().int(),
  occurredAt: z.string().describe('ISO 8601'),
  recordedAt: z.string().describe('ISO 8601, commit time'),
  causationId: z.string().nullable(),
  correlationId: z.string().nullable(),
  actor: z.object({ id: z.string(), kind: z.enum(ACTOR_KINDS), role: z.string() }),
  payload: z.unknown().describe('as stored: sensitive fields stay encrypted envelopes'),
});

export type RecordedEventJson = z.output<typeof recordedEventSchema>;

export function toEventJson(event: RecordedEvent): RecordedEventJson {
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    schemaVersion: event.schemaVersion,
    tenantId: event.tenantId,
    branchId: event.branchId,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    version: event.version,
    tenantSeq: event.tenantSeq,
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    causationId: event.causationId,
    correlationId: event.correlationId,
    actor: event.actor,
    payload: event.payload,
  };
}

/** An ISO 8601 instant with an offset, within years 1-9999 (what PostgreSQL and Date both represent). */
export const instantSchema = z.iso
  .datetime({ offset: true })
  .transform((text) => new Date(text))
  .refine(
    (date) => !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999,
    {
      message: 'must be an instant between years 1 and 9999',
    },
  );

export const limitSchema = z.coerce.number().int().min(1).max(1000).default(100);

/** A query parameter with one value or several (repeated, or comma-separated), each matching `item`. */
export function listSchema(item: z.ZodType<string, string>) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((entry) => entry.split(',')))
    .pipe(z.array(item).min(1).max(50));
}

export const eventTypeSchema = z
  .string()
  .max(128)
  .regex(EVENT_TYPE, 'must be an event type such as booking.created');

/** Cursors are opaque to callers: a kind tag and a position, base64url-encoded. */
export function encodeCursor(kind: string, position: string): string {
  return Buffer.from(`${kind}:${position}`).toString('base64url');
}

/** @throws ValidationError naming `cursor` when the text is not a cursor of this kind. */
export function decodeCursor(kind: string, text: string, pattern: RegExp): string {
  const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(text) ? Buffer.from(text, 'base64url').toString('utf8') : '';
  const position = decoded.startsWith(`${kind}:`) ? decoded.slice(kind.length + 1) : '';
  if (!pattern.test(position))
    throw new ValidationError('cursor', 'is not a cursor this endpoint issued', { in: 'query' });
  return position;
}
