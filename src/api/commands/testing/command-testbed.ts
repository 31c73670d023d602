/**
 * Test support for command endpoints: an app with the command routes under test (every scheduling one unless
 * told) over a test database, a tenant with one key per kind of caller, a clock the test moves, and a small clinic set up through the
 * endpoints themselves (never raw events).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import {
  BOOKING_TIME,
  MONDAY,
  SETUP_TIME,
  testMasterKeys,
} from '../../../commands/testing/clinic-fixture.ts';
import type { Engine } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { PgEventStore } from '../../../store/pg-event-store.ts';
import { collect } from '../../../store/testing/event-factory.ts';
import type { NewApiKey } from '../../../tenancy/credentials/credential-schemas.ts';
import type { ApiRoute } from '../../api-route.ts';
import { buildApp } from '../../app.ts';
import { bearer, seedApiKey, seedTenant } from '../../testing/api-fixture.ts';
import { SCHEDULING_COMMAND_ROUTES } from '../scheduling-routes.ts';

export { BOOKING_TIME, MONDAY, SETUP_TIME };

export const SCHEDULING_CALLERS = {
  admin: { actorId: 'admin-1', kind: 'staff', role: 'tenant_admin' },
  desk: { actorId: 'fd-1', kind: 'staff', role: 'front_desk' },
  doctor: { actorId: 'dr-1', kind: 'doctor', role: 'doctor' },
  auditor: { actorId: 'aud-1', kind: 'auditor', role: 'auditor' },
  pt1: { actorId: 'pt-1', kind: 'patient', role: 'patient' },
  pt2: { actorId: 'pt-2', kind: 'patient', role: 'patient' },
} as const satisfies Readonly<Record<string, NewApiKey>>;

export type Caller = keyof typeof SCHEDULING_CALLERS;

/** The routes the app serves and the callers the tenant has a key for (one per name). */
export interface TestbedOptions<C extends string> {
  readonly routes: readonly ApiRoute[];
  readonly callers: Readonly<Record<C, NewApiKey>>;
}

export interface CommandTestbed<C extends string = Caller> {
  readonly app: FastifyInstance;
  readonly tenantId: string;
  /** What the app's clock reads; tests move it. */
  now: Date;
  post(
    caller: C,
    url: string,
    body?: object,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** The stream's events as stored (patient fields encrypted). */
  events(aggregateType: string, aggregateId: string): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

export function openCommandTestbed(engine: Engine, tenantId: string): Promise<CommandTestbed>;
export function openCommandTestbed<C extends string>(
  engine: Engine,
  tenantId: string,
  options: TestbedOptions<C>,
): Promise<CommandTestbed<C>>;
/** Without options: the scheduling command routes and callers. */
export async function openCommandTestbed<C extends string>(
  engine: Engine,
  tenantId: string,
  options = { routes: SCHEDULING_COMMAND_ROUTES, callers: SCHEDULING_CALLERS } as TestbedOptions<C>,
): Promise<CommandTestbed<C>> {
  await seedTenant(engine, tenantId);
  const keys = {} as Record<C, string>;
  for (const [caller, actor] of Object.entries<NewApiKey>(options.callers)) {
    keys[caller as C] = await seedApiKey(engine, tenantId, actor);
  }
  const store = new PgEventStore(engine);
  const bed: CommandTestbed<C> = {
    app: await buildApp({
      engine,
      masterKeys: testMasterKeys(),
      routes: options.routes,
      clock: () => bed.now,
    }),
    tenantId,
    now: SETUP_TIME,
    post: (caller, url, body, headers = {}) =>
      bed.app.inject({
        method: 'POST',
        url,
        ...(body === undefined ? {} : { payload: body }),
        headers: { ...bearer(keys[caller]), ...headers },
      }),
    events: (aggregateType, aggregateId) =>
      collect(store.readStream({ tenantId, aggregateType, aggregateId })),
    close: () => bed.app.close(),
  };
  return bed;
}

export const patientBody = (name: string, phone: string) => ({
  name,
  phone,
  email: null,
  birthDate: '1988-04-12',
  gender: 'female',
  address: null,
  abhaNumber: null,
  abhaAddress: null,
});

/**
 * Through the endpoints, at SETUP_TIME: pricing policy pp-1 (in_person 800.00, deposit 200.00, 24 h
 * cancellation window), branch br-1, doctor dr-1 there on weekdays 09:00-13:00 Asia/Kolkata in 15-minute
 * slots, patients pt-1 and pt-2. Leaves the clock at BOOKING_TIME (a week before MONDAY).
 */
export async function setUpClinic(bed: CommandTestbed): Promise<void> {
  bed.now = SETUP_TIME;
  const steps: [Caller, string, object | undefined][] = [
    [
      'admin',
      '/v1/pricing-policies/pp-1/rules',
      {
        effectiveFrom: SETUP_TIME.toISOString(),
        currency: 'INR',
        cancellationWindowMinutes: 24 * 60,
        prices: [
          {
            consultationType: 'in_person',
            price: { amountMinor: 80_000, currency: 'INR' },
            deposit: { amountMinor: 20_000, currency: 'INR' },
          },
        ],
      },
    ],
    ['admin', '/v1/branches/br-1', { name: 'Indiranagar', pricingPolicyId: 'pp-1' }],
    [
      'admin',
      '/v1/doctors/dr-1',
      { name: 'Dr. Meera Iyer', registrationNumber: 'KMC-104233', specialties: [], timeZone: 'Asia/Kolkata' },
    ],
    ['admin', '/v1/doctors/dr-1/branches/br-1', undefined],
    [
      'admin',
      '/v1/doctors/dr-1/branches/br-1/availability',
      {
        windows: [1, 2, 3, 4, 5].map((weekday) => ({
          weekday,
          start: '09:00',
          end: '13:00',
          slotMinutes: 15,
        })),
      },
    ],
    ['desk', '/v1/patients/pt-1', patientBody('Asha Rao', '+919812345678')],
    ['desk', '/v1/patients/pt-2', patientBody('Ravi Kumar', '+919812300000')],
  ];
  for (const [caller, url, body] of steps) {
    const response = await bed.post(caller, url, body);
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  }
  bed.now = BOOKING_TIME;
}

/** A CreateBooking body for pt-1 with dr-1 at br-1 on MONDAY. */
export const bookingBody = (start: string, patientId = 'pt-1') => ({
  patientId,
  doctorId: 'dr-1',
  branchId: 'br-1',
  channel: 'staff_console',
  consultationType: 'in_person',
  slot: { date: MONDAY, start },
});
