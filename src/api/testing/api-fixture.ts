/**
 * Test support: tenants and API keys created the way an operator would, and request headers carrying them.
 */
import type { FastifyInstance } from 'fastify';
import { testMasterKeys } from '../../commands/testing/clinic-fixture.ts';
import type { Engine, EngineKind } from '../../store/engines/engine.ts';
import { openTestDatabase, type TestDatabase } from '../../store/testing/test-engines.ts';
import { createApiKey } from '../../tenancy/credentials/credential-store.ts';
import type { NewApiKey } from '../../tenancy/credentials/credential-schemas.ts';
import { allTenantsEngine, tenantScopedEngine } from '../../tenancy/scoped-engine.ts';
import { createTenant } from '../../tenancy/tenants.ts';
import { buildApp, type BuildAppOptions } from '../app.ts';

export async function seedTenant(engine: Engine, tenantId: string): Promise<void> {
  await allTenantsEngine(engine).transaction((tx) => createTenant(tx, tenantId, `Tenant ${tenantId}`));
}

/** Creates an API key for the actor and returns the bearer token. */
export async function seedApiKey(engine: Engine, tenantId: string, actor: NewApiKey): Promise<string> {
  const created = await tenantScopedEngine(engine, tenantId).transaction((tx) =>
    createApiKey(tx, tenantId, actor),
  );
  return created.apiKey;
}

export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}

export interface ApiTestbed {
  readonly app: FastifyInstance;
  readonly engine: Engine;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/** A fresh migrated database of the given engine and an app on it (with throwaway master keys by default). */
export async function openApiTestbed(
  kind: EngineKind,
  options: Omit<BuildAppOptions, 'engine'> & { maxConnections?: number } = {},
): Promise<ApiTestbed> {
  const { maxConnections, ...appOptions } = options;
  const database = await openTestDatabase(kind, maxConnections ? { maxConnections } : {});
  const app = await buildApp({ masterKeys: testMasterKeys(), ...appOptions, engine: database.engine });
  return {
    app,
    engine: database.engine,
    database,
    close: async () => {
      await app.close();
      await database.dispose();
    },
  };
}
