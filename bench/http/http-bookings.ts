/**
 * `http-bookings`: the service as `npm start` runs it (its own process, background workers included) on a
 * fresh PostgreSQL database, booked over HTTP by 16 concurrent clients, each request a distinct free slot.
 * Beside it, in the same run and on the same server, the store's own rate for 16 concurrent single-event
 * appends. Setup (tenant, keys through the CLI; pricing, branch, doctors, patients through the API) and a
 * warm-up are not timed.
 */
import { loadavg } from 'node:os';
import { generateMasterKeyText } from '../../src/compliance/master-key.ts';
import { httpCaller, setUpClinicOverHttp } from '../../src/api/testing/http-clinic.ts';
import {
  createKeyWithCli,
  runCli,
  startServiceProcess,
  type ProcessEnv,
} from '../../src/api/testing/service-process.ts';
import { createFreshDatabase } from '../bench-database.ts';
import type { BenchOptions } from '../options.ts';
import type { Sample } from '../measurement.ts';
import { measureInChild } from '../run-child.ts';
import {
  benchDoctorId,
  benchPatientId,
  dayAfter,
  planBookings,
  type PlannedBooking,
} from './booking-plan.ts';
import { runHttpLoad, type PlannedRequest } from './http-load.ts';
import { summariseHttpBookings, type HttpBookingsLine, type HttpBookingsRun } from './http-summary.ts';

export const HTTP_BOOKINGS = 'http-bookings' as const;

export interface HttpBookingsShape {
  readonly clients: number;
  /** One per client: concurrent requests never share a slot ledger. */
  readonly doctors: number;
  readonly warmupBookings: number;
  readonly bookings: number;
  /** Per writer, for the store's own append rate. */
  readonly storeAppendsPerWriter: number;
  /** Fresh databases and a fresh service each; the median run is reported. */
  readonly runs: number;
}

export function httpBookingsShape(quick: boolean): HttpBookingsShape {
  return {
    clients: 16,
    doctors: 16,
    warmupBookings: quick ? 64 : 320,
    bookings: quick ? 480 : 4_800,
    storeAppendsPerWriter: quick ? 25 : 300,
    runs: quick ? 1 : 3,
  };
}

const TENANT = 'bench-http';
const BRANCH = 'br-1';
const POLICY = 'pp-1';
const SLOT_MINUTES = 15;

/**
 * `npm run bench`'s entry for this workload: runs it unless `--only` leaves it out, prints its JSON line (with
 * the highest one-minute load average seen before a run) and returns how many lines failed.
 */
export async function benchHttpBookings(options: BenchOptions): Promise<number> {
  if (options.only && !options.only.includes(HTTP_BOOKINGS)) return 0;
  let load1m = loadavg()[0] ?? 0;
  const progress = (message: string) => {
    load1m = Math.max(load1m, loadavg()[0] ?? 0);
    console.error(message);
  };
  let line: Record<string, unknown>;
  try {
    line = { ...(await measureHttpBookings(options.quick, progress)) };
  } catch (error) {
    console.error(`[bench] ${HTTP_BOOKINGS} failed: ${(error as Error).stack ?? String(error)}`);
    line = { workload: HTTP_BOOKINGS, engine: 'postgres', system: 'mymedic', error: firstLine(error) };
  }
  console.log(JSON.stringify({ ...line, load_1m: Math.round(load1m * 100) / 100 }));
  return 'error' in line ? 1 : 0;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0] ?? text;
}

export async function measureHttpBookings(
  quick: boolean,
  progress: (message: string) => void,
): Promise<HttpBookingsLine> {
  const shape = httpBookingsShape(quick);
  const runs: HttpBookingsRun[] = [];
  for (let run = 1; run <= shape.runs; run++) {
    progress(`[bench] ${HTTP_BOOKINGS} postgres mymedic run ${run}/${shape.runs}`);
    const storeAppends = await measureStoreAppends(shape);
    runs.push({ ...(await measureOverHttp(shape, progress)), storeAppends });
  }
  return summariseHttpBookings(shape.clients, runs);
}

