import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { PostgresEngine } from '../store/engines/postgres-engine.ts';
import { openTestDatabase, type TestDatabase } from '../store/testing/test-engines.ts';
import { buildApp } from './app.ts';
import { createNote } from './testing/example-command-routes.ts';
import { bearer, seedApiKey, seedTenant } from './testing/api-fixture.ts';
import { seedEvents } from './testing/seed-events.ts';

const REQUESTS = Number(process.env['MYMEDIC_ISOLATION_REQUESTS'] ?? 10_000);
const IN_FLIGHT = 48;
const TENANTS = ['tenant-a', 'tenant-b'] as const;

describe('two tenants interleaved over a pool of 3 connections [postgres]', () => {
  let database: TestDatabase;
  let pool: PostgresEngine;
  let app: FastifyInstance;
  const bed = {
    get engine() {
      return pool;
    },
    get app() {
      return app;
    },
  };
  const keys = new Map<string, string>();

  before(async () => {
    database = await openTestDatabase('postgres');
    // Isolation, not durability, is under test: commits need not wait for the disk, which other suites share.
    await database.engine.query(
      `alter database ${database.url!.split('/').at(-1)} set synchronous_commit = off`,
    );
    pool = new PostgresEngine({ connectionString: database.url!, maxConnections: 3 });
    app = await buildApp({ engine: pool, routes: [createNote] });
    for (const tenantId of TENANTS) {
      await seedTenant(bed.engine, tenantId);
      keys.set(
        tenantId,
        await seedApiKey(bed.engine, tenantId, { actorId: 'fd-1', kind: 'staff', role: 'front_desk' }),
      );
      await seedEvents(
        bed.engine,
        tenantId,
        Array.from({ length: 5 }, () => ({
          aggregateType: 'patient',
          aggregateId: 'p-shared',
          eventType: 'patient.registered',
          payload: { patientId: 'p-shared', owner: tenantId },
        })),
      );
    }
  });
  after(async () => {
    await app.close();
    await pool.close();
    await database.dispose();
  });

  it(`${REQUESTS} requests never see or write across tenants`, async () => {
    const writes = new Map<string, number>(TENANTS.map((tenantId) => [tenantId, 0]));
    let next = 0;
    const started = performance.now();
    async function worker(): Promise<void> {
      while (next < REQUESTS) {
        const i = next++;
        const tenantId = TENANTS[i % 2]!;
        const headers = bearer(keys.get(tenantId)!);
        const kind = Math.floor(i / 2) % 10;
        if (kind < 1) {
          const response = await bed.app.inject({
            method: 'POST',
            url: `/v1/test-notes/n-${i}`,
            headers,
            payload: { patientId: `p-${i}`, text: tenantId, occurredAt: '2026-11-27T09:00:00Z' },
          });
          assert.equal(response.statusCode, 201, response.body);
          writes.set(tenantId, writes.get(tenantId)! + 1);
        } else if (kind < 9) {
          const url = kind < 6 ? '/v1/log?limit=5' : '/v1/streams/patient/p-shared/events?limit=10';
          const response = await bed.app.inject({ url, headers });
          assert.equal(response.statusCode, 200, response.body);
          const events = response.json().events as {
            tenantId: string;
            payload: { owner?: string; text?: string };
          }[];
          assert.ok(events.length > 0);
          for (const event of events) {
            assert.equal(event.tenantId, tenantId);
            assert.equal(event.payload.owner ?? event.payload.text, tenantId);
          }
        } else {
          assert.equal((await bed.app.inject({ url: '/v1/whoami', headers })).json().tenantId, tenantId);
        }
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (performance.now() - started) / 1000;
    console.error(
      `# ${REQUESTS} interleaved requests in ${seconds.toFixed(1)} s (${Math.round(REQUESTS / seconds)}/s) on 3 connections`,
    );

    const { rows } = await bed.engine.query<{ tenant_id: string; text: string; n: string }>(
      "select tenant_id, payload ->> 'text' as text, count(*) as n from mymedic.events where aggregate_type = 'note' group by 1, 2",
    );
    assert.deepEqual(
      rows.map((row) => [row.tenant_id, row.text, Number(row.n)]).sort(),
      TENANTS.map((tenantId) => [tenantId, tenantId, writes.get(tenantId)]),
    );
    const disclosures = await bed.engine.query<{ tenant_id: string; credential_id: string }>(
      'select distinct tenant_id, credential_id from mymedic.disclosures',
    );
    assert.deepEqual(
      disclosures.rows.map((row) => [row.tenant_id, row.credential_id]).sort(),
      TENANTS.map((tenantId) => [tenantId, keys.get(tenantId)!.split('.')[1]]),
    );
  });
});
