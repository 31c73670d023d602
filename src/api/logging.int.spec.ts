import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { defineApiRoute } from './api-route.ts';
import { amendNote, createNote } from './testing/example-command-routes.ts';
import { bearer, openApiTestbed, seedApiKey, seedTenant, type ApiTestbed } from './testing/api-fixture.ts';

const CANARY = 'Asha-Rao-9876543210';

const leaky = defineApiRoute({
  method: 'GET',
  url: '/v1/test/leaky/:patientId',
  summary: 'fails with patient data in the error, as a careless driver might',
  tags: ['test'],
  permission: 'authenticated',
  params: z.object({ patientId: z.string() }),
  responses: {},
  async handler({ params }) {
    throw Object.assign(new Error(`no row for ${params.patientId}`), {
      detail: `Key (name)=(${CANARY})`,
      code: '23505',
    });
  },
});

describe('structured logs', () => {
  let bed: ApiTestbed;
  let key: string;
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });

  before(async () => {
    bed = await openApiTestbed('pglite', {
      routes: [createNote, amendNote, leaky],
      log: { level: 'trace', stream },
    });
    await seedTenant(bed.engine, 'acme');
    key = await seedApiKey(bed.engine, 'acme', { actorId: 'fd-1', kind: 'staff', role: 'front_desk' });
  });
  after(() => bed.close());

  it('hold no body, credential, query string, path id or error message', async () => {
    await bed.app.inject({
      method: 'POST',
      url: `/v1/test-notes/${CANARY}`,
      headers: { ...bearer(key), cookie: `session=${CANARY}` },
      payload: { patientId: CANARY, text: `diagnosis of ${CANARY}`, occurredAt: '2026-11-27T09:00:00Z' },
    });
    await bed.app.inject({ url: `/v1/log?branchId=${CANARY}`, headers: bearer(key) });
    await bed.app.inject({ url: `/v1/streams/patient/${CANARY}/events`, headers: bearer(key) });
    await bed.app.inject({ url: `/v1/test/leaky/${CANARY}`, headers: bearer(key) });
    await bed.app.inject({ url: `/v1/log`, headers: { authorization: `Bearer mmk.${CANARY}` } });

    assert.ok(lines.length >= 10, 'requests were logged');
    const text = lines.join('\n');
    for (const secret of [CANARY, key, key.split('.')[2]!, 'diagnosis', 'Bearer']) {
      assert.ok(!text.includes(secret), `${secret.slice(0, 12)}… was logged`);
    }
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const routes = entries
      .map((entry) => (entry['req'] as { route?: string } | undefined)?.route)
      .filter(Boolean);
    assert.ok(
      routes.includes('/v1/test-notes/:noteId') &&
        routes.includes('/v1/streams/:aggregateType/:aggregateId/events'),
    );
    const failure = entries.find((entry) => entry['msg'] === 'unexpected error');
    assert.deepEqual(Object.keys(failure?.['err'] as object).sort(), ['code', 'frames', 'type']);
  });
});
