import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../app.ts';
import { OPENAPI_PATH } from '../openapi.ts';
import { openApiTestbed, type ApiTestbed } from '../testing/api-fixture.ts';
import { SCHEDULING_COMMAND_ROUTES } from './scheduling-routes.ts';

describe('the scheduling command routes', () => {
  let bed: ApiTestbed;
  before(async () => {
    bed = await openApiTestbed('pglite', { routes: SCHEDULING_COMMAND_ROUTES });
  });
  after(() => bed.close());

  it('are documented in OpenAPI with a summary, If-Match and the response body', async () => {
    const document = (await bed.app.inject(OPENAPI_PATH)).json();
    for (const route of SCHEDULING_COMMAND_ROUTES) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths[path]?.[route.method.toLowerCase()];
      assert.ok(operation?.summary, `${route.method} ${route.url} is not documented`);
      const headers = operation.parameters.filter((parameter: { in: string }) => parameter.in === 'header');
      assert.ok(
        headers.some((header: { name: string }) => header.name === 'if-match'),
        route.url,
      );
      const success = operation.responses['200'] ?? operation.responses['201'];
      const schema = success.content['application/json'].schema;
      assert.deepEqual(
        Object.keys(schema.properties).slice(1),
        ['version', 'events', 'tenantSeq'],
        route.url,
      );
    }
  });

  it('refuse to start without master keys, which they need to encrypt patient fields', async () => {
    await assert.rejects(buildApp({ engine: bed.engine, routes: SCHEDULING_COMMAND_ROUTES }), {
      code: 'MASTER_KEYS_MISSING',
    });
  });
});
