import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import fc from 'fast-check';
import { CREDENTIAL_ACTOR_KINDS, ROLE_NAMES, ROLES } from '../tenancy/roles.ts';
import { amendNote, createNote } from './testing/example-command-routes.ts';
import { bearer, openApiTestbed, seedApiKey, seedTenant, type ApiTestbed } from './testing/api-fixture.ts';

const RUNS = Number(process.env['MYMEDIC_FUZZ_RUNS'] ?? 800);

const printable = fc.string({ unit: 'grapheme-ascii', maxLength: 60 });
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  printable,
);
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), anyText, fc.integer(), fc.double());

/** Bodies near the real shape (so some pass), with hostile values and extra keys. */
function nearly(fields: Record<string, fc.Arbitrary<unknown>>) {
  return fc
    .tuple(
      fc.record(
        Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, fc.oneof(value, anyJson)])),
        { requiredKeys: [] },
      ),
      fc.option(
        fc.dictionary(fc.oneof(printable, fc.constantFrom('tenantId', '__proto__', 'constructor')), anyJson, {
          maxKeys: 2,
        }),
      ),
    )
    .map(([base, extra]) => ({ ...(extra ?? {}), ...base }));
}

const actorId = fc.stringMatching(/^[a-z0-9][a-z0-9_.:@-]{0,20}$/);
const roleAndKind = fc.constantFrom(
  ...ROLE_NAMES.flatMap((role) => ROLES[role].kinds.map((kind) => ({ role, kind }))),
);
const validKeyBody = fc
  .tuple(actorId, roleAndKind, fc.option(fc.string({ minLength: 1, maxLength: 40 })))
  .map(([id, { role, kind }, label]) => ({ actorId: id, kind, role, ...(label === null ? {} : { label }) }));
const keyBody = fc.oneof(
  validKeyBody,
  nearly({
    actorId: fc.oneof(fc.constant('fuzz-actor'), actorId),
    kind: fc.constantFrom(...CREDENTIAL_ACTOR_KINDS),
    role: fc.constantFrom(...ROLE_NAMES),
    label: anyText,
  }),
);

const validNoteBody = fc.record({
  patientId: fc.constantFrom('p-1', 'p-2'),
  text: fc.string({ minLength: 1, maxLength: 100 }),
  occurredAt: fc.constant('2026-11-27T09:00:00Z'),
});
const noteBody = fc.oneof(
  validNoteBody,
  nearly({
    patientId: fc.constantFrom('p-1', 'p-2'),
    text: fc.oneof(fc.constant('FORBIDDEN'), anyText),
    occurredAt: fc.oneof(
      fc.constant('2026-11-27T09:00:00Z'),
      fc.date().map((date) => (Number.isNaN(date.getTime()) ? 'x' : date.toISOString())),
    ),
  }),
);

const payload = fc.oneof(
  { weight: 4, arbitrary: anyJson.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: anyText },
);

const segment = fc.oneof(
  fc.constant('n-1'),
  fc.stringMatching(/^[a-z0-9-]{1,12}$/),
  anyText.map(encodeURIComponent),
  printable,
);

describe('fuzzed requests never cause a 5xx or a partial write', () => {
  let bed: ApiTestbed;
  let admin: string;
  let staff: string;

  before(async () => {
    bed = await openApiTestbed('pglite', { routes: [createNote, amendNote] });
    await seedTenant(bed.engine, 'acme');
    admin = await seedApiKey(bed.engine, 'acme', { actorId: 'adm-1', kind: 'staff', role: 'tenant_admin' });
    staff = await seedApiKey(bed.engine, 'acme', { actorId: 'fd-1', kind: 'staff', role: 'front_desk' });
  });
  after(() => bed.close());

  const count = async (sql: string) => Number((await bed.engine.query<{ n: string }>(sql)).rows[0]!.n);

  async function send(request: InjectOptions): Promise<number> {
    let response;
    try {
      response = await bed.app.inject(request);
    } catch (error) {
      // The test client itself refuses some URLs and headers before they reach the app: not our failure.
      if (error instanceof TypeError || (error as { code?: string }).code === 'ERR_INVALID_CHAR') return 0;
      throw error;
    }
    assert.ok(
      response.statusCode < 500,
      `${request.method} ${request.url} → ${response.statusCode} ${response.body}`,
    );
    if (response.statusCode >= 400)
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    return response.statusCode;
  }

  it('POST /v1/keys: a credential exists for every 201 and for nothing else', async () => {
    const before = await count('select count(*) as n from mymedic.credentials');
    let created = 0;
    await fc.assert(
      fc.asyncProperty(payload, keyBody, fc.boolean(), async (raw, body, useRaw) => {
        const status = await send({
          method: 'POST',
          url: '/v1/keys',
          headers: { ...bearer(admin), 'content-type': 'application/json' },
          payload: useRaw ? raw : JSON.stringify(body),
        });
        if (status === 201) created++;
      }),
      { numRuns: RUNS },
    );
    assert.ok(created > 0, 'some bodies should have been valid');
    assert.equal(await count('select count(*) as n from mymedic.credentials'), before + created);
  });

  it('commands: one event for every 2xx and none for anything else', async () => {
    let appended = 0;
    await fc.assert(
      fc.asyncProperty(
        segment,
        noteBody,
        fc.option(printable),
        fc.boolean(),
        async (noteId, body, ifMatch, amend) => {
          const status = await send({
            method: 'POST',
            url: `/v1/test-notes/${noteId}${amend ? '/amend' : ''}`,
            headers: { ...bearer(staff), ...(ifMatch === null ? {} : { 'if-match': ifMatch }) },
            payload: body as object,
          });
          if (status >= 200 && status < 300) appended++;
        },
      ),
      { numRuns: RUNS },
    );
    assert.ok(appended > 0, 'some commands should have been valid');
    assert.equal(
      await count("select count(*) as n from mymedic.events where aggregate_type = 'note'"),
      appended,
    );
  });

  it('GET endpoints with arbitrary paths, query strings and headers', async () => {
    const queryKey = fc.oneof(
      fc.constantFrom(
        'cursor',
        'limit',
        'branchId',
        'aggregateType',
        'eventType',
        'recordedFrom',
        'occurredTo',
        'direction',
        'fromVersion',
        'asOf',
        'patientId',
        'from',
      ),
      printable,
    );
    const query = fc
      .array(
        fc.tuple(queryKey, fc.oneof(anyText, fc.integer().map(String), fc.constant('2026-01-01T00:00:00Z'))),
        { maxLength: 4 },
      )
      .map((pairs) => new URLSearchParams(pairs).toString());
    const path = fc.oneof(
      fc.constant('/v1/log'),
      fc.constant('/v1/disclosures'),
      fc.tuple(segment, segment).map(([type, id]) => `/v1/streams/${type}/${id}/events`),
      printable.map((text) => `/v1/${text}`),
    );
    const authorization = fc.oneof(
      fc.constant(`Bearer ${staff}`),
      fc.constant(`Bearer ${admin}`),
      printable,
      printable.map((text) => `Bearer mmk.${text}`),
      printable.map((text) => `Bearer ${text}.${text}.${text}`),
    );
    await fc.assert(
      fc.asyncProperty(
        path,
        query,
        authorization,
        fc.option(printable),
        async (url, search, auth, purpose) => {
          await send({
            method: 'GET',
            url: `${url}?${search}`,
            headers: {
              authorization: auth,
              ...(purpose === null ? {} : { 'x-purpose-of-use': purpose, 'x-correlation-id': purpose }),
            },
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
