import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { buildApp } from './app.ts';
import { bearer, seedApiKey, seedTenant } from './testing/api-fixture.ts';
import { seedEvents } from './testing/seed-events.ts';

describeEachEngine('store endpoints', (db) => {
  let app: FastifyInstance;
  let staff: string;
  let auditor: string;
  let patient: string;
  let between: Date;

  before(async () => {
    const engine = db().engine;
    app = await buildApp({ engine });
    await seedTenant(engine, 'acme');
    staff = await seedApiKey(engine, 'acme', { actorId: 'fd-1', kind: 'staff', role: 'front_desk' });
    auditor = await seedApiKey(engine, 'acme', { actorId: 'aud-1', kind: 'auditor', role: 'auditor' });
    patient = await seedApiKey(engine, 'acme', { actorId: 'p-1', kind: 'patient', role: 'patient' });
    const visit = (i: number) => ({
      aggregateType: 'visit',
      aggregateId: 'v-1',
      eventType: i === 0 ? 'visit.arrived' : 'visit.noted',
      payload: { patientId: 'p-1' },
      branchId: i % 2 === 0 ? 'br-even' : 'br-odd',
    });
    await seedEvents(engine, 'acme', [0, 1, 2].map(visit));
    await sleep(5);
    between = new Date();
    await sleep(5);
    await seedEvents(engine, 'acme', [3, 4].map(visit));
    await seedEvents(engine, 'acme', [
      { aggregateType: 'branch', aggregateId: 'br-even', eventType: 'branch.added' },
    ]);
  });
  after(() => app.close());

  const get = (key: string, url: string, headers: Record<string, string> = {}) =>
    app.inject({ url, headers: { ...bearer(key), ...headers } });
  const versions = (body: { events: { version: number }[] }) => body.events.map((event) => event.version);

  it('pages a stream forward and backward, never past the version in the ETag', async () => {
    const first = await get(staff, '/v1/streams/visit/v-1/events?limit=2');
    assert.equal(first.headers['etag'], '"5"');
    assert.deepEqual([versions(first.json()), first.json().nextFromVersion], [[1, 2], 3]);
    const last = (await get(staff, '/v1/streams/visit/v-1/events?limit=2&fromVersion=5')).json();
    assert.deepEqual([versions(last), last.nextFromVersion], [[5], null]);
    const back = (await get(staff, '/v1/streams/visit/v-1/events?direction=backward&limit=3')).json();
    assert.deepEqual([versions(back), back.nextFromVersion], [[5, 4, 3], 2]);
    const end = (
      await get(staff, '/v1/streams/visit/v-1/events?direction=backward&fromVersion=2&limit=2')
    ).json();
    assert.deepEqual([versions(end), end.nextFromVersion], [[2, 1], null]);
  });

  it('reads a stream as it was at an instant', async () => {
    const asOf = (await get(staff, `/v1/streams/visit/v-1/events?asOf=${between.toISOString()}`)).json();
    assert.deepEqual(versions(asOf), [1, 2, 3]);
    assert.equal(asOf.streamVersion, 5);
  });

  it('serves events with the envelope and without store internals', async () => {
    const event = (await get(staff, '/v1/streams/visit/v-1/events?limit=1')).json().events[0];
    assert.deepEqual(Object.keys(event).sort(), [
      'actor',
      'aggregateId',
      'aggregateType',
      'branchId',
      'causationId',
      'correlationId',
      'eventId',
      'eventType',
      'occurredAt',
      'payload',
      'recordedAt',
      'schemaVersion',
      'tenantId',
      'tenantSeq',
      'version',
    ]);
  });

  it('filters the log by branch, aggregate type, event type and time windows', async () => {
    const seqs = async (query: string) =>
      (await get(auditor, `/v1/log?${query}`))
        .json()
        .events.map((event: { tenantSeq: number }) => event.tenantSeq);
    assert.deepEqual(await seqs(''), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(await seqs('branchId=br-even'), [1, 3, 5]);
    assert.deepEqual(await seqs('aggregateType=branch'), [6]);
    assert.deepEqual(await seqs('eventType=visit.arrived,branch.added'), [1, 6]);
    assert.deepEqual(await seqs(`recordedTo=${encodeURIComponent(between.toISOString())}`), [1, 2, 3]);
    assert.deepEqual(await seqs(`occurredFrom=${encodeURIComponent(between.toISOString())}`), [4, 5, 6]);
  });

  it('records who read which patient, why and where, and auditors can read that back', async () => {
    await get(staff, '/v1/streams/visit/v-1/events', {
      'x-purpose-of-use': 'TREAT',
      'x-correlation-id': 'flow-9',
    });
    const patientless = await get(auditor, '/v1/log?aggregateType=branch');
    const body = (await get(auditor, '/v1/disclosures?actorId=fd-1')).json();
    const last = body.disclosures.at(-1);
    assert.deepEqual(
      [last.patientId, last.actor, last.purpose, last.endpoint, last.correlationId],
      [
        'p-1',
        { id: 'fd-1', kind: 'staff', role: 'front_desk' },
        'TREAT',
        'GET /v1/streams/:aggregateType/:aggregateId/events',
        'flow-9',
      ],
    );
    assert.ok(!JSON.stringify(body).includes('visit.noted'), 'a disclosure never holds the data itself');
    const auditorReads = (await get(auditor, '/v1/disclosures?actorId=aud-1')).json().disclosures;
    assert.ok(auditorReads.every((row: { purpose: string }) => row.purpose === 'HCOMPL'));
    const requestId = patientless.headers['x-request-id'];
    assert.ok(
      !auditorReads.some((row: { requestId: string }) => row.requestId === requestId),
      'no patient, no disclosure',
    );
  });

  it('pages disclosures behind a cursor and filters them by patient and time', async () => {
    const pages: string[][] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { nextCursor: string | null; disclosures: { disclosureId: string }[] } = (
        await get(auditor, `/v1/disclosures?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      pages.push(page.disclosures.map((row: { disclosureId: string }) => row.disclosureId));
      cursor = page.nextCursor;
    }
    const ids = pages.flat();
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids, [...ids].sort());
    assert.deepEqual((await get(auditor, '/v1/disclosures?patientId=nobody')).json().disclosures, []);
    assert.deepEqual((await get(auditor, '/v1/disclosures?to=2000-01-01T00:00:00Z')).json().disclosures, []);
  });

  it('keeps patients away from raw streams and the log', async () => {
    for (const url of ['/v1/log', '/v1/streams/visit/v-1/events', '/v1/disclosures']) {
      assert.equal((await get(patient, url)).statusCode, 403, url);
    }
  });
});
