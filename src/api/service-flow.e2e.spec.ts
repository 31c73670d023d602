/**
 * What `npm start` runs, end to end, as a clinic would use it: the operator bootstraps a tenant and its keys
 * with the CLI on a fresh data directory, starts the service, and over real HTTP the administrator sets up a
 * priced branch and an available doctor, the front desk registers a patient, books a slot, takes the deposit
 * and cancels inside the cancellation window. Nobody forfeits the deposit by hand: the service's own process
 * manager does, and its read models show it to finance in payments_view and reconciliation_view. SIGTERM stops
 * the service cleanly, and its log never holds the patient's details or a key.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { expectSuccess, httpCaller, setUpClinicOverHttp, type HttpCall } from './testing/http-clinic.ts';
import {
  createKeyWithCli,
  runCli,
  startServiceProcess,
  type ServiceProcess,
} from './testing/service-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'mymedic-flow-'));
const ENV = { ...process.env, DATABASE_URL: '', MYMEDIC_DATA_DIR: dataDir, MYMEDIC_PGLITE_FSYNC: 'off' };
const TENANT = 'acme';
const DEPOSIT_MINOR = 20_000;
const CANCEL_CORRELATION = 'late-cancel-0001';

/** The quarter hour at least two hours from now (UTC): bookable now, and well inside a 24 h window. */
function slotSoon(now = Date.now()): { date: string; start: string } {
  const quarter = 15 * 60_000;
  const start = new Date(Math.ceil((now + 2 * 3_600_000) / quarter) * quarter);
  const iso = start.toISOString();
  return { date: iso.slice(0, 10), start: iso.slice(11, 16) };
}

