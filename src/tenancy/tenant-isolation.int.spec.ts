import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { uuidV7 } from '../shared/uuid-v7.ts';
import type { Engine } from '../store/engines/engine.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { createApiKey } from './credentials/credential-store.ts';
import { recordDisclosures } from './disclosures.ts';
import { allTenantsEngine, tenantScopedEngine } from './scoped-engine.ts';
import { enableTenantIsolation } from './tenant-isolation.ts';
import { createTenant } from './tenants.ts';

const TENANTS = ['tenant-a', 'tenant-b'] as const;

/** Every tenant table the migrations create; the catalog test also finds any that are missing here. */
const TENANT_TABLES = [
  'mymedic.events',
  'mymedic.streams',
  'mymedic.tenant_heads',
  'mymedic.patient_keys',
  'mymedic.patient_erasures',
  'mymedic.legal_holds',
  'mymedic.tenants',
  'mymedic.credentials',
  'mymedic.disclosures',
];

const ACTOR = { id: 'staff-1', kind: 'staff' as const, role: 'front_desk' };

/** Rows of both tenants in every tenant table, written by the owner (who bypasses nothing but, here, is a superuser). */
async function seedBothTenants(engine: Engine): Promise<void> {
  const store = new PgEventStore(engine);
  for (const tenantId of TENANTS) {
    await allTenantsEngine(engine).transaction((tx) => createTenant(tx, tenantId, tenantId));
    await tenantScopedEngine(engine, tenantId).transaction(async (tx) => {
      await createApiKey(tx, tenantId, { actorId: 'aud-1', kind: 'auditor', role: 'auditor' });
      await recordDisclosures(tx, tenantId, ['p-1'], {
        actor: ACTOR,
        credentialId: 'c',
        purpose: 'TREAT',
        endpoint: 'GET /x',
        requestId: 'r',
        correlationId: 'c',
      });
    });
    await store.appendToStream({ tenantId, aggregateType: 'patient', aggregateId: 'p-1' }, 'no_stream', [
      {
        eventId: uuidV7(),
        eventType: 'patient.registered',
        schemaVersion: 1,
        occurredAt: new Date(),
        actor: ACTOR,
        payload: { patientId: 'p-1' },
      },
    ]);
    await engine.query(
      `insert into mymedic.patient_keys (tenant_id, patient_id, key_id, master_key_id, wrap_iv, wrapped_key)
       values ($1, 'p-1', $2, 'm', '\\x00', '\\x00')`,
      [tenantId, `k-${tenantId}`],
    );
    await engine.query(
      `insert into mymedic.patient_erasures (erasure_id, tenant_id, patient_id, outcome, reason, actor)
       values ($1, $2, 'p-1', 'refused', 'r', '{}')`,
      [uuidV7(), tenantId],
    );
    await engine.query(
      `insert into mymedic.legal_holds (hold_id, tenant_id, patient_id, reason, placed_by)
       values ($1, $2, 'p-1', 'r', '{}')`,
      [uuidV7(), tenantId],
    );
  }
}

async function countByTenant(engine: Engine, table: string): Promise<Record<string, number>> {
  const { rows } = await engine.query<{ tenant_id: string; n: string }>(
    `select tenant_id, count(*) as n from ${table} group by tenant_id`,
  );
  return Object.fromEntries(rows.map((row) => [row.tenant_id, Number(row.n)]));
}

