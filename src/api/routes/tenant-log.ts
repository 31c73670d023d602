/**
 * GET /v1/log — the caller's tenant log in tenant_seq (commit) order, filtered by branch, aggregate types,
 * event types and time windows, a page at a time behind an opaque cursor.
 */
import { z } from 'zod';
import type { RecordedEvent } from '../../store/envelope.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { defineApiRoute } from '../api-route.ts';
import type { PatientRefs } from '../patient-refs.ts';
import {
  decodeCursor,
  encodeCursor,
  eventTypeSchema,
  instantSchema,
  limitSchema,
  listSchema,
  recordedEventSchema,
  toEventJson,
} from '../wire.ts';

const CURSOR_KIND = 'log';
const SEQ = /^(0|[1-9][0-9]{0,15})$/;

export function tenantLogRoute(patientRefs: PatientRefs) {
  return defineApiRoute({
    method: 'GET',
    url: '/v1/log',
    summary: "The caller's tenant log, in commit order",
    tags: ['store'],
    permission: 'log:read',
    querystring: z.strictObject({
      cursor: z.string().optional().describe("the previous page's nextCursor"),
      limit: limitSchema,
      branchId: identifierSchema.optional(),
      aggregateType: listSchema(identifierSchema)
        .optional()
        .describe('one or more, repeated or comma-separated'),
      eventType: listSchema(eventTypeSchema).optional().describe('one or more, repeated or comma-separated'),
      recordedFrom: instantSchema.optional().describe('commit time window [from, to)'),
      recordedTo: instantSchema.optional(),
      occurredFrom: instantSchema.optional().describe('business time window [from, to)'),
      occurredTo: instantSchema.optional(),
    }),
    responses: {
      200: z.object({
        events: z.array(recordedEventSchema),
        nextCursor: z.string().nullable().describe('null when this page reached the end of the log'),
      }),
    },
    async handler({ query }, ctx) {
      const afterTenantSeq = query.cursor ? Number(decodeCursor(CURSOR_KIND, query.cursor, SEQ)) : 0;
      const events = await ctx.transaction(async (tx) => {
        const page: RecordedEvent[] = [];
        for await (const event of tx.store.readTenantLog(ctx.tenantId, {
          afterTenantSeq,
          limit: query.limit,
          batchSize: query.limit,
          ...(query.branchId ? { branchId: query.branchId } : {}),
          ...(query.aggregateType ? { aggregateTypes: query.aggregateType } : {}),
          ...(query.eventType ? { eventTypes: query.eventType } : {}),
          ...(query.recordedFrom ? { recordedFrom: query.recordedFrom } : {}),
          ...(query.recordedTo ? { recordedTo: query.recordedTo } : {}),
          ...(query.occurredFrom ? { occurredFrom: query.occurredFrom } : {}),
          ...(query.occurredTo ? { occurredTo: query.occurredTo } : {}),
        })) {
          page.push(event);
        }
        await tx.recordDisclosure(page.flatMap((event) => [...patientRefs(event)]));
        return page;
      });
      const last = events.at(-1);
      return {
        events: events.map(toEventJson),
        nextCursor:
          last && events.length === query.limit ? encodeCursor(CURSOR_KIND, String(last.tenantSeq)) : null,
      };
    },
  });
}