const isoDay = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Polls `probe` until it returns a value (read models are updated by the service's workers, not the request). */
async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('npm start: book, pay, cancel late → the deposit is forfeited', { timeout: 300_000 }, () => {
  let service: ServiceProcess;
  let call: HttpCall;
  const keys = { admin: '', frontDesk: '', finance: '' };

  before(async () => {
    const tenant = await runCli(ENV, 'tenant', 'create', TENANT, '--name', 'Acme Clinics');
    assert.equal(tenant.code, 0, tenant.stderr);
    keys.admin = await createKeyWithCli(ENV, TENANT, {
      actorId: 'adm-1',
      kind: 'staff',
      role: 'tenant_admin',
    });
    keys.frontDesk = await createKeyWithCli(ENV, TENANT, {
      actorId: 'fd-1',
      kind: 'staff',
      role: 'front_desk',
    });
    keys.finance = await createKeyWithCli(ENV, TENANT, {
      actorId: 'fin-1',
      kind: 'finance',
      role: 'finance',
    });
    service = await startServiceProcess({ ...ENV, MYMEDIC_LOG_LEVEL: 'info' });
    call = httpCaller(service.baseUrl);
  });

  after(async () => {
    await service?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every read model and process manager beside the HTTP server', async () => {
    const ready = await eventually(async () => {
      const body = (await (await fetch(`${service.baseUrl}/ready`)).json()) as {
        status: string;
        workers: { state: string; projections: { projection: string; state: string }[] };
      };
      return body.workers.state === 'running' ? body : undefined;
    }, 'the background workers to start');
    assert.equal(ready.status, 'ready');
    assert.deepEqual(
      ready.workers.projections.map((p) => p.state),
      ready.workers.projections.map(() => 'running'),
    );
    assert.ok(ready.workers.projections.some((p) => p.projection === 'payments_view'));
    assert.ok(ready.workers.projections.some((p) => p.projection === 'reconciliation_view'));
  });

  it('forfeits the deposit of a late cancellation and shows it in payments_view and reconciliation_view', async () => {
    await setUpClinicOverHttp(call, {
      adminKey: keys.admin,
      frontDeskKey: keys.frontDesk,
      branchId: 'br-1',
      policyId: 'pp-1',
      doctorIds: ['dr-1'],
      patientIds: ['pt-1'],
      cancellationWindowMinutes: 24 * 60,
      priceMinor: 80_000,
      depositMinor: DEPOSIT_MINOR,
      slotMinutes: 15,
    });
    const booked = await expectSuccess(call, 'POST', '/v1/bookings/bk-1', keys.frontDesk, {
      patientId: 'pt-1',
      doctorId: 'dr-1',
      branchId: 'br-1',
      channel: 'staff_console',
      consultationType: 'in_person',
      slot: slotSoon(),
      reasonForVisit: 'fever for three days',
    });
    assert.equal(booked.status, 201);
    const paid = await expectSuccess(call, 'POST', '/v1/payments/pay-1/deposit', keys.frontDesk, {
      payer: { patientId: 'pt-1', branchId: 'br-1', bookingId: 'bk-1' },
      amount: { amountMinor: DEPOSIT_MINOR, currency: 'INR' },
      method: 'upi',
      pricingPolicy: { policyId: 'pp-1', version: 1 },
      transactionRef: 'upi-0001',
    });
    assert.equal(paid.status, 201);

    const cancelled = await fetch(`${service.baseUrl}/v1/bookings/bk-1/cancel`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keys.frontDesk}`,
        'content-type': 'application/json',
        'x-correlation-id': CANCEL_CORRELATION,
        'if-match': booked.headers.get('etag')!,
      },
      body: JSON.stringify({ initiatedBy: 'patient', reasonCode: 'patient_request' }),
    });
    assert.equal(cancelled.status, 200, await cancelled.clone().text());
    const { events } = (await cancelled.json()) as { events: string[] };
    assert.ok(events.includes('booking.cancelled'), events.join());

    const payment = await eventually(async () => {
      const answer = await call('GET', '/v1/payments/pay-1', keys.finance);
      const found = answer.body['payment'] as { status: string; forfeitedMinor: number } | undefined;
      return found?.status === 'forfeited' ? found : undefined;
    }, 'payments_view to show the forfeit');
    assert.equal(payment.forfeitedMinor, DEPOSIT_MINOR);

    const day = await eventually(async () => {
      const answer = await expectSuccess(
        call,
        'GET',
        `/v1/reconciliation/branch-days?from=${isoDay(-1)}&to=${isoDay(1)}&branchId=br-1`,
        keys.finance,
      );
      const days = answer.body['days'] as { forfeitsCount: number; forfeitsMinor: number }[];
      return days.find((entry) => entry.forfeitsMinor > 0);
    }, 'reconciliation_view to show the forfeit');
    assert.deepEqual(
      { count: day.forfeitsCount, minor: day.forfeitsMinor },
      { count: 1, minor: DEPOSIT_MINOR },
    );

    const log = await expectSuccess(
      call,
      'GET',
      '/v1/log?eventType=booking.cancelled,payment.deposit.forfeited',
      keys.admin,
    );
    const [cancellation, forfeit] = log.body['events'] as {
      eventId: string;
      eventType: string;
      causationId: string;
      correlationId: string;
      actor: { kind: string };
    }[];
    assert.equal(forfeit?.eventType, 'payment.deposit.forfeited');
    assert.equal(forfeit.causationId, cancellation!.eventId);
    assert.equal(forfeit.correlationId, CANCEL_CORRELATION);
    assert.equal(forfeit.actor.kind, 'system');
  });

  it("reports each read model's lag in /metrics", async () => {
    const metrics = await (await fetch(`${service.baseUrl}/metrics`)).text();
    assert.match(metrics, /^mymedic_projection_lag_events\{projection="payments_view"\} \d+$/m);
    assert.match(metrics, /^mymedic_projection_lag_seconds\{projection="reconciliation_view"\} [\d.e+-]+$/m);
  });

  it('stops on SIGTERM with exit code 0, its log holding no patient details and no key', async () => {
    assert.equal(await service.stop('SIGTERM'), 0);
    const messages = service.logLines.map((line) => line['msg']);
    assert.ok(messages.includes('background workers started'));
    assert.ok(messages.includes('mymedic stopped'));
    const text = JSON.stringify(service.logLines);
    for (const secret of [
      'Patient 0',
      'fever for three days',
      ...Object.values(keys).map((k) => k.split('.')[2]!),
    ]) {
      assert.ok(!text.includes(secret), `the log holds ${secret}`);
    }
  });
});
