/**
 * The service's background workers as they run in production: commands written by the request path (role
 * mymedic_app, one tenant), every read model and process manager consuming as role mymedic_worker. Proves the
 * worker role's grants and policies on both engines: the portal request becomes a booking, the late
 * cancellation forfeits the deposit, every read model applies every event (none parked, none failing), and
 * the request path reads its own tenant's rows back.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, it } from 'node:test';
import { buildClinic, metadataFor, MONDAY, testMasterKeys } from '../commands/testing/clinic-fixture.ts';
import { bookingIdForPortalRequest } from '../process-managers/portal-requests.ts';
import { paymentById } from '../projections/read-models/payments/payments-queries.ts';
import { branchDays } from '../projections/read-models/reconciliation/reconciliation-queries.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { tenantScopedEngine } from '../tenancy/scoped-engine.ts';
import { ServiceWorkers } from './service-workers.ts';

const BOOKED_AT = new Date('2026-12-01T06:00:00.000Z');
/** Monday 10:00 Asia/Kolkata is 04:30 UTC; 20 hours before is inside pp-1's 24 h cancellation window. */
const CANCELLED_AT = new Date('2026-12-06T08:30:00.000Z');

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describeEachEngine('service workers as mymedic_worker', (db) => {
  const masterKeys = testMasterKeys();
  let workers: ServiceWorkers | undefined;
  afterEach(async () => {
    await workers?.stop();
    workers = undefined;
  });

  it('book a portal request and forfeit a late cancellation, with every read model applying every event', async () => {
    const tenantId = `workers-${Date.now()}`;
    const requestPath = tenantScopedEngine(db().engine, tenantId);
    const commands = await buildClinic(requestPath, tenantId, masterKeys);
    const errors: string[] = [];
    workers = new ServiceWorkers(db().engine, { masterKeys, pollIntervalMs: 100 });
    workers.onFailure((worker, error) => errors.push(`${worker}: ${String(error)}`));
    await workers.start();

    await commands.execute(
      'portal_request',
      {
        type: 'RequestPortalBooking',
        requestId: 'pr-1',
        patientId: 'pt-1',
        doctorId: 'dr-1',
        branchId: 'br-1',
        consultationType: 'in_person',
        slot: { date: MONDAY, start: '10:00' },
        reasonForVisit: 'knee pain',
        now: BOOKED_AT,
      },
      metadataFor(tenantId, BOOKED_AT, { actor: { id: 'pt-1', kind: 'patient', role: 'patient' } }),
    );
    const bookingId = bookingIdForPortalRequest('pr-1');
    await eventually(async () => {
      const request = await commands.state(tenantId, 'portal_request', 'pr-1');
      return (request.state as { status: string }).status === 'accepted' ? true : undefined;
    }, 'the portal request to be accepted');

    await commands.execute(
      'payment',
      {
        type: 'PayDeposit',
        paymentId: 'pay-1',
        payer: { patientId: 'pt-1', branchId: 'br-1', bookingId },
        amount: { amountMinor: 20_000, currency: 'INR' },
        method: 'upi',
        pricingPolicy: { policyId: 'pp-1', version: 1 },
        transactionRef: 'upi-1',
        now: BOOKED_AT,
      },
      metadataFor(tenantId, BOOKED_AT),
    );
    await commands.book(
      {
        type: 'CancelBooking',
        bookingId,
        initiatedBy: 'patient',
        reasonCode: 'patient_request',
        portalRequestId: null,
        now: CANCELLED_AT,
      },
      metadataFor(tenantId, CANCELLED_AT),
    );

    const payment = await eventually(async () => {
      const found = await paymentById(requestPath, { tenantId, paymentId: 'pay-1' });
      return found?.status === 'forfeited' ? found : undefined;
    }, 'payments_view to show the forfeit');
    assert.equal(payment.forfeitedMinor, 20_000);
    const day = await eventually(async () => {
      const days = await branchDays(requestPath, { tenantId, from: '2026-12-01', to: '2026-12-31' });
      return days.find((entry) => entry.forfeitsMinor > 0);
    }, 'reconciliation_view to show the forfeit');
    assert.deepEqual(
      { branchId: day.branchId, count: day.forfeitsCount, minor: day.forfeitsMinor },
      { branchId: 'br-1', count: 1, minor: 20_000 },
    );

    const health = await eventually(async () => {
      const report = await workers!.health();
      return report.projections.every((p) => p.eventsBehind === 0) ? report : undefined;
    }, 'every read model to catch up');
    assert.equal(health.state, 'running');
    assert.deepEqual(
      health.projections.map(({ projection, state, parked }) => ({ projection, state, parked })),
      health.projections.map(({ projection }) => ({ projection, state: 'running', parked: 0 })),
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(
      await workers.lag(),
      health.projections.map((p) => ({ projection: p.projection, events: 0, seconds: 0 })),
    );
  });
});
