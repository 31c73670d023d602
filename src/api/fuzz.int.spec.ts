import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import fc from 'fast-check';
import {
  BOOKING_TIME,
  buildClinic,
  metadataFor,
  MONDAY,
  testMasterKeys,
} from '../commands/testing/clinic-fixture.ts';
import { CREDENTIAL_ACTOR_KINDS, ROLE_NAMES, ROLES } from '../tenancy/roles.ts';
import { tenantScopedEngine } from '../tenancy/scoped-engine.ts';
import { SERVICE_COMMAND_ROUTES, SERVICE_ROUTES } from './service-routes.ts';
import { ServiceWorkers } from './service-workers.ts';
import { amendNote, createNote } from './testing/example-command-routes.ts';
import { bearer, openApiTestbed, seedApiKey, seedTenant, type ApiTestbed } from './testing/api-fixture.ts';
import {
  anyJson,
  anyText,
  bodyArbitrary,
  pathArbitrary,
  printable,
  type JsonSchema,
  type ValueHints,
} from './testing/openapi-arbitrary.ts';

const RUNS = Number(process.env['MYMEDIC_FUZZ_RUNS'] ?? 800);

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

/** Ids, dates and instants near the seeded clinic (fixed clock BOOKING_TIME), so decisions get reached. */
const hints: ValueHints = {
  id: fc.oneof(
    fc.constantFrom('pp-1', 'br-1', 'dr-1', 'pt-1', 'bk-1', 'pay-1'),
    fc
      .tuple(
        fc.constantFrom('bk', 'pay', 'pt', 'dr', 'br', 'pp', 'vi', 'rq', 'cl'),
        fc.integer({ min: 1, max: 3 }),
      )
      .map(([prefix, n]) => `${prefix}-${n}`),
  ),
  date: fc.oneof(
    fc.constantFrom(MONDAY, '2026-12-08', '2026-12-01', '2026-11-30'),
    fc.integer({ min: -400, max: 400 }).map((days) => isoDate(days)),
  ),
  instant: fc
    .integer({ min: -60 * 24 * 30, max: 60 * 24 * 30 })
    .map((minutes) => new Date(BOOKING_TIME.getTime() + minutes * 60_000).toISOString()),
  byName: {
    timeZone: fc.constantFrom('Asia/Kolkata', 'UTC'),
    currency: fc.constant('INR'),
    amountMinor: fc.integer({ min: 0, max: 100_000 }),
    consultationType: fc.constantFrom('in_person', 'tele'),
    start: fc.constantFrom('09:00', '10:00', '10:15', '12:45'),
    end: fc.constantFrom('13:00', '24:00'),
    slotMinutes: fc.constantFrom(15, 30),
  },
};

function isoDate(daysFromBooking: number): string {
  return new Date(BOOKING_TIME.getTime() + daysFromBooking * 86_400_000).toISOString().slice(0, 10);
}

interface OpenApiOperation {
  readonly parameters?: readonly { in: string; name: string; schema: JsonSchema }[];
  readonly requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

/** `/v1/bookings/:bookingId` → `/v1/bookings/{bookingId}`, as the OpenAPI document names paths. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

describe('fuzzed requests never cause a 5xx or a partial write', () => {
  let bed: ApiTestbed;
  let admin: string;
  let staff: string;
  /** One key per role that writes (the patient acts as pt-1), and an auditor, who may not. */
  let roleKeys: string[];
  const masterKeys = testMasterKeys();

  before(async () => {
    bed = await openApiTestbed('pglite', {
      routes: [createNote, amendNote, ...SERVICE_ROUTES],
      masterKeys,
      clock: () => BOOKING_TIME,
    });
    await seedTenant(bed.engine, 'acme');
    admin = await seedApiKey(bed.engine, 'acme', { actorId: 'adm-1', kind: 'staff', role: 'tenant_admin' });
    staff = await seedApiKey(bed.engine, 'acme', { actorId: 'fd-1', kind: 'staff', role: 'front_desk' });
    roleKeys = [
      admin,
      staff,
      await seedApiKey(bed.engine, 'acme', { actorId: 'fin-1', kind: 'finance', role: 'finance' }),
      await seedApiKey(bed.engine, 'acme', { actorId: 'dr-1', kind: 'doctor', role: 'doctor' }),
      await seedApiKey(bed.engine, 'acme', { actorId: 'pt-1', kind: 'patient', role: 'patient' }),
      await seedApiKey(bed.engine, 'acme', { actorId: 'aud-1', kind: 'auditor', role: 'auditor' }),
    ];
    await seedClinicHistory();
  });
  after(() => bed.close());

