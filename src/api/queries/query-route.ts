/**
 * The one way a query route reads a read model: the route says which read models it reads, how to read its
 * answer and which patients the answer names; this file does the rest, the same for every query:
 *
 * - `minTenantSeq` (read-your-writes) is accepted by every query and waited for first (read-your-writes.ts);
 * - the answer is read in one transaction of the caller's tenant (row-level security) and the disclosure of
 *   exactly the patients it names is recorded in that transaction — no row, no response;
 * - a patient caller gets only their own rows: `read` filters by `ctx.ownPatientId`, and an answer that would
 *   still name another patient is refused (403 NOT_OWN_RECORD) before anything leaves.
 *
 * @example
 * export const doctorScheduleRoute = defineQueryRoute({
 *   url: '/v1/doctors/:doctorId/schedule', summary: "A doctor's day", tags: ['schedules'],
 *   permission: 'visits:read', readModels: ['doctor_schedule_view'],
 *   params: z.strictObject({ doctorId: identifierSchema }), querystring: z.strictObject({ date: dateSchema }),
 *   response: doctorDaySchema,
 *   read: ({ params, query }, sql, ctx) => doctorDay(sql, { tenantId: ctx.tenantId, ...params, ...query }),
 *   patientsIn: (day) => day.appointments.map((appointment) => appointment.patientId),
 * });
 */
import { z } from 'zod';
import type { Sql } from '../../store/engines/engine.ts';
import { defineApiRoute, type ApiRoute, type ApiRouteSpec } from '../api-route.ts';
import { etag } from '../concurrency.ts';
import type { RequestContext } from '../request-context.ts';
import { awaitTenantPosition, minTenantSeqSchema } from './read-your-writes.ts';

/** What a query's `read` gets besides its input. */
export interface QueryContext extends RequestContext {
  /** The caller's patient id when the caller is a patient: the answer must hold only their rows. */
  readonly ownPatientId: string | null;
  /** The app clock's reading for this request (e.g. which prices are in force). */
  readonly now: Date;
}

/** Whether a row about this patient belongs in the caller's answer (a patient sees only their own). */
export function visibleTo(ctx: QueryContext, patientId: string): boolean {
  return ctx.ownPatientId === null || ctx.ownPatientId === patientId;
}

type Output<S extends z.ZodType | undefined> = S extends z.ZodType ? z.output<S> : undefined;

export interface QueryInput<P extends z.ZodType | undefined, Q extends z.ZodObject | undefined> {
  readonly params: Output<P>;
  readonly query: Output<Q>;
}

export interface QueryRouteSpec<
  P extends z.ZodType | undefined,
  Q extends z.ZodObject | undefined,
  A,
> extends Omit<ApiRouteSpec<P, Q, undefined>, 'method' | 'body' | 'concurrency' | 'responses' | 'handler'> {
  /** The projections the answer comes from: what `minTenantSeq` waits for. */
  readonly readModels: readonly string[];
  /** The 200 answer, for the OpenAPI document. */
  readonly response: z.ZodType;
  /** Reads the answer inside the request's transaction; a patient caller's answer holds only their rows. */
  read(input: QueryInput<P, Q>, sql: Sql, ctx: QueryContext): Promise<A>;
  /** Every patient the answer names (their disclosure is recorded); none for answers without patient data. */
  patientsIn(answer: A): Iterable<string>;
  /** The answer's aggregate version, sent as ETag (what a command's If-Match quotes). */
  versionOf?(answer: A): number;
}

export function defineQueryRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  A = unknown,
>(spec: QueryRouteSpec<P, Q, A>): ApiRoute {
  const { readModels, response, read, patientsIn, versionOf, querystring, ...route } = spec;
  const withPosition = ((querystring ?? z.strictObject({})) as z.ZodObject).extend({
    minTenantSeq: minTenantSeqSchema,
  });
  return {
    method: 'GET',
    url: spec.url,
    register(app, services) {
      defineApiRoute({
        ...route,
        method: 'GET',
        querystring: withPosition,
        responses: { 200: response },
        async handler({ params, query }, ctx, reply) {
          const { minTenantSeq, ...rest } = query as { minTenantSeq?: number };
          if (minTenantSeq !== undefined) {
            await awaitTenantPosition(services.projections, ctx, reply, readModels, minTenantSeq);
          }
          const { actor } = ctx.principal;
          const queryCtx: QueryContext = {
            ...ctx,
            ownPatientId: actor.kind === 'patient' ? actor.id : null,
            now: services.clock(),
          };
          const input = { params, query: rest } as QueryInput<P, Q>;
          const answer = await ctx.transaction(async (tx) => {
            const found = await read(input, tx.sql, queryCtx);
            const patients = [...new Set(patientsIn(found))];
            for (const patientId of patients) ctx.requireOwnRecord(patientId);
            await tx.recordDisclosure(patients);
            return found;
          });
          if (versionOf) reply.header('etag', etag(versionOf(answer)));
          return answer;
        },
      }).register(app, services);
    },
  };
}
