import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildClinic, metadataFor, MONDAY, testMasterKeys } from '../commands/testing/clinic-fixture.ts';
import type { CommandService } from '../commands/command-service.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { collect } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import type { Engine } from '../store/engines/engine.ts';
import { ProcessManagerRunner } from './process-manager-runner.ts';
import { ALL_PROCESS_MANAGERS } from './registry.ts';
import { bookingIdForPortalRequest } from './portal-requests.ts';

const REQUEST_TIME = new Date('2026-12-01T06:00:00.000Z');
/** Monday 10:00 Asia/Kolkata is 04:30 UTC; 20 hours before is inside the 24 h window. */
const LATE_CANCEL_TIME = new Date('2026-12-06T08:30:00.000Z');

async function withRunner<T>(
  engine: Engine,
  commands: CommandService,
  work: (runner: ProcessManagerRunner) => Promise<T>,
) {
  const runner = new ProcessManagerRunner(engine, commands, ALL_PROCESS_MANAGERS, {
    pollIntervalMs: 50,
    onError: (manager, error) => console.error(manager, error),
  });
  await runner.start();
  try {
    return await work(runner);
  } finally {
    await runner.stop();
  }
}

describeEachEngine('process managers', (db) => {
  // One deployment, one master key: the runner reads every tenant's history.
  const masterKeys = testMasterKeys();
  it('books a portal request through the slot guard, and refuses a second request for the same slot', async () => {
    const tenantId = `pm-portal-${Date.now()}`;
    const commands = await buildClinic(db().engine, tenantId, masterKeys);
    const request = (requestId: string) =>
      commands.execute(
        'portal_request',
        {
          type: 'RequestPortalBooking',
          requestId,
          patientId: 'pt-1',
          doctorId: 'dr-1',
          branchId: 'br-1',
          consultationType: 'in_person',
          slot: { date: MONDAY, start: '11:00' },
          reasonForVisit: 'knee pain',
          now: REQUEST_TIME,
        },
        metadataFor(tenantId, REQUEST_TIME, { actor: { id: 'pt-1', kind: 'patient', role: 'patient' } }),
      );
    await withRunner(db().engine, commands, async (runner) => {
      await runner.waitFor((await request('pr-1')).appended!);
      await runner.waitFor((await request('pr-2')).appended!);
      const first = (await commands.state(tenantId, 'portal_request', 'pr-1')).state as {
        status: string;
        bookingId?: string;
      };
      const second = (await commands.state(tenantId, 'portal_request', 'pr-2')).state as {
        status: string;
        reasonCode?: string;
      };
      assert.equal(first.status, 'accepted');
      assert.equal(first.bookingId, bookingIdForPortalRequest('pr-1'));
      assert.equal(second.status, 'refused');
      assert.match(second.reasonCode ?? '', /^[A-Z_]+$/);
    });
    const store = new PgEventStore(db().engine);
    const [created] = await collect(store.readTenantLog(tenantId, { eventTypes: ['booking.created'] }));
    const [requested] = await collect(
      store.readTenantLog(tenantId, { eventTypes: ['portal.booking.requested'] }),
    );
    assert.ok(created && requested);
    assert.equal(created.causationId, requested.eventId);
    assert.equal(created.correlationId, requested.correlationId);
    assert.equal(created.actor.kind, 'system');
    assert.equal((created.payload as { channel: string }).channel, 'portal');
  });

  it('forfeits the deposit of a late cancellation once, and a replay from the start re-fires nothing', async () => {
    const tenantId = `pm-forfeit-${Date.now()}`;
    const commands = await buildClinic(db().engine, tenantId, masterKeys);
    const booked = await commands.book(
      {
        type: 'CreateBooking',
        bookingId: 'bk-late',
        patientId: 'pt-1',
        doctorId: 'dr-1',
        branchId: 'br-1',
        channel: 'staff_console',
        consultationType: 'in_person',
        slot: { date: MONDAY, start: '10:00' },
        reasonForVisit: null,
        portalRequestId: null,
        now: REQUEST_TIME,
      },
      metadataFor(tenantId, REQUEST_TIME),
    );
    assert.ok(booked.appended);
    await commands.execute(
      'payment',
      {
        type: 'PayDeposit',
        paymentId: 'pay-late',
        payer: { patientId: 'pt-1', branchId: 'br-1', bookingId: 'bk-late' },
        amount: { amountMinor: 20_000, currency: 'INR' },
        method: 'upi',
        pricingPolicy: { policyId: 'pp-1', version: 1 },
        transactionRef: 'upi-123',
        now: REQUEST_TIME,
      },
      metadataFor(tenantId, REQUEST_TIME),
    );
    const cancelMeta = metadataFor(tenantId, LATE_CANCEL_TIME);
    const cancelled = await commands.book(
      {
        type: 'CancelBooking',
        bookingId: 'bk-late',
        initiatedBy: 'patient',
        reasonCode: 'patient_request',
        portalRequestId: null,
        now: LATE_CANCEL_TIME,
      },
      cancelMeta,
    );
    const store = new PgEventStore(db().engine);
    const forfeits = async () =>
      collect(store.readTenantLog(tenantId, { eventTypes: ['payment.deposit.forfeited'] }));
    await withRunner(db().engine, commands, (runner) => runner.waitFor(cancelled.appended!));
    const [forfeited, ...more] = await forfeits();
    assert.ok(forfeited, 'the deposit was not forfeited');
    assert.deepEqual(more, []);
    const [cancellation] = await collect(
      store.readTenantLog(tenantId, { eventTypes: ['booking.cancelled'] }),
    );
    assert.equal(forfeited.causationId, cancellation!.eventId);
    assert.equal(forfeited.correlationId, cancelMeta.correlationId);

    await db().engine.query(
      `update mymedic.subscription_checkpoints set tx_id = '0', global_position = 0
        where subscription_id like 'process-manager:%'`,
    );
    await withRunner(db().engine, commands, (runner) => runner.waitFor(cancelled.appended!));
    assert.equal((await forfeits()).length, 1, 'replaying history re-fired a reaction');
  });
});
