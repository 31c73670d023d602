import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { buildWithEveryEventTwice, modelRows } from '../../../analytics/testing/every-event-twice.ts';
import { writeFinanceHistory } from '../../../analytics/testing/finance-history.ts';
import { describeEachEngine } from '../../../store/testing/test-engines.ts';
import { ProjectionRuntime } from '../../projection-runtime.ts';
import { assertBranchReplaysRebuildOnlyTheirBranch } from '../testing/branch-replay-check.ts';
import { assertRebuildsIdentically, plaintextIn } from '../testing/read-model-checks.ts';
import {
  openDisputes,
  openRefunds,
  paymentById,
  paymentHistory,
  paymentsOfBooking,
  type PaymentSummary,
} from './payments-queries.ts';
import { paymentsView } from './payments-view.ts';

const TENANT = 'payments-view-a';

describeEachEngine('payments_view', (db) => {
  let runtime: ProjectionRuntime;
  before(async () => {
    runtime = new ProjectionRuntime(db().engine, { projections: [paymentsView], pollIntervalMs: 100 });
    // Started before the history is written: the model is built incrementally, batch by batch.
    await runtime.start();
    const history = await writeFinanceHistory(db().engine, TENANT);
    await runtime.waitFor(history.last);
    // Stopped here, not in an after hook (which would run after the database is closed); replays still work.
    await runtime.stop();
  });

  const payment = async (paymentId: string) => {
    const found = await paymentById(db().engine, { tenantId: TENANT, paymentId });
    assert.ok(found, paymentId);
    return found;
  };
  const sums = (summary: PaymentSummary) => ({
    deposit: summary.depositMinor,
    balance: summary.balanceMinor,
    paid: summary.paidMinor,
    forfeited: summary.forfeitedMinor,
    refundOpen: summary.refundOpenMinor,
    refunded: summary.refundedMinor,
    disputeOpen: summary.disputeOpenMinor,
    disputeReturned: summary.disputeReturnedMinor,
    net: summary.netMinor,
    status: summary.status,
  });

  it('gives each payment its balance, status and the pricing version its deposit was taken under', async () => {
    assert.deepEqual(await payment('pay-1'), {
      paymentId: 'pay-1',
      bookingId: 'bk-1',
      patientId: 'pt-1',
      branchId: 'br-1',
      currency: 'INR',
      pricingPolicy: { policyId: 'pp-1', version: 1 },
      depositMinor: 20_000,
      depositMethod: 'upi',
      balanceMinor: 60_000,
      paidMinor: 80_000,
      forfeitedMinor: 0,
      forfeitCause: null,
      refundOpenMinor: 0,
      refundedMinor: 0,
      disputeOpenMinor: 0,
      disputeReturnedMinor: 10_000,
      netMinor: 70_000,
      status: 'balance_paid',
      firstPaidAt: '2026-12-01T06:00:00.000Z',
      lastEventAt: '2026-12-12T06:00:00.000Z',
      version: 4,
    });
    const zero = {
      deposit: 0,
      balance: 0,
      paid: 0,
      forfeited: 0,
      refundOpen: 0,
      refunded: 0,
      disputeOpen: 0,
      disputeReturned: 0,
    };
    assert.deepEqual(sums(await payment('pay-2')), {
      ...zero,
      deposit: 20_000,
      paid: 20_000,
      forfeited: 20_000,
      net: 20_000,
      status: 'forfeited',
    });
    assert.equal((await payment('pay-2')).forfeitCause, 'late_cancellation');
    assert.equal((await payment('pay-4')).forfeitCause, 'no_show');
    assert.deepEqual(sums(await payment('pay-5')), {
      ...zero,
      deposit: 50_000,
      paid: 50_000,
      refundOpen: 5_000,
      net: 50_000,
      status: 'refund_pending',
    });
    const walkInStyle = await payment('pay-6');
    assert.equal(walkInStyle.pricingPolicy, null);
    assert.deepEqual(sums(walkInStyle), {
      ...zero,
      balance: 80_000,
      paid: 80_000,
      disputeOpen: 80_000,
      net: 80_000,
      status: 'disputed',
    });
    assert.deepEqual(sums(await payment('pay-7')), {
      ...zero,
      deposit: 20_000,
      paid: 20_000,
      refunded: 20_000,
      net: 0,
      status: 'returned',
    });
    assert.equal(await paymentById(db().engine, { tenantId: 'another-tenant', paymentId: 'pay-1' }), null);
  });

  it('lists a payment’s lifecycle in stream order, and the payments of a booking', async () => {
    const history = await paymentHistory(db().engine, { tenantId: TENANT, paymentId: 'pay-1' });
    assert.deepEqual(
      history.map(({ eventId: _id, ...entry }) => entry),
      [
        {
          version: 1,
          eventType: 'payment.deposit.paid',
          occurredAt: '2026-12-01T06:00:00.000Z',
          amountMinor: 20_000,
          currency: 'INR',
          referenceId: null,
          detail: 'upi',
        },
        {
          version: 2,
          eventType: 'payment.balance.paid',
          occurredAt: '2026-12-07T03:55:00.000Z',
          amountMinor: 60_000,
          currency: 'INR',
          referenceId: null,
          detail: 'card',
        },
        {
          version: 3,
          eventType: 'payment.dispute.opened',
          occurredAt: '2026-12-09T06:00:00.000Z',
          amountMinor: 60_000,
          currency: 'INR',
          referenceId: 'd-1',
          detail: '4853',
        },
        {
          version: 4,
          eventType: 'payment.dispute.resolved',
          occurredAt: '2026-12-12T06:00:00.000Z',
          amountMinor: 10_000,
          currency: 'INR',
          referenceId: 'd-1',
          detail: 'partial',
        },
      ],
    );
    const ofBooking = await paymentsOfBooking(db().engine, { tenantId: TENANT, bookingId: 'bk-7' });
    assert.deepEqual(
      ofBooking.map((summary) => summary.paymentId),
      ['pay-7'],
    );
  });

  it('lists the open refunds and disputes, per tenant and branch', async () => {
    assert.deepEqual(await openRefunds(db().engine, { tenantId: TENANT }), [
      {
        paymentId: 'pay-5',
        refundId: 'r-5',
        branchId: 'br-2',
        amountMinor: 5_000,
        currency: 'INR',
        reasonCode: 'goodwill',
        requestedAt: '2026-12-08T06:00:00.000Z',
      },
    ]);
    assert.deepEqual(await openDisputes(db().engine, { tenantId: TENANT }), [
      {
        paymentId: 'pay-6',
        disputeId: 'd-6',
        branchId: 'br-2',
        amountMinor: 80_000,
        currency: 'INR',
        reasonCode: '4837',
        openedAt: '2026-12-15T06:00:00.000Z',
      },
    ]);
    assert.deepEqual(await openDisputes(db().engine, { tenantId: TENANT, branchId: 'br-1' }), []);
    assert.deepEqual(await openRefunds(db().engine, { tenantId: 'another-tenant' }), []);
  });

  it('keeps no free text: the refund note stays in the (encrypted) log', async () => {
    const rows = await modelRows(db().engine, paymentsView, [TENANT]);
    assert.equal(Object.values(rows).flat().length, 6 + 15 + 2 + 2);
    assert.deepEqual(plaintextIn(rows, ['call dropped', 'Asha', 'Ravi', 'Lata']), []);
  });

  it('comes out the same when every event is delivered twice, and from a full or tenant rebuild', async () => {
    const incremental = await modelRows(db().engine, paymentsView, [TENANT]);
    const twice = await buildWithEveryEventTwice(db().engine, paymentsView, TENANT);
    assert.ok(twice.skipped >= twice.applied);
    assert.deepEqual(twice.rows, incremental);
    await assertRebuildsIdentically(db().engine, runtime, paymentsView, TENANT);
  });

  it('replays one branch: its payments with their forfeits, refunds and disputes, nothing else', async () => {
    const reports = await assertBranchReplaysRebuildOnlyTheirBranch(
      db().engine,
      runtime,
      paymentsView,
      TENANT,
      ['br-1', 'br-2'],
    );
    // br-1: pay-1 (deposit, balance, dispute d-1 opened and resolved), pay-2 (deposit, forfeit).
    assert.deepEqual(reports['br-1']?.rows, {
      payments_view: 2,
      payment_history: 6,
      payment_refunds: 0,
      payment_disputes: 1,
    });
    // br-2: pay-4 (deposit, forfeit), pay-5 (deposit, refund r-5 requested), pay-6 (balance, dispute d-6),
    // pay-7 (deposit, refund r-7 requested and issued).
    assert.deepEqual(reports['br-2']?.rows, {
      payments_view: 4,
      payment_history: 9,
      payment_refunds: 2,
      payment_disputes: 1,
    });
  });
});