async function measureStoreAppends(shape: HttpBookingsShape): Promise<Sample> {
  const database = await createFreshDatabase();
  try {
    const measurement = await measureInChild({
      system: 'mymedic',
      shape: {
        kind: 'append',
        writers: shape.clients,
        eventsPerWriter: shape.storeAppendsPerWriter,
        batchSize: 1,
        streamsPerWriter: 100,
      },
      target: { engine: 'postgres', url: database.url },
    });
    return measurement.samples[0]!;
  } finally {
    await database.drop();
  }
}

async function measureOverHttp(
  shape: HttpBookingsShape,
  progress: (message: string) => void,
): Promise<Omit<HttpBookingsRun, 'storeAppends'>> {
  const database = await createFreshDatabase();
  try {
    const env: ProcessEnv = {
      ...process.env,
      DATABASE_URL: database.url,
      MYMEDIC_LOG_LEVEL: 'warn',
      MYMEDIC_MASTER_KEY: generateMasterKeyText(),
    };
    const keys = await bootstrapTenant(env);
    const service = await startServiceProcess(env);
    try {
      const call = httpCaller(service.baseUrl);
      const doctors = Array.from({ length: shape.doctors }, (_, i) => i);
      await setUpClinicOverHttp(call, {
        ...keys,
        branchId: BRANCH,
        policyId: POLICY,
        doctorIds: doctors.map(benchDoctorId),
        patientIds: doctors.map(benchPatientId),
        cancellationWindowMinutes: 24 * 60,
        priceMinor: 80_000,
        depositMinor: 20_000,
        slotMinutes: SLOT_MINUTES,
      });
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const plan = (bookings: number, firstDate: string, idPrefix: string) =>
        planBookings({ bookings, doctors: shape.doctors, slotMinutes: SLOT_MINUTES, firstDate, idPrefix });
      const warmup = plan(shape.warmupBookings, tomorrow, 'bk-warm');
      const measured = plan(shape.bookings, dayAfter(warmup, tomorrow), 'bk');
      const load = (bookings: readonly PlannedBooking[]) =>
        runHttpLoad({
          baseUrl: service.baseUrl,
          clients: shape.clients,
          headers: { authorization: `Bearer ${keys.frontDeskKey}` },
          requests: bookings.map(bookingRequest),
        });
      await load(warmup);
      const result = await load(measured);
      const ready = (await (await fetch(`${service.baseUrl}/ready`)).json()) as Record<string, unknown>;
      return { load: result, projectionLagEvents: slowestProjection(ready) };
    } finally {
      const code = await service.stop('SIGTERM');
      if (code !== 0) progress(`[bench] ${HTTP_BOOKINGS}: the service exited with ${code}`);
    }
  } finally {
    await database.drop();
  }
}

/** The operator's bootstrap: `mymedic tenant create`, then an administrator's and a front desk's key. */
async function bootstrapTenant(env: ProcessEnv): Promise<{ adminKey: string; frontDeskKey: string }> {
  const tenant = await runCli(env, 'tenant', 'create', TENANT, '--name', 'Bench Clinics');
  if (tenant.code !== 0) throw new Error(`mymedic tenant create exited ${tenant.code}: ${tenant.stderr}`);
  return {
    adminKey: await createKeyWithCli(env, TENANT, {
      actorId: 'admin-1',
      kind: 'staff',
      role: 'tenant_admin',
    }),
    frontDeskKey: await createKeyWithCli(env, TENANT, { actorId: 'fd-1', kind: 'staff', role: 'front_desk' }),
  };
}

function bookingRequest(booking: PlannedBooking): PlannedRequest {
  return {
    method: 'POST',
    path: `/v1/bookings/${booking.bookingId}`,
    body: {
      patientId: booking.patientId,
      doctorId: booking.doctorId,
      branchId: BRANCH,
      channel: 'staff_console',
      consultationType: 'in_person',
      slot: { date: booking.date, start: booking.start },
      reasonForVisit: null,
    },
  };
}

function slowestProjection(ready: Record<string, unknown>): number {
  const workers = ready['workers'] as { projections?: { eventsBehind: number }[] } | undefined;
  return Math.max(0, ...(workers?.projections ?? []).map((projection) => projection.eventsBehind));
}
