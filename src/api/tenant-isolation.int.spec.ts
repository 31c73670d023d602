import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { buildApp } from './app.ts';
import { bearer, seedApiKey, seedTenant } from './testing/api-fixture.ts';
import { seedEvents, type SeedEvent } from './testing/seed-events.ts';
import { encodeCursor } from './wire.ts';

/** Both tenants use the same aggregate ids, branch ids and patient ids: only the tenant tells them apart. */
function history(tenant: string, extra: number): SeedEvent[] {
  const events: SeedEvent[] = [];
  for (let i = 0; i < 3 + extra; i++) {
    events.push({
      aggregateType: 'patient',
      aggregateId: 'p-shared',
      eventType: 'patient.registered',
      payload: { patientId: 'p-shared', marker: tenant },
      branchId: 'br-1',
    });
    events.push({
      aggregateType: 'booking',
      aggregateId: `bk-${tenant}-${i}`,
      eventType: 'booking.created',
      payload: { patientId: `p-${tenant}`, marker: tenant },
    });
  }
  return events;
}

describeEachEngine('tenant isolation through the API', (db) => {
  let app: FastifyInstance;
  const auditor = { a: '', b: '' };
  const admin = { a: '', b: '' };

  before(async () => {
    const engine = db().engine;
    app = await buildApp({ engine });
    for (const [tenant, extra] of [
      ['a', 0],
      ['b', 2],
    ] as const) {
      await seedTenant(engine, `tenant-${tenant}`);
      auditor[tenant] = await seedApiKey(engine, `tenant-${tenant}`, {
        actorId: 'aud-1',
        kind: 'auditor',
        role: 'auditor',
      });
      admin[tenant] = await seedApiKey(engine, `tenant-${tenant}`, {
        actorId: 'adm-1',
        kind: 'staff',
        role: 'tenant_admin',
      });
      await seedEvents(engine, `tenant-${tenant}`, history(tenant, extra));
    }
    // B reads its data, so B has disclosures A must never see.
    await app.inject({ url: '/v1/log', headers: bearer(auditor.b) });
  });
  after(() => app.close());

  const get = (key: string, url: string, headers: Record<string, string> = {}) =>
    app.inject({ url, headers: { ...bearer(key), ...headers } });

  /** Every event in a response belongs to the tenant, and nothing of the other shows anywhere in the body. */
  function onlyTenant(body: string, tenant: 'a' | 'b'): void {
    const other = tenant === 'a' ? 'b' : 'a';
    assert.doesNotMatch(
      body,
      new RegExp(`tenant-${other}|"marker":"${other}"|p-${other}\\b|bk-${other}-`),
      body.slice(0, 300),
    );
  }

  it('a stream id that exists in both tenants shows only the caller’s events', async () => {
    for (const tenant of ['a', 'b'] as const) {
      const response = await get(auditor[tenant], '/v1/streams/patient/p-shared/events?limit=1000');
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.equal(body.events.length, tenant === 'a' ? 3 : 5);
      assert.equal(response.headers['etag'], `"${body.events.length}"`);
      onlyTenant(response.body, tenant);
    }
  });

  it("another tenant's stream does not exist for the caller, whatever the query", async () => {
    for (const query of [
      '',
      '?direction=backward',
      '?fromVersion=1',
      '?asOf=2999-01-01T00:00:00Z',
      '?limit=1',
    ]) {
      const response = await get(auditor.a, `/v1/streams/booking/bk-b-0/events${query}`);
      assert.deepEqual([response.statusCode, response.json().code], [404, 'STREAM_NOT_FOUND'], query);
    }
  });

  it("the log, however filtered or paged, holds only the caller's events", async () => {
    const queries = [
      '',
      '?limit=1000',
      '?branchId=br-1',
      '?aggregateType=patient,booking',
      '?eventType=booking.created&eventType=patient.registered',
      '?recordedFrom=2000-01-01T00:00:00Z&recordedTo=2999-01-01T00:00:00Z',
      `?cursor=${encodeCursor('log', '5')}`,
      `?cursor=${encodeCursor('log', '9')}`,
    ];
    for (const query of queries) {
      const response = await get(auditor.a, `/v1/log${query}`);
      assert.equal(response.statusCode, 200, query);
      for (const event of response.json().events) assert.equal(event.tenantId, 'tenant-a', query);
      onlyTenant(response.body, 'a');
    }
    let cursor: string | null = '';
    const seqs: number[] = [];
    while (cursor !== null) {
      const page: { nextCursor: string | null; events: { tenantSeq: number }[] } = (
        await get(auditor.a, `/v1/log?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seqs.push(...page.events.map((event: { tenantSeq: number }) => event.tenantSeq));
      cursor = page.nextCursor;
    }
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6]);
  });

  it('no header or parameter names another tenant', async () => {
    const headers = { 'x-tenant-id': 'tenant-b', 'x-mymedic-tenant': 'tenant-b' };
    const whoami = await get(auditor.a, '/v1/whoami', headers);
    assert.equal(whoami.json().tenantId, 'tenant-a');
    onlyTenant((await get(auditor.a, '/v1/log', headers)).body, 'a');
    for (const url of [
      '/v1/log?tenantId=tenant-b',
      '/v1/log?tenant=tenant-b',
      '/v1/disclosures?tenantId=tenant-b',
    ]) {
      assert.equal((await get(auditor.a, url)).statusCode, 400, url);
    }
  });

  it("the accounting of disclosures shows only the caller's tenant", async () => {
    await get(auditor.a, '/v1/streams/patient/p-shared/events');
    const all = await get(auditor.a, '/v1/disclosures?limit=1000');
    assert.ok(all.json().disclosures.length > 0);
    onlyTenant(all.body, 'a');
    assert.deepEqual((await get(auditor.a, '/v1/disclosures?patientId=p-b')).json().disclosures, []);
  });

  it("another tenant's credentials cannot be revoked, and keep working", async () => {
    const bCredential = admin.b.split('.')[1]!;
    const response = await app.inject({
      method: 'DELETE',
      url: `/v1/keys/${bCredential}`,
      headers: bearer(admin.a),
    });
    assert.deepEqual([response.statusCode, response.json().code], [404, 'CREDENTIAL_NOT_FOUND']);
    assert.equal((await get(admin.b, '/v1/whoami')).statusCode, 200);
  });
});
