/**
 * The HTTP service: a Fastify instance with JSON under /v1, zod-validated requests, the OpenAPI document,
 * problem documents for every error, correlation ids, bearer authentication, per-tenant database scope,
 * metrics and redacted logs. Command endpoints are added as `routes` (see api-route.ts).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { MasterKeys } from '../compliance/master-key.ts';
import { ALL_MIGRATIONS } from '../migration-sets.ts';
import type { Engine } from '../store/engines/engine.ts';
import type { MigrationSet } from '../store/migrate.ts';
import { Authenticator } from '../tenancy/authenticator.ts';
import type { ApiRoute, ApiServices } from './api-route.ts';
import { newRequestId, registerCorrelation } from './correlation.ts';
import { registerErrorHandling, sendProblem } from './error-handler.ts';
import { loggerOptions, type LogOptions } from './logging.ts';
import { ApiMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { patientRefsOf, type PatientRefs } from './patient-refs.ts';
import type { WorkersProbe } from './readiness.ts';
import { disclosuresRoute } from './routes/disclosures.ts';
import { createKeyRoute, revokeKeyRoute } from './routes/keys.ts';
import { registerOperations } from './routes/operations.ts';
import { streamEventsRoute } from './routes/stream-events.ts';
import { tenantLogRoute } from './routes/tenant-log.ts';
import { whoamiRoute } from './routes/whoami.ts';
import { jsonSerializerCompiler, zodValidatorCompiler } from './zod-schemas.ts';

export interface BuildAppOptions {
  /** The base engine (the login role); the app scopes it per request and never closes it. */
  readonly engine: Engine;
  /** Endpoints beyond the built-in ones, e.g. the domain's commands. */
  readonly routes?: readonly ApiRoute[];
  /** What /ready requires to be applied (default: every module's migrations). */
  readonly migrations?: readonly MigrationSet[];
  /** JSON logs (default: none). */
  readonly log?: LogOptions;
  /** Pass one to report projection lag through it. */
  readonly metrics?: ApiMetrics;
  /** The service's background workers, whose state and lag /ready reports. */
  readonly workers?: WorkersProbe;
  /** Which patients an event concerns, for the accounting of disclosures. */
  readonly patientRefs?: PatientRefs;
  /** Time for token expiry checks, the credential cache and commands' `now` (tests move it). */
  readonly clock?: () => Date;
  /** Wrap patient data keys (see compliance); required by command routes, which encrypt patient fields. */
  readonly masterKeys?: MasterKeys;
  /** The projection runtime, if this process runs one: query routes wait on it (`minTenantSeq`). */
  readonly projections?: ApiServices['projections'];
  /** How long a looked-up credential is reused (default 5 s, 0 = never): the delay of a revocation made elsewhere. */
  readonly credentialCacheMs?: number;
  /** Largest accepted request body, bytes (default 256 KiB). */
  readonly bodyLimit?: number;
}

/**
 * @example
 * const app = await buildApp({ engine, routes: [cancelBooking] });
 * await app.listen({ port: 3000 });
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.log ? loggerOptions(options.log) : false,
    genReqId: newRequestId,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    // A HEAD on a read would run it, and record a disclosure, for nothing: only declared methods exist.
    exposeHeadRoutes: false,
    frameworkErrors: (error, request, reply) => {
      sendProblem(error, request, reply);
    },
  });
  const metrics = options.metrics ?? new ApiMetrics();
  const patientRefs = options.patientRefs ?? patientRefsOf;
  const authenticator = new Authenticator(options.engine, {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.credentialCacheMs !== undefined ? { cacheTtlMs: options.credentialCacheMs } : {}),
  });
  const services: ApiServices = {
    engine: options.engine,
    authenticator,
    metrics,
    patientRefs,
    clock: options.clock ?? (() => new Date()),
    ...(options.masterKeys ? { masterKeys: options.masterKeys } : {}),
    ...(options.projections ? { projections: options.projections } : {}),
  };

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(jsonSerializerCompiler);
  // JSON only: any other body is refused with 415 before a handler runs.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('principal', undefined);
  registerCorrelation(app);
  registerErrorHandling(app);
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  await registerOpenApi(app);
  registerOperations(app, options.engine, options.migrations ?? ALL_MIGRATIONS, metrics, options.workers);
  const routes = [
    whoamiRoute,
    streamEventsRoute(patientRefs),
    tenantLogRoute(patientRefs),
    disclosuresRoute,
    createKeyRoute,
    revokeKeyRoute(authenticator),
    ...(options.routes ?? []),
  ];
  for (const route of routes) route.register(app, services);
  return app;
}
