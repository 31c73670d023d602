/**
 * A refund names only its payment, yet belongs to the branch that took the money: branch-sliced reads and
 * replays must see it there. Aggregates that span branches (a doctor) must not pass a branch on.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PgEventStore } from '../store/pg-event-store.ts';
import { collect } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { buildClinic, metadataFor, SETUP_TIME } from './testing/clinic-fixture.ts';

describeEachEngine('the branch of events whose payload names none', (db) => {
  it('is inherited within a branch-bound stream and not within a doctor stream', async () => {
    const tenantId = `branch-inherit-${Date.now()}`;
    const commands = await buildClinic(db().engine, tenantId);
    const meta = metadataFor(tenantId, SETUP_TIME);
    const money = { amountMinor: 50_000, currency: 'INR' };
    await commands.execute(
      'payment',
      {
        type: 'PayBalance',
        paymentId: 'pay-1',
        payer: { patientId: 'pt-1', branchId: 'br-1', bookingId: null },
        amount: money,
        method: 'cash',
        transactionRef: null,
        now: SETUP_TIME,
      },
      meta,
    );
    await commands.execute(
      'payment',
      {
        type: 'RequestRefund',
        paymentId: 'pay-1',
        refundId: 'rf-1',
        amount: { amountMinor: 10_000, currency: 'INR' },
        reasonCode: 'overpayment',
        note: null,
        now: SETUP_TIME,
      },
      meta,
    );
    const store = new PgEventStore(db().engine);
    const payment = await collect(
      store.readStream({ tenantId, aggregateType: 'payment', aggregateId: 'pay-1' }),
    );
    assert.deepEqual(
      payment.map((event) => [event.eventType, event.branchId]),
      [
        ['payment.balance.paid', 'br-1'],
        ['payment.refund.requested', 'br-1'],
      ],
    );
    const inBranch = await collect(store.readTenantLog(tenantId, { branchId: 'br-1' }));
    assert.ok(inBranch.some((event) => event.eventType === 'payment.refund.requested'));

    const doctor = await collect(
      store.readStream({ tenantId, aggregateType: 'doctor', aggregateId: 'dr-1' }),
    );
    const onboarded = doctor.find((event) => event.eventType === 'doctor.onboarded');
    assert.equal(onboarded?.branchId, null);
  });
});
