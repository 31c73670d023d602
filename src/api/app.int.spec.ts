import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { z } from 'zod';
import { UUID_V7_PATTERN } from '../shared/uuid-v7.ts';
import { newApiKeySchema } from '../tenancy/credentials/credential-schemas.ts';
import { ALL_MIGRATIONS } from '../migration-sets.ts';
import { defineApiRoute } from './api-route.ts';
import { ApiMetrics } from './metrics.ts';
import { bearer, openApiTestbed, seedApiKey, seedTenant, type ApiTestbed } from './testing/api-fixture.ts';

const failing = defineApiRoute({
  method: 'GET',
  url: '/v1/test/explode',
  summary: 'throws an unexpected error',
  tags: ['test'],
  permission: 'authenticated',
  responses: {},
  async handler() {
    throw new Error('db at 10.1.2.3 said: patient Asha Rao not found');
  },
});

describe('the HTTP service', () => {
  let bed: ApiTestbed;
  let key: string;
  const metrics = new ApiMetrics();

  before(async () => {
    bed = await openApiTestbed('pglite', { routes: [failing], metrics });
    await seedTenant(bed.engine, 'acme');
    key = await seedApiKey(bed.engine, 'acme', { actorId: 'staff-1', kind: 'staff', role: 'front_desk' });
  });
  after(() => bed.close());

  it('is alive and ready once migrated', async () => {
    assert.deepEqual((await bed.app.inject('/health')).json(), { status: 'up' });
    const ready = await bed.app.inject('/ready');
    assert.equal(ready.statusCode, 200);
  });

  it('is not ready while a migration it knows of is not applied', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mymedic-phantom-'));
    await writeFile(join(directory, '0001_phantom.sql'), 'select 1;');
    const phantom = { module: 'phantom', directory: pathToFileURL(`${directory}/`) };
    const app = await (
      await import('./app.ts')
    ).buildApp({ engine: bed.engine, migrations: [...ALL_MIGRATIONS, phantom] });
    const ready = await app.inject('/ready');
    await app.close();
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().code, 'NOT_READY');
    assert.deepEqual(ready.json().pendingMigrations, ['phantom/0001_phantom.sql']);
  });

  it('serves the OpenAPI document generated from the same zod schemas that validate, and swagger-ui', async () => {
    const doc = (await bed.app.inject('/docs/openapi.json')).json();
    assert.equal(doc.openapi, '3.0.3');
    for (const path of [
      '/v1/log',
      '/v1/streams/{aggregateType}/{aggregateId}/events',
      '/v1/disclosures',
      '/v1/keys',
    ]) {
      assert.ok(doc.paths[path], path);
    }
    assert.deepEqual(
      doc.paths['/v1/keys'].post.requestBody.content['application/json'].schema,
      z.toJSONSchema(newApiKeySchema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }),
    );
    assert.ok(doc.paths['/v1/log'].get.parameters.some((p: { name: string }) => p.name === 'eventType'));
    const ui = await bed.app.inject('/docs');
    assert.equal(ui.statusCode, 200);
    assert.match(ui.body, /swagger/i);
  });

  it('keeps a usable X-Correlation-Id, replaces an unusable one, and gives every request its own id', async () => {
    const kept = await bed.app.inject({ url: '/health', headers: { 'x-correlation-id': 'flow-42' } });
    assert.equal(kept.headers['x-correlation-id'], 'flow-42');
    const replaced = await bed.app.inject({
      url: '/health',
      headers: { 'x-correlation-id': 'no spaces; allowed' },
    });
    assert.match(String(replaced.headers['x-correlation-id']), UUID_V7_PATTERN);
    assert.match(String(kept.headers['x-request-id']), UUID_V7_PATTERN);
    assert.notEqual(kept.headers['x-request-id'], replaced.headers['x-request-id']);
  });

  it('answers every failure with a problem document', async () => {
    const cases: [InjectOptions, number, string, string?][] = [
      [{ url: '/nowhere' }, 404, 'NOT_FOUND'],
      [{ url: '/v1/log' }, 401, 'AUTHENTICATION_REQUIRED'],
      [{ url: '/v1/log', headers: { authorization: 'Basic abc' } }, 401, 'CREDENTIAL_INVALID'],
      [{ url: '/v1/log?limit=5000', headers: bearer(key) }, 400, 'VALIDATION_FAILED', 'limit'],
      [{ url: '/v1/log?tenantId=other', headers: bearer(key) }, 400, 'VALIDATION_FAILED', 'tenantId'],
      [
        { url: '/v1/log?recordedFrom=0000-01-01T00:00:00Z', headers: bearer(key) },
        400,
        'VALIDATION_FAILED',
        'recordedFrom',
      ],
      [{ url: '/v1/log?cursor=bm9wZQ', headers: bearer(key) }, 400, 'VALIDATION_FAILED', 'cursor'],
      [{ url: '/v1/keys', method: 'POST' as const, headers: bearer(key) }, 403, 'PERMISSION_DENIED'],
      [
        { url: '/v1/disclosures', headers: { ...bearer(key), 'x-purpose-of-use': 'CURIOSITY' } },
        403,
        'PERMISSION_DENIED',
      ],
      [
        { url: '/v1/log', headers: { ...bearer(key), 'x-purpose-of-use': 'CURIOSITY' } },
        400,
        'VALIDATION_FAILED',
        'x-purpose-of-use',
      ],
    ];
    for (const [request, status, code, field] of cases) {
      const response = await bed.app.inject(request);
      assert.equal(response.statusCode, status, JSON.stringify(request));
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      const body = response.json();
      assert.equal(body.code, code, JSON.stringify(request));
      assert.equal(body.status, status);
      if (field) assert.equal(body.field, field);
      if (status === 401) assert.equal(response.headers['www-authenticate'], 'Bearer');
    }
  });

  it('refuses bodies it cannot read: not JSON, not JSON at all, too large', async () => {
    const admin = await seedApiKey(bed.engine, 'acme', {
      actorId: 'admin-1',
      kind: 'staff',
      role: 'tenant_admin',
    });
    const post = (payload: string, contentType: string) =>
      bed.app.inject({
        method: 'POST',
        url: '/v1/keys',
        payload,
        headers: { ...bearer(admin), 'content-type': contentType },
      });
    const broken = await post('{"actorId": ', 'application/json');
    assert.deepEqual(
      [broken.statusCode, broken.json().code, broken.json().field],
      [400, 'VALIDATION_FAILED', 'body'],
    );
    const text = await post('hello', 'text/plain');
    assert.deepEqual([text.statusCode, text.json().code], [415, 'UNSUPPORTED_MEDIA_TYPE']);
    const huge = await post(JSON.stringify({ label: 'x'.repeat(300 * 1024) }), 'application/json');
    assert.deepEqual([huge.statusCode, huge.json().code], [413, 'PAYLOAD_TOO_LARGE']);
    const proto = await post(
      '{"__proto__": {"role": "auditor"}, "actorId": "x", "kind": "staff", "role": "front_desk"}',
      'application/json',
    );
    assert.equal(proto.statusCode, 400);
  });

  it('answers an unexpected error with a 500 that leaks nothing', async () => {
    const response = await bed.app.inject({ url: '/v1/test/explode', headers: bearer(key) });
    assert.equal(response.statusCode, 500);
    assert.equal(response.json().code, 'INTERNAL_ERROR');
    assert.doesNotMatch(response.body, /10\.1\.2\.3|Asha|patient/);
  });

  it('exports request latency by route and status, append counters and projection lag', async () => {
    metrics.reportProjectionLag(async () => [{ projection: 'payments_view', events: 7, seconds: 1.5 }]);
    await bed.app.inject({ url: '/v1/log', headers: bearer(key) });
    const text = (await bed.app.inject('/metrics')).body;
    assert.match(
      text,
      /mymedic_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/log"[^}]*status_code="200"/,
    );
    assert.match(
      text,
      /mymedic_http_request_duration_seconds_count\{[^}]*route="unmatched"[^}]*status_code="404"/,
    );
    assert.match(text, /mymedic_projection_lag_events\{projection="payments_view"\} 7/);
    assert.match(text, /mymedic_projection_lag_seconds\{projection="payments_view"\} 1.5/);
    assert.match(text, /# TYPE mymedic_appends_total counter/);
    assert.doesNotMatch(text, /acme|staff-1/);
  });
});
