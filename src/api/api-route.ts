/**
 * The extension point for endpoints under /v1: a route is data (method, url, permission, zod schemas for
 * params, query and body, concurrency mode, documented responses) plus a handler that receives the parsed
 * input and the request's context. Registration adds authentication, the permission check (both before the
 * body is read), validation, OpenAPI documentation and problem documents; the handler does only its job.
 *
 * @example
 * export const cancelBooking = defineApiRoute({
 *   method: 'POST', url: '/v1/bookings/:bookingId/cancel', summary: 'Cancel a booking', tags: ['bookings'],
 *   permission: 'bookings:write', concurrency: 'update',
 *   params: z.strictObject({ bookingId: identifierSchema }),
 *   body: z.strictObject({ reason: z.string().max(500) }),
 *   responses: { 200: bookingView },
 *   async handler({ params, body, expectedVersion }, ctx, reply) {
 *     const stream = { tenantId: ctx.tenantId, aggregateType: 'booking', aggregateId: params.bookingId };
 *     // load → assertExpectedVersion(stream, expectedVersion, loaded.version) → decide → append
 *     const result = await ctx.store.appendToStream(stream, loaded.version, events);  // events carry ctx.eventMetadata
 *     reply.header('etag', etag(result.versions[0]!));
 *     return view;
 *   },
 * });
 * // buildApp({ engine, routes: [cancelBooking] })
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { z } from 'zod';
import type { ExpectedVersion } from '../store/expected-version.ts';
import type { MasterKeys } from '../compliance/master-key.ts';
import type { ProjectionRuntime } from '../projections/projection-runtime.ts';
import type { Authenticator } from '../tenancy/authenticator.ts';
import type { Principal } from '../tenancy/principal.ts';
import { requirePermission } from '../tenancy/principal.ts';
import { PURPOSES_OF_USE, type PurposeOfUse } from '../tenancy/purpose-of-use.ts';
import type { Permission } from '../tenancy/roles.ts';
import type { Engine } from '../store/engines/engine.ts';
import { expectedVersionFrom, type ConcurrencyMode } from './concurrency.ts';
import type { ApiMetrics } from './metrics.ts';
import type { PatientRefs } from './patient-refs.ts';
import { problemSchema } from './problem-details.ts';
import { createRequestContext, type RequestContext } from './request-context.ts';

/** What every /v1 route needs from the application. */
export interface ApiServices {
  readonly engine: Engine;
  readonly authenticator: Authenticator;
  readonly metrics: ApiMetrics;
  readonly patientRefs: PatientRefs;
  /** Business time: the `now` of every command a request runs (the domain never reads a clock). */
  readonly clock: () => Date;
  /** Wrap patient data keys; command routes refuse to register without them. */
  readonly masterKeys?: MasterKeys;
  /** The read models' runtime in this process: query routes wait on it for read-your-writes. */
  readonly projections?: Pick<ProjectionRuntime, 'waitFor'>;
}

type Optional<S extends z.ZodType | undefined> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
> {
  readonly params: Optional<P>;
  readonly query: Optional<Q>;
  readonly body: Optional<B>;
  /** From If-Match, per the route's concurrency mode; 'any' when it has none. */
  readonly expectedVersion: ExpectedVersion;
}

export interface ApiRouteSpec<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
> {
  readonly method: Extract<HTTPMethods, 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'>;
  readonly url: `/v1/${string}`;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** What the caller's role must grant, or 'authenticated' for any valid credential. */
  readonly permission: Permission | 'authenticated';
  readonly params?: P;
  readonly querystring?: Q;
  readonly body?: B;
  /** Commands only: how If-Match is read (see concurrency.ts). */
  readonly concurrency?: ConcurrencyMode;
  /** Documented success responses by status; errors are always problem documents. */
  readonly responses: Readonly<Record<number, z.ZodType>>;
  handler(input: RouteInput<P, Q, B>, ctx: RequestContext, reply: FastifyReply): Promise<unknown>;
}

/** A route ready to register; the type parameters stay inside. */
export interface ApiRoute {
  readonly method: string;
  readonly url: string;
  register(app: FastifyInstance, services: ApiServices): void;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, on /v1 routes once the onRequest hooks ran. */
    principal: Principal | undefined;
  }
}

export function defineApiRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: ApiRouteSpec<P, Q, B>): ApiRoute {
  return {
    method: spec.method,
    url: spec.url,
    register: (app, services) => registerRoute(app, services, spec),
  };
}

const purposeHeader = z
  .enum(Object.keys(PURPOSES_OF_USE) as [PurposeOfUse, ...PurposeOfUse[]])
  .optional()
  .describe('why patient data is read (HL7 PurposeOfUse); default per role');

function registerRoute<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
>(app: FastifyInstance, services: ApiServices, spec: ApiRouteSpec<P, Q, B>): void {
  const headers = z.looseObject({
    'x-purpose-of-use': purposeHeader,
    'x-correlation-id': z
      .string()
      .optional()
      .describe('kept when 1-128 identifier characters, else replaced'),
    ...(spec.concurrency
      ? { 'if-match': z.string().optional().describe(`"<version>" or *; ${spec.concurrency} command`) }
      : {}),
  });
  app.route({
    method: spec.method,
    url: spec.url,
    schema: {
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [...spec.tags],
      security: [{ bearer: [] }],
      headers,
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.querystring ? { querystring: spec.querystring } : {}),
      ...(spec.body ? { body: spec.body } : {}),
      response: { ...spec.responses, '4xx': problemSchema, '5xx': problemSchema },
    },
    // Before the body is read: a caller without a valid credential or the permission learns nothing more.
    onRequest: async (request: FastifyRequest) => {
      const principal = await services.authenticator.authenticate(request.headers.authorization);
      if (spec.permission !== 'authenticated') requirePermission(principal, spec.permission);
      request.principal = principal;
    },
    handler: async (request, reply) => {
      const ctx = createRequestContext(request, request.principal!, services.engine, services.metrics);
      const expectedVersion = spec.concurrency
        ? expectedVersionFrom(headerValue(request.headers['if-match']), spec.concurrency)
        : 'any';
      const input = {
        params: request.params,
        query: request.query,
        body: request.body,
        expectedVersion,
      } as RouteInput<P, Q, B>;
      const result = await spec.handler(input, ctx, reply);
      if (reply.sent) return reply;
      return result === undefined ? reply.code(204).send() : result;
    },
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
