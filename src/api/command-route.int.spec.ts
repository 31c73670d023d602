import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PgEventStore } from '../store/pg-event-store.ts';
import { ApiMetrics } from './metrics.ts';
import { amendNote, createNote } from './testing/example-command-routes.ts';
import { bearer, openApiTestbed, seedApiKey, seedTenant, type ApiTestbed } from './testing/api-fixture.ts';

describe('command endpoints built on defineApiRoute', () => {
  let bed: ApiTestbed;
  const metrics = new ApiMetrics();
  const keys = { staff: '', patient: '', auditor: '' };
  const note = (text: string, patientId = 'p-1') => ({
    patientId,
    text,
    occurredAt: '2026-11-27T09:00:00+05:30',
  });

  before(async () => {
    bed = await openApiTestbed('pglite', { routes: [createNote, amendNote], metrics });
    await seedTenant(bed.engine, 'acme');
    keys.staff = await seedApiKey(bed.engine, 'acme', { actorId: 'fd-1', kind: 'staff', role: 'front_desk' });
    keys.patient = await seedApiKey(bed.engine, 'acme', { actorId: 'p-1', kind: 'patient', role: 'patient' });
    keys.auditor = await seedApiKey(bed.engine, 'acme', {
      actorId: 'aud-1',
      kind: 'auditor',
      role: 'auditor',
    });
  });
  after(() => bed.close());

  const post = (key: string, url: string, payload: object, headers: Record<string, string> = {}) =>
    bed.app.inject({ method: 'POST', url, payload, headers: { ...bearer(key), ...headers } });

  it('creates with ETag, and the event carries the actor, correlation id and request id as causation', async () => {
    const response = await post(keys.staff, '/v1/test-notes/n-1', note('first'), {
      'x-correlation-id': 'flow-1',
    });
    assert.equal(response.statusCode, 201);
    assert.equal(response.headers['etag'], '"1"');
    const events = [];
    for await (const event of new PgEventStore(bed.engine).readStream({
      tenantId: 'acme',
      aggregateType: 'note',
      aggregateId: 'n-1',
    })) {
      events.push(event);
    }
    const [event] = events;
    assert.deepEqual(
      [event?.actor, event?.correlationId, event?.causationId, event?.tenantId],
      [{ id: 'fd-1', kind: 'staff', role: 'front_desk' }, 'flow-1', response.headers['x-request-id'], 'acme'],
    );
  });

  it('a second create of the same stream is a 412 naming the actual version', async () => {
    const again = await post(keys.staff, '/v1/test-notes/n-1', note('again'));
    assert.deepEqual(
      [again.statusCode, again.json().code, again.json().actual, again.headers['etag']],
      [412, 'CONCURRENCY_CONFLICT', 1, '"1"'],
    );
    const withIfMatch = await post(keys.staff, '/v1/test-notes/n-2', note('x'), { 'if-match': '"0"' });
    assert.deepEqual([withIfMatch.statusCode, withIfMatch.json().field], [400, 'If-Match']);
  });

  it('an update needs If-Match, succeeds on the current version, and fails with 412 on a stale one', async () => {
    const url = '/v1/test-notes/n-1/amend';
    assert.equal((await post(keys.staff, url, note('no precondition'))).json().code, 'PRECONDITION_REQUIRED');
    assert.equal((await post(keys.staff, url, note('no precondition'))).statusCode, 428);
    const ok = await post(keys.staff, url, note('second'), { 'if-match': '"1"' });
    assert.deepEqual([ok.statusCode, ok.headers['etag']], [200, '"2"']);
    const stale = await post(keys.staff, url, note('lost update'), { 'if-match': '"1"' });
    assert.deepEqual([stale.statusCode, stale.json().expected, stale.json().actual], [412, 1, 2]);
    assert.equal(
      (await post(keys.staff, url, note('any version'), { 'if-match': '*' })).headers['etag'],
      '"3"',
    );
    assert.equal(
      (await post(keys.staff, '/v1/test-notes/nope/amend', note('x'), { 'if-match': '*' })).statusCode,
      412,
    );
  });

  it('answers a business rule with 409 and its code', async () => {
    const refused = await post(keys.staff, '/v1/test-notes/n-1/amend', note('FORBIDDEN'), {
      'if-match': '"3"',
    });
    assert.deepEqual(
      [refused.statusCode, refused.json().code, refused.json().noteId],
      [409, 'NOTE_TEXT_REFUSED', 'n-1'],
    );
  });

  it('lets a patient act on their own records only, and an auditor not at all', async () => {
    assert.equal((await post(keys.patient, '/v1/test-notes/n-p1', note('mine'))).statusCode, 201);
    const theirs = await post(keys.patient, '/v1/test-notes/n-p2', note('theirs', 'p-2'));
    assert.deepEqual([theirs.statusCode, theirs.json().code], [403, 'NOT_OWN_RECORD']);
    assert.equal((await post(keys.auditor, '/v1/test-notes/n-a', note('audit'))).statusCode, 403);
  });

  it('counts appends by outcome', async () => {
    const text = await metrics.registry.getSingleMetricAsString('mymedic_appends_total');
    assert.match(text, /outcome="ok"\} [1-9]/);
    assert.match(text, /outcome="conflict"\} [1-9]/);
  });
});
