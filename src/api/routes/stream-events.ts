/**
 * GET /v1/streams/:aggregateType/:aggregateId/events — one aggregate's events, a page at a time, forward or
 * backward, optionally as the stream was at an instant. The ETag is the stream's current version (what a
 * command's If-Match must quote); pages never go past that version, so the events and the ETag agree.
 */
import { z } from 'zod';
import { MyMedicError } from '../../shared/errors.ts';
import type { RecordedEvent } from '../../store/envelope.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { defineApiRoute } from '../api-route.ts';
import { etag } from '../concurrency.ts';
import type { PatientRefs } from '../patient-refs.ts';
import { instantSchema, limitSchema, recordedEventSchema, toEventJson } from '../wire.ts';

export class StreamNotFoundError extends MyMedicError {
  constructor(aggregateType: string, aggregateId: string) {
    super('STREAM_NOT_FOUND', `no stream ${aggregateType}/${aggregateId}`, { aggregateType, aggregateId });
    this.name = 'StreamNotFoundError';
  }
}

const MAX_VERSION = Number.MAX_SAFE_INTEGER;

export function streamEventsRoute(patientRefs: PatientRefs) {
  return defineApiRoute({
    method: 'GET',
    url: '/v1/streams/:aggregateType/:aggregateId/events',
    summary: "One aggregate's events",
    tags: ['store'],
    permission: 'streams:read',
    params: z.strictObject({ aggregateType: identifierSchema, aggregateId: identifierSchema }),
    querystring: z.strictObject({
      direction: z.enum(['forward', 'backward']).default('forward'),
      fromVersion: z.coerce.number().int().min(1).max(MAX_VERSION).optional().describe('inclusive'),
      limit: limitSchema,
      asOf: instantSchema.optional().describe('only events recorded at or before this instant'),
    }),
    responses: {
      200: z.object({
        aggregateType: z.string(),
        aggregateId: z.string(),
        streamVersion: z.number().int(),
        events: z.array(recordedEventSchema),
        nextFromVersion: z.number().int().nullable().describe('pass as fromVersion for the next page'),
      }),
    },
    async handler({ params, query }, ctx, reply) {
      const stream = { tenantId: ctx.tenantId, ...params };
      const backward = query.direction === 'backward';
      // Version, events and the disclosure in one transaction: the disclosure commits with the read.
      const { streamVersion, events } = await ctx.transaction(async (tx) => {
        const version = await tx.store.streamVersion(stream);
        if (version === 0) throw new StreamNotFoundError(params.aggregateType, params.aggregateId);
        const page: RecordedEvent[] = [];
        for await (const event of tx.store.readStream(stream, {
          direction: query.direction,
          fromVersion: query.fromVersion ?? (backward ? version : 1),
          toVersion: backward ? 1 : version,
          ...(query.asOf ? { asOf: query.asOf } : {}),
          batchSize: query.limit,
        })) {
          page.push(event);
          if (page.length === query.limit) break;
        }
        await tx.recordDisclosure(page.flatMap((event) => [...patientRefs(event)]));
        return { streamVersion: version, events: page };
      });
      const last = events.at(-1);
      const next = last && events.length === query.limit ? last.version + (backward ? -1 : 1) : null;
      reply.header('etag', etag(streamVersion));
      return {
        ...params,
        streamVersion,
        events: events.map(toEventJson),
        nextFromVersion: next !== null && next >= 1 && next <= streamVersion ? next : null,
      };
    },
  });
}