describeEachEngine('tenant isolation in SQL', (db) => {
  before(async () => {
    await seedBothTenants(db().engine);
  });

  it('every table with a tenant_id that the application role can read has RLS enabled, forced and the policy', async () => {
    const { rows } = await db().engine.query<{
      name: string;
      rls: boolean;
      forced: boolean;
      policy: boolean;
    }>(
      `select n.nspname || '.' || c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
              exists (select 1 from pg_policy p where p.polrelid = c.oid and p.polname = 'tenant_isolation') as policy
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p', 'v', 'm')
          and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
          and has_table_privilege('mymedic_app', c.oid, 'select')`,
    );
    const names = rows.map((row) => row.name);
    for (const table of TENANT_TABLES)
      assert.ok(names.includes(table), `${table} is not readable by the app`);
    const unprotected = rows.filter((row) => !(row.rls && row.forced && row.policy)).map((row) => row.name);
    assert.deepEqual(
      unprotected,
      [],
      'readable by mymedic_app without forced RLS: call mymedic.enable_tenant_isolation(<table>) in its migration',
    );
  });

  it("a tenant's scope sees its own rows and none of the other tenant's, in every tenant table", async () => {
    for (const tenantId of TENANTS) {
      const scoped = tenantScopedEngine(db().engine, tenantId);
      for (const table of TENANT_TABLES) {
        const counts = await countByTenant(scoped, table);
        assert.deepEqual(
          Object.keys(counts),
          [tenantId],
          `${tenantId} in ${table}: ${JSON.stringify(counts)}`,
        );
      }
    }
  });

  it('the application role without a tenant set sees nothing at all', async () => {
    for (const table of TENANT_TABLES) {
      const counts = await db().engine.transaction(async (tx) => {
        await tx.query('set local role mymedic_app');
        const { rows } = await tx.query<{ n: string }>(`select count(*) as n from ${table}`);
        return Number(rows[0]!.n);
      });
      assert.equal(counts, 0, table);
    }
  });

  it('the all-tenants scope (workers) sees and appends for both tenants', async () => {
    for (const tenantId of TENANTS) {
      await new PgEventStore(allTenantsEngine(db().engine)).appendToStream(
        { tenantId, aggregateType: 'worker', aggregateId: 'w-1' },
        'no_stream',
        [
          {
            eventId: uuidV7(),
            eventType: 'worker.ran',
            schemaVersion: 1,
            occurredAt: new Date(),
            actor: ACTOR,
            payload: {},
          },
        ],
      );
    }
    for (const table of TENANT_TABLES) {
      assert.deepEqual(
        Object.keys(await countByTenant(allTenantsEngine(db().engine), table)).sort(),
        [...TENANTS],
        table,
      );
    }
  });

  it("a tenant's scope cannot write another tenant's rows", async () => {
    const scopedA = tenantScopedEngine(db().engine, 'tenant-a');
    await assert.rejects(
      new PgEventStore(scopedA).appendToStream(
        { tenantId: 'tenant-b', aggregateType: 'patient', aggregateId: 'p-9' },
        'any',
        [
          {
            eventId: uuidV7(),
            eventType: 'patient.registered',
            schemaVersion: 1,
            occurredAt: new Date(),
            actor: ACTOR,
            payload: {},
          },
        ],
      ),
      { code: '42501' },
    );
    await assert.rejects(
      scopedA.transaction((tx) =>
        recordDisclosures(tx, 'tenant-b', ['p-1'], {
          actor: ACTOR,
          credentialId: 'c',
          purpose: 'TREAT',
          endpoint: 'x',
          requestId: 'r',
          correlationId: 'c',
        }),
      ),
      { code: '42501' },
    );
    const revoked = await scopedA.query(
      "update mymedic.credentials set revoked_at = now() where tenant_id = 'tenant-b'",
    );
    assert.equal(revoked.rowCount, 0);
    const written = await db().engine.query<{ n: string }>(
      "select count(*) as n from mymedic.events where aggregate_id = 'p-9'",
    );
    assert.equal(Number(written.rows[0]!.n), 0);
  });

  it('the application may change only revoked_at of a credential, and no one may change a disclosure', async () => {
    const scopedA = tenantScopedEngine(db().engine, 'tenant-a');
    await assert.rejects(scopedA.query("update mymedic.credentials set actor_role = 'tenant_admin'"), {
      code: '42501',
    });
    await assert.rejects(scopedA.query('delete from mymedic.events'), { code: '42501' });
    await assert.rejects(db().engine.query("update mymedic.disclosures set purpose = 'HLEGAL'"), {
      code: 'MMIMM',
    });
    await assert.rejects(db().engine.query('delete from mymedic.disclosures'), { code: 'MMIMM' });
  });

  it('a scoped transaction may not end itself or change its role, but may use savepoints', async () => {
    const scoped = tenantScopedEngine(db().engine, 'tenant-a');
    for (const statement of [
      'commit',
      'ROLLBACK',
      'begin',
      'set role postgres',
      'reset role',
      '  set session authorization postgres',
    ]) {
      await assert.rejects(
        scoped.transaction((tx) => tx.query(statement)),
        { code: 'SCOPE_ESCAPE_REFUSED' },
        statement,
      );
    }
    const count = await scoped.transaction(async (tx) => {
      await tx.query('savepoint s');
      await tx.query('rollback to savepoint s');
      await tx.query('release savepoint s');
      const { rows } = await tx.query<{ n: string }>(
        "select count(*) as n from mymedic.events where aggregate_type = 'patient'",
      );
      return rows[0]!.n;
    });
    assert.equal(Number(count), 1);
  });

  it('leaves no role or tenant behind on the connection after a scoped transaction', async () => {
    await tenantScopedEngine(db().engine, 'tenant-a').query('select 1');
    await assert.rejects(
      tenantScopedEngine(db().engine, 'tenant-a').transaction(() => Promise.reject(new Error('x'))),
    );
    const { rows } = await db().engine.query<{ role: string; tenant: string | null }>(
      "select current_user as role, nullif(current_setting('mymedic.tenant_id', true), '') as tenant",
    );
    assert.deepEqual(rows[0], {
      role: rows[0]!.role === 'mymedic_app' ? 'leaked' : rows[0]!.role,
      tenant: null,
    });
  });

  it('passes query options (array rows, prepared statements) through a scope and its transactions', async () => {
    const scoped = tenantScopedEngine(db().engine, 'tenant-a');
    const options = { arrayRows: true, prepareAs: 'isolation_probe_tenant' };
    const direct = await scoped.query(`select current_setting('mymedic.tenant_id') as t`, [], options);
    const inside = await scoped.transaction((sql) =>
      sql.query(`select current_setting('mymedic.tenant_id') as t`, [], options),
    );
    assert.deepEqual([direct.rows, inside.rows], [[['tenant-a']], [['tenant-a']]]);
  });

  it('enableTenantIsolation protects a read-model table created at run time', async () => {
    const engine = db().engine;
    await engine.query('create table read.isolation_probe (tenant_id text not null, v int)');
    await enableTenantIsolation(engine, 'read.isolation_probe');
    await enableTenantIsolation(engine, 'read.isolation_probe'); // idempotent
    await allTenantsEngine(engine).query(
      "insert into read.isolation_probe values ('tenant-a', 1), ('tenant-b', 2)",
    );
    assert.deepEqual(await countByTenant(tenantScopedEngine(engine, 'tenant-b'), 'read.isolation_probe'), {
      'tenant-b': 1,
    });
    await assert.rejects(
      tenantScopedEngine(engine, 'tenant-b').query("insert into read.isolation_probe values ('tenant-b', 3)"),
      { code: '42501' },
    );
    await assert.rejects(enableTenantIsolation(engine, 'read.x; drop table mymedic.events'), {
      code: 'VALIDATION_FAILED',
    });
  });
});
