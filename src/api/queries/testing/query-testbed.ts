/**
 * Test support for the query routes: an app serving them on a test database, read models built from a history
 * written through the command side, API keys per tenant and role (made on first use), and what each response
 * disclosed according to the accounting of disclosures.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Projection } from '../../../projections/projection.ts';
import { ProjectionRuntime } from '../../../projections/projection-runtime.ts';
import type { Engine } from '../../../store/engines/engine.ts';
import type { AppendResult } from '../../../store/event-store.ts';
import { ROLES, type RoleName } from '../../../tenancy/roles.ts';
import { allTenantsEngine } from '../../../tenancy/scoped-engine.ts';
import type { ApiRoute } from '../../api-route.ts';
import { buildApp, type BuildAppOptions } from '../../app.ts';
import { bearer, seedApiKey, seedTenant } from '../../testing/api-fixture.ts';
import { QUERY_ROUTES } from '../query-routes.ts';

export interface QueryTestbed {
  readonly app: FastifyInstance;
  /**
   * GETs `url` as an actor of `role` in `tenantId` (a patient's actor id is `actorId`, their patient id).
   * @example await testbed.get('clinic-a', 'front_desk', '/v1/slots?date=2026-12-07')
   */
  get(
    tenantId: string,
    role: RoleName,
    url: string,
    options?: { actorId?: string; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  /** The patients the accounting of disclosures holds for the response's request, sorted. */
  disclosed(response: LightMyRequestResponse): Promise<string[]>;
  close(): Promise<void>;
}

/** Creates the tenants (as an operator would) and an app with the query routes (or `routes`) on `engine`. */
export async function openQueryTestbed(
  engine: Engine,
  tenantIds: readonly string[],
  options: Omit<BuildAppOptions, 'engine'> = {},
): Promise<QueryTestbed> {
  for (const tenantId of tenantIds) await seedTenant(engine, tenantId);
  const routes: readonly ApiRoute[] = options.routes ?? QUERY_ROUTES;
  const app = await buildApp({ ...options, engine, routes });
  const keys = new Map<string, Promise<string>>();
  const keyOf = (tenantId: string, role: RoleName, actorId: string) => {
    const id = `${tenantId}/${role}/${actorId}`;
    let key = keys.get(id);
    if (key === undefined) {
      key = seedApiKey(engine, tenantId, { actorId, kind: ROLES[role].kinds[0], role });
      keys.set(id, key);
    }
    return key;
  };
  return {
    app,
    async get(tenantId, role, url, { actorId = `${role}-1`, headers = {} } = {}) {
      const key = await keyOf(tenantId, role, actorId);
      return app.inject({ method: 'GET', url, headers: { ...bearer(key), ...headers } });
    },
    async disclosed(response) {
      const { rows } = await allTenantsEngine(engine).query<{ patient_id: string }>(
        'select patient_id from mymedic.disclosures where request_id = $1 order by patient_id',
        [response.headers['x-request-id']],
      );
      return rows.map((row) => row.patient_id);
    },
    close: () => app.close(),
  };
}

/** Runs the projections until they have processed `appends`, then stops them. */
export async function buildReadModels(
  engine: Engine,
  projections: readonly Projection[],
  appends: readonly AppendResult[],
): Promise<void> {
  const runtime = new ProjectionRuntime(engine, { projections, pollIntervalMs: 100 });
  await runtime.start();
  try {
    // Generous: a busy machine, or a transaction left open elsewhere on the server, delays the global feed.
    for (const append of appends) await runtime.waitFor(append, { timeoutMs: 60_000 });
  } finally {
    await runtime.stop();
  }
}
