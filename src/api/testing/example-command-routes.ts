/**
 * Test support, and the pattern for real command endpoints: a tiny "note" aggregate created and amended
 * through defineApiRoute, with the patient's own-record check, If-Match, ETag, the request's metadata on every
 * event, and a business rule refusal.
 */
import { z } from 'zod';
import { DomainRuleError } from '../../domain/shared/domain-rule-error.ts';
import { uuidV7 } from '../../shared/uuid-v7.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { defineApiRoute } from '../api-route.ts';
import { assertExpectedVersion, etag } from '../concurrency.ts';
import type { RequestContext } from '../request-context.ts';

const noteBody = z.strictObject({
  patientId: identifierSchema,
  text: z.string().min(1).max(2000),
  occurredAt: z.iso.datetime({ offset: true }),
});

const noteParams = z.strictObject({ noteId: identifierSchema });

const accepted = z.object({ noteId: z.string(), version: z.number().int() });

function noteEvent(ctx: RequestContext, eventType: string, body: z.output<typeof noteBody>) {
  return {
    eventId: uuidV7(),
    eventType,
    schemaVersion: 1,
    occurredAt: new Date(body.occurredAt),
    ...ctx.eventMetadata,
    payload: { patientId: body.patientId, text: body.text },
  };
}

export const createNote = defineApiRoute({
  method: 'POST',
  url: '/v1/test-notes/:noteId',
  summary: 'Create a note (example command)',
  tags: ['example'],
  permission: 'patients:write',
  concurrency: 'create',
  params: noteParams,
  body: noteBody,
  responses: { 201: accepted },
  async handler({ params, body, expectedVersion }, ctx, reply) {
    ctx.requireOwnRecord(body.patientId);
    const stream = { tenantId: ctx.tenantId, aggregateType: 'note', aggregateId: params.noteId };
    const result = await ctx.store.appendToStream(stream, expectedVersion, [
      noteEvent(ctx, 'note.created', body),
    ]);
    const version = result.versions[0]!;
    reply.code(201).header('etag', etag(version));
    return { noteId: params.noteId, version };
  },
});

export const amendNote = defineApiRoute({
  method: 'POST',
  url: '/v1/test-notes/:noteId/amend',
  summary: 'Amend a note (example command)',
  tags: ['example'],
  permission: 'patients:write',
  concurrency: 'update',
  params: noteParams,
  body: noteBody,
  responses: { 200: accepted },
  async handler({ params, body, expectedVersion }, ctx, reply) {
    ctx.requireOwnRecord(body.patientId);
    const stream = { tenantId: ctx.tenantId, aggregateType: 'note', aggregateId: params.noteId };
    // Load, check the caller decided on what is current, decide, append at the loaded version: one transaction.
    const result = await ctx.transaction(async (tx) => {
      const current = await tx.store.streamVersion(stream);
      assertExpectedVersion(stream, expectedVersion, current);
      if (body.text === 'FORBIDDEN') {
        throw new DomainRuleError('NOTE_TEXT_REFUSED', 'this text is refused', { noteId: params.noteId });
      }
      return tx.store.appendToStream(stream, current, [noteEvent(ctx, 'note.amended', body)]);
    });
    const version = result.versions[0]!;
    reply.header('etag', etag(version));
    return { noteId: params.noteId, version };
  },
});