  /**
   * pp-1, br-1, dr-1 (Mon-Fri 09:00-13:00 Asia/Kolkata), pt-1, booking bk-1 with deposit pay-1, so commands
   * on existing aggregates can succeed; the read models are installed and caught up, then their workers stop
   * (nothing but the fuzzed requests appends while the fuzz counts events).
   */
  async function seedClinicHistory(): Promise<void> {
    const commands = await buildClinic(tenantScopedEngine(bed.engine, 'acme'), 'acme', masterKeys);
    const meta = metadataFor('acme', BOOKING_TIME);
    await commands.book(
      {
        type: 'CreateBooking',
        bookingId: 'bk-1',
        patientId: 'pt-1',
        doctorId: 'dr-1',
        branchId: 'br-1',
        channel: 'staff_console',
        consultationType: 'in_person',
        slot: { date: MONDAY, start: '10:00' },
        reasonForVisit: null,
        portalRequestId: null,
        now: BOOKING_TIME,
      },
      meta,
    );
    await commands.execute(
      'payment',
      {
        type: 'PayDeposit',
        paymentId: 'pay-1',
        payer: { patientId: 'pt-1', branchId: 'br-1', bookingId: 'bk-1' },
        amount: { amountMinor: 20_000, currency: 'INR' },
        method: 'upi',
        pricingPolicy: { policyId: 'pp-1', version: 1 },
        transactionRef: 'upi-1',
        now: BOOKING_TIME,
      },
      meta,
    );
    const workers = new ServiceWorkers(bed.engine, { masterKeys });
    await workers.start();
    await workers.stop();
  }

  const count = async (sql: string) => Number((await bed.engine.query<{ n: string }>(sql)).rows[0]!.n);

  /** The response, or undefined when the test client itself refused the URL or a header (not our failure). */
  async function sendRaw(request: InjectOptions) {
    let response;
    try {
      response = await bed.app.inject(request);
    } catch (error) {
      if (error instanceof TypeError || (error as { code?: string }).code === 'ERR_INVALID_CHAR') {
        return undefined;
      }
      throw error;
    }
    assert.ok(
      response.statusCode < 500,
      `${request.method} ${request.url} → ${response.statusCode} ${response.body}`,
    );
    if (response.statusCode >= 400)
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    return response;
  }

  async function send(request: InjectOptions): Promise<number> {
    return (await sendRaw(request))?.statusCode ?? 0;
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

  it('every command route of the service: events appended = events answered for a 2xx, none otherwise', async () => {
    await bed.app.ready();
    const document = bed.app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> };
    const events = () => count('select count(*) as n from mymedic.events');
    let appended = 0;
    const neverPastValidation: string[] = [];
    for (const route of SERVICE_COMMAND_ROUTES) {
      const routeName = `${route.method} ${route.url}`;
      const operation = document.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      assert.ok(operation, `${routeName} is missing from the OpenAPI document`);
      const statuses = new Set<number>();
      /** Sends one request; checks the answer and that it wrote exactly the events it names. */
      const attempt = async (url: string, key: string, body: unknown, ifMatch: string | null) => {
        const before = await events();
        const response = await sendRaw({
          method: route.method as InjectOptions['method'],
          url,
          headers: {
            ...bearer(key),
            'content-type': 'application/json',
            ...(ifMatch === null ? {} : { 'if-match': ifMatch }),
          },
          ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        });
        const written = (await events()) - before;
        const ok = response !== undefined && response.statusCode >= 200 && response.statusCode < 300;
        const answered = ok ? (response.json() as { events: string[] }).events.length : 0;
        assert.equal(written, answered, `${routeName} → ${response?.statusCode} wrote ${written} events`);
        if (response) statuses.add(response.statusCode);
        appended += written;
        return response?.statusCode;
      };
      // Permission is checked before the body is read: most cases go to the roles that may call the route.
      const allowed: string[] = [];
      for (const key of roleKeys) {
        if ((await attempt(route.url.replaceAll(/:[A-Za-z]+/g, 'probe-0'), key, {}, null)) !== 403) {
          allowed.push(key);
        }
      }
      assert.ok(allowed.length > 0, `no role may call ${routeName}`);
      const parameters = Object.fromEntries(
        (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, p.schema]),
      );
      await fc.assert(
        fc.asyncProperty(
          pathArbitrary(route.url, hints, parameters),
          fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...allowed) }, fc.constantFrom(...roleKeys)),
          bodyArbitrary(operation.requestBody?.content['application/json']?.schema, hints),
          fc.oneof(
            { weight: 4, arbitrary: fc.constant(null) },
            fc.oneof(fc.constantFrom('"1"', '"2"', '*'), printable),
          ),
          async (url, key, body, ifMatch) => {
            await attempt(url, key, body, ifMatch);
          },
        ),
        { numRuns: Math.ceil(RUNS / 8) },
      );
      // A route whose every body was refused before the decision would be fuzzed in name only.
      if (![...statuses].some((status) => ![400, 401, 403].includes(status)))
        neverPastValidation.push(routeName);
    }
    assert.ok(appended > 0, 'some commands should have succeeded');
    assert.deepEqual(neverPastValidation, []);
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
        'to',
        'date',
        'by',
        'doctorId',
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
      fc
        .constantFrom(...SERVICE_ROUTES.filter((route) => route.method === 'GET'))
        .chain((route) => pathArbitrary(route.url, hints)),
    );
    const authorization = fc.oneof(
      fc.constantFrom(...roleKeys.map((key) => `Bearer ${key}`)),
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
