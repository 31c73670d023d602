import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { registerJwtIssuer, revokeCredential } from '../tenancy/credentials/credential-store.ts';
import { ROLE_NAMES, ROLES, roleGrants, type Permission, type RoleName } from '../tenancy/roles.ts';
import { tenantScopedEngine } from '../tenancy/scoped-engine.ts';
import { actorClaims, newTestIssuer, signJwt } from '../tenancy/testing/sign-jwt.ts';
import { buildApp } from './app.ts';
import { bearer, seedApiKey, seedTenant } from './testing/api-fixture.ts';
import type { FastifyInstance } from 'fastify';

const START = new Date('2026-11-27T10:00:00Z');
let now = START;

describeEachEngine('authentication and authorisation', (db) => {
  let app: FastifyInstance;
  const keys = new Map<RoleName, string>();

  before(async () => {
    now = START;
    app = await buildApp({ engine: db().engine, clock: () => now });
    await seedTenant(db().engine, 'acme');
    await seedTenant(db().engine, 'other');
    for (const role of ROLE_NAMES) {
      keys.set(
        role,
        await seedApiKey(db().engine, 'acme', { actorId: `${role}-1`, kind: ROLES[role].kinds[0]!, role }),
      );
    }
  });
  after(() => app.close());

  const whoami = (authorization: string) => app.inject({ url: '/v1/whoami', headers: { authorization } });

  it('an API key authenticates as its one tenant and actor', async () => {
    const response = await whoami(`Bearer ${keys.get('finance')}`);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(
      { ...(response.json() as object), credentialId: undefined, permissions: undefined },
      {
        tenantId: 'acme',
        actor: { id: 'finance-1', kind: 'finance', role: 'finance' },
        via: 'api_key',
        credentialId: undefined,
        permissions: undefined,
      },
    );
  });

  it('a changed, unknown, malformed or revoked key is refused with one answer', async () => {
    const key = keys.get('front_desk')!;
    const flipped = key.slice(0, -2) + (key.endsWith('AA') ? 'BB' : 'AA');
    const unknownId = `mmk.${'0'.repeat(24)}.${key.split('.')[2]}`;
    for (const token of [flipped, unknownId, 'mmk.short', key.toUpperCase(), `${key} `]) {
      const response = await whoami(`Bearer ${token}`);
      assert.equal(response.statusCode, 401, token);
      assert.equal(response.json().code, 'CREDENTIAL_INVALID');
    }
    const doomed = await seedApiKey(db().engine, 'acme', {
      actorId: 'temp-1',
      kind: 'staff',
      role: 'front_desk',
    });
    assert.equal((await whoami(`Bearer ${doomed}`)).statusCode, 200);
    const credentialId = doomed.split('.')[1]!;
    const revoke = await app.inject({
      method: 'DELETE',
      url: `/v1/keys/${credentialId}`,
      headers: bearer(keys.get('tenant_admin')!),
    });
    assert.equal(revoke.statusCode, 204);
    assert.equal((await whoami(`Bearer ${doomed}`)).json().code, 'CREDENTIAL_INVALID');
  });

  it('an EdDSA token from a registered issuer authenticates as the actor it names', async () => {
    const issuer = newTestIssuer();
    const { credentialId: kid } = await tenantScopedEngine(db().engine, 'acme').transaction((tx) =>
      registerJwtIssuer(tx, 'acme', issuer.publicKeyPem, 'hospital IdP'),
    );
    const actor = { id: 'dr-7', kind: 'doctor', role: 'doctor' };
    const token = signJwt(issuer.privateKey, { alg: 'EdDSA', kid }, actorClaims('acme', actor, now));
    const response = await whoami(`Bearer ${token}`);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(
      [response.json().tenantId, response.json().actor, response.json().via],
      ['acme', actor, 'jwt'],
    );

    const otherTenant = signJwt(issuer.privateKey, { alg: 'EdDSA', kid }, actorClaims('other', actor, now));
    assert.equal((await whoami(`Bearer ${otherTenant}`)).json().code, 'CREDENTIAL_INVALID');
    const impostor = signJwt(
      newTestIssuer().privateKey,
      { alg: 'EdDSA', kid },
      actorClaims('acme', actor, now),
    );
    assert.equal((await whoami(`Bearer ${impostor}`)).json().code, 'CREDENTIAL_INVALID');

    now = new Date(now.getTime() + 3_600_000);
    assert.equal((await whoami(`Bearer ${token}`)).json().code, 'CREDENTIAL_EXPIRED');
    const fresh = signJwt(issuer.privateKey, { alg: 'EdDSA', kid }, actorClaims('acme', actor, now));
    assert.equal((await whoami(`Bearer ${fresh}`)).statusCode, 200);
    // Revoked elsewhere (another instance, the CLI): refused once the credential cache (5 s) has expired.
    await tenantScopedEngine(db().engine, 'acme').transaction((tx) => revokeCredential(tx, 'acme', kid));
    now = new Date(now.getTime() + 5_001);
    assert.equal((await whoami(`Bearer ${fresh}`)).json().code, 'CREDENTIAL_INVALID');
  });

  it('each endpoint admits exactly the roles whose permissions include its own', async () => {
    const endpoints: [Permission, { method: 'GET' | 'POST'; url: string; payload?: object }][] = [
      ['log:read', { method: 'GET', url: '/v1/log' }],
      ['streams:read', { method: 'GET', url: '/v1/streams/patient/p-1/events' }],
      ['audit:read', { method: 'GET', url: '/v1/disclosures' }],
      [
        'credentials:manage',
        { method: 'POST', url: '/v1/keys', payload: { actorId: 'x-1', kind: 'auditor', role: 'auditor' } },
      ],
    ];
    for (const role of ROLE_NAMES) {
      for (const [permission, request] of endpoints) {
        const response = await app.inject({ ...request, headers: bearer(keys.get(role)!) });
        const allowed = roleGrants(role, permission);
        // Allowed requests may still find nothing (404 for the unknown stream); refused ones are always 403.
        assert.equal(response.statusCode === 403, !allowed, `${role} ${request.url}: ${response.statusCode}`);
        if (!allowed)
          assert.deepEqual(
            [response.json().code, response.json().permission],
            ['PERMISSION_DENIED', permission],
          );
      }
    }
  });

  it('an auditor never writes: every non-GET endpoint refuses it before reading the body', async () => {
    const doc = (await app.inject('/docs/openapi.json')).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    let writes = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods).filter((m) => m !== 'get' && path.startsWith('/v1/'))) {
        const url = path.replaceAll(/\{[^}]+\}/g, 'aaaaaaaaaaaaaaaaaaaaaaaa');
        const response = await app.inject({
          method: method.toUpperCase() as 'POST',
          url,
          headers: { ...bearer(keys.get('auditor')!), 'content-type': 'application/json' },
          payload: '{not json',
        });
        assert.equal(response.statusCode, 403, `${method} ${path}`);
        writes++;
      }
    }
    assert.ok(writes >= 2);
  });

  it('an administrator creates keys for its own tenant only, each shown once', async () => {
    const admin = bearer(keys.get('tenant_admin')!);
    const created = await app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: admin,
      payload: { actorId: 'p-42', kind: 'patient', role: 'patient', label: 'portal login' },
    });
    assert.equal(created.statusCode, 201);
    assert.equal(created.headers['cache-control'], 'no-store');
    const body = created.json();
    assert.equal(body.tenantId, 'acme');
    assert.deepEqual((await whoami(`Bearer ${body.apiKey}`)).json().actor, {
      id: 'p-42',
      kind: 'patient',
      role: 'patient',
    });

    const smuggled = await app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: admin,
      payload: { actorId: 'x', kind: 'staff', role: 'tenant_admin', tenantId: 'other' },
    });
    assert.deepEqual([smuggled.statusCode, smuggled.json().field], [400, 'tenantId']);
    const mismatch = await app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: admin,
      payload: { actorId: 'x', kind: 'patient', role: 'finance' },
    });
    assert.deepEqual([mismatch.statusCode, mismatch.json().field], [400, 'role']);
  });
});
