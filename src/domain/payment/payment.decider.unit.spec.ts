import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionProblems, given } from '../shared/testing/decider-harness.ts';
import type { PaymentCommand } from './commands.ts';
import { paymentDecider } from './decider.ts';
import { events, type PaymentEvent } from './events.ts';
import { forfeitForLateCancellation, forfeitForNoShow } from './forfeiture.ts';

type Command<T extends PaymentCommand['type']> = Extract<PaymentCommand, { type: T }>;

const now = new Date('2026-11-27T04:30:00.000Z');
const at = now.toISOString();
const inr = (amountMinor: number) => ({ amountMinor, currency: 'INR' });
const payer = { patientId: 'p1', branchId: 'br1', bookingId: 'b1' };

const payDeposit: Command<'PayDeposit'> = {
  type: 'PayDeposit',
  paymentId: 'pay1',
  payer,
  amount: inr(50_000),
  method: 'upi',
  pricingPolicy: { policyId: 'pol1', version: 3 },
  transactionRef: 'upi-123',
  now,
};
const depositPaid: PaymentEvent = {
  type: 'payment.deposit.paid',
  data: {
    paymentId: 'pay1',
    ...payer,
    amount: inr(50_000),
    method: 'upi',
    pricingPolicy: { policyId: 'pol1', version: 3 },
    transactionRef: 'upi-123',
    paidAt: at,
  },
};
const payBalance = (amountMinor: number, currency = 'INR'): Command<'PayBalance'> => ({
  type: 'PayBalance',
  paymentId: 'pay1',
  payer,
  amount: { amountMinor, currency },
  method: 'cash',
  transactionRef: null,
  now,
});
const balancePaid: PaymentEvent = {
  type: 'payment.balance.paid',
  data: {
    paymentId: 'pay1',
    ...payer,
    amount: inr(150_000),
    method: 'cash',
    transactionRef: null,
    paidAt: at,
  },
};
const lateCancellation = (cancellationEventId: string, bookingId = 'b1') =>
  forfeitForLateCancellation({
    paymentId: 'pay1',
    bookingId,
    cancellationEventId,
    cancelledAt: '2026-11-27T03:00:00.000Z',
    slotStartsAt: '2026-11-27T05:00:00.000Z',
    now,
  });
const requestRefund = (refundId: string, amountMinor: number): Command<'RequestRefund'> => ({
  type: 'RequestRefund',
  paymentId: 'pay1',
  refundId,
  amount: inr(amountMinor),
  reasonCode: 'overpayment',
  note: null,
  now,
});
const issueRefund = (refundId: string): PaymentCommand => ({
  type: 'IssueRefund',
  paymentId: 'pay1',
  refundId,
  transactionRef: 'rf-1',
  now,
});
const openDispute = (amountMinor: number): PaymentCommand => ({
  type: 'OpenDispute',
  paymentId: 'pay1',
  disputeId: 'd1',
  amount: inr(amountMinor),
  reasonCode: '4853',
  now,
});
const resolveDispute = (outcome: 'won' | 'lost' | 'partial', returnedMinor: number): PaymentCommand => ({
  type: 'ResolveDispute',
  paymentId: 'pay1',
  disputeId: 'd1',
  outcome,
  amountReturned: inr(returnedMinor),
  now,
});

/** Runs commands in order, each against the events of the ones before; returns all the events. */
function history(...commands: PaymentCommand[]): PaymentEvent[] {
  return commands.reduce<PaymentEvent[]>(
    (past, command) => [...past, ...given(paymentDecider, past).when(command)],
    [],
  );
}

describe('payment decider: money in', () => {
  it('registers its events with sensitive paths that exist and a subject', () => {
    assert.deepEqual(definitionProblems(events, 'payment'), []);
  });

  it('records a deposit with the pricing policy version that applied', () => {
    assert.deepEqual(given(paymentDecider, []).when(payDeposit), [depositPaid]);
  });

  it('records balance payments after the deposit, and a walk-in balance without booking', () => {
    assert.deepEqual(given(paymentDecider, [depositPaid]).when(payBalance(150_000)), [balancePaid]);
    const walkIn = given(paymentDecider, []).when({
      ...payBalance(20_000),
      payer: { ...payer, bookingId: null },
    });
    assert.equal(walkIn[0]?.type, 'payment.balance.paid');
  });

  it('refuses a second deposit, and a deposit after a balance', () => {
    assert.throws(() => given(paymentDecider, [depositPaid]).when(payDeposit), {
      code: 'DEPOSIT_ALREADY_PAID',
    });
    assert.throws(() => given(paymentDecider, [balancePaid]).when(payDeposit), {
      code: 'DEPOSIT_AFTER_BALANCE',
    });
  });

  it('refuses mixing currencies, non-positive or fractional amounts, and another payer', () => {
    assert.throws(() => given(paymentDecider, [depositPaid]).when(payBalance(100, 'USD')), {
      code: 'CURRENCY_MISMATCH',
      facts: { field: 'amount', expected: 'INR', actual: 'USD' },
    });
    assert.throws(() => given(paymentDecider, [depositPaid]).when(payBalance(0)), {
      code: 'VALIDATION_FAILED',
    });
    assert.throws(() => given(paymentDecider, [depositPaid]).when(payBalance(10.5)), {
      code: 'VALIDATION_FAILED',
    });
    assert.throws(
      () =>
        given(paymentDecider, [depositPaid]).when({
          ...payBalance(100),
          payer: { ...payer, patientId: 'p2' },
        }),
      { code: 'PAYMENT_PAYER_MISMATCH' },
    );
  });
});

describe('payment decider: forfeiture', () => {
  it('forfeits the whole deposit on a late cancellation, naming the cancellation', () => {
    assert.deepEqual(given(paymentDecider, [depositPaid]).when(lateCancellation('ev-cancel')), [
      {
        type: 'payment.deposit.forfeited',
        data: {
          paymentId: 'pay1',
          bookingId: 'b1',
          amount: inr(50_000),
          cause: {
            kind: 'late_cancellation',
            bookingId: 'b1',
            causeEventId: 'ev-cancel',
            cancelledAt: '2026-11-27T03:00:00.000Z',
            slotStartsAt: '2026-11-27T05:00:00.000Z',
          },
          forfeitedAt: at,
        },
      },
    ]);
  });

  it('is idempotent for the same cause and refuses a second forfeiture', () => {
    const past = [depositPaid, ...given(paymentDecider, [depositPaid]).when(lateCancellation('ev-cancel'))];
    assert.deepEqual(given(paymentDecider, past).when(lateCancellation('ev-cancel')), []);
    assert.throws(() => given(paymentDecider, past).when(lateCancellation('ev-other')), {
      code: 'DEPOSIT_ALREADY_FORFEITED',
    });
  });

  it('forfeits part of the deposit for a no-show', () => {
    const [event] = given(paymentDecider, [depositPaid]).when(
      forfeitForNoShow({
        paymentId: 'pay1',
        bookingId: 'b1',
        visitId: 'v1',
        noShowEventId: 'ev-noshow',
        slotStartsAt: '2026-11-27T05:00:00.000Z',
        amount: inr(25_000),
        now,
      }),
    );
    assert.equal(event?.type === 'payment.deposit.forfeited' && event.data.amount.amountMinor, 25_000);
  });

  it('refuses a cause whose times are not ISO instants', () => {
    const command = forfeitForLateCancellation({
      paymentId: 'pay1',
      bookingId: 'b1',
      cancellationEventId: 'e',
      cancelledAt: 'yesterday',
      slotStartsAt: '2026-11-27T05:00:00.000Z',
      now,
    });
    assert.throws(() => given(paymentDecider, [depositPaid]).when(command), {
      code: 'VALIDATION_FAILED',
      facts: { field: 'cause.cancelledAt', eventType: 'payment.deposit.forfeited' },
    });
  });

  it('refuses without a deposit, for another booking, beyond the deposit, or when refunds took the deposit', () => {
    assert.throws(() => given(paymentDecider, [balancePaid]).when(lateCancellation('e')), {
      code: 'DEPOSIT_NOT_PAID',
    });
    assert.throws(() => given(paymentDecider, [depositPaid]).when(lateCancellation('e', 'b2')), {
      code: 'FORFEIT_CAUSE_MISMATCH',
    });
    assert.throws(
      () => given(paymentDecider, [depositPaid]).when({ ...lateCancellation('e'), amount: inr(50_001) }),
      { code: 'FORFEIT_EXCEEDS_DEPOSIT' },
    );
    const refunded = history(payDeposit, requestRefund('r1', 10_000));
    assert.throws(() => given(paymentDecider, refunded).when(lateCancellation('e')), {
      code: 'DEPOSIT_ALREADY_REFUNDED',
      facts: { forfeitMinor: 50_000, refundableMinor: 40_000, currency: 'INR' },
    });
  });
});

describe('payment decider: refunds', () => {
  it('refuses a refund before any money came in', () => {
    assert.throws(() => given(paymentDecider, []).when(requestRefund('r1', 1)), {
      code: 'INVALID_TRANSITION',
    });
  });

  it('never lets refunds reach forfeited money', () => {
    const past = history(payDeposit, payBalance(150_000), lateCancellation('e'));
    assert.throws(() => given(paymentDecider, past).when(requestRefund('r1', 150_001)), {
      code: 'REFUND_EXCEEDS_REFUNDABLE',
      facts: { requestedMinor: 150_001, refundableMinor: 150_000, currency: 'INR' },
    });
    assert.equal(given(paymentDecider, past).when(requestRefund('r1', 150_000)).length, 1);
  });

  it('counts open requests and frees the amount of a refused one', () => {
    const past = history(payDeposit, requestRefund('r1', 30_000));
    assert.throws(() => given(paymentDecider, past).when(requestRefund('r2', 20_001)), {
      code: 'REFUND_EXCEEDS_REFUNDABLE',
    });
    const refused = history(payDeposit, requestRefund('r1', 30_000), {
      type: 'RefuseRefund',
      paymentId: 'pay1',
      refundId: 'r1',
      reasonCode: 'NOT_ELIGIBLE',
      now,
    });
    assert.equal(given(paymentDecider, refused).when(requestRefund('r2', 50_000)).length, 1);
  });

  it('issues a requested refund once, for the requested amount', () => {
    const past = history(payDeposit, requestRefund('r1', 30_000));
    const issued = given(paymentDecider, past).when(issueRefund('r1'));
    assert.deepEqual(issued, [
      {
        type: 'payment.refund.issued',
        data: {
          paymentId: 'pay1',
          refundId: 'r1',
          amount: inr(30_000),
          transactionRef: 'rf-1',
          issuedAt: at,
        },
      },
    ]);
    assert.throws(() => given(paymentDecider, [...past, ...issued]).when(issueRefund('r1')), {
      code: 'REFUND_NOT_OPEN',
      facts: { refundId: 'r1', status: 'issued' },
    });
    assert.throws(() => given(paymentDecider, past).when(issueRefund('r9')), { code: 'REFUND_NOT_FOUND' });
    assert.throws(() => given(paymentDecider, past).when(requestRefund('r1', 1)), {
      code: 'REFUND_ALREADY_REQUESTED',
    });
  });

  it('puts the patient on the refund request so its note can be encrypted with their key', () => {
    const [event] = given(paymentDecider, [depositPaid]).when({
      ...requestRefund('r1', 5),
      note: 'admitted elsewhere',
    });
    assert.equal(event?.type === 'payment.refund.requested' && event.data.patientId, 'p1');
  });
});

describe('payment decider: dispute', () => {
  it('opens once and resolves once', () => {
    const opened = history(payDeposit, openDispute(50_000));
    assert.throws(() => given(paymentDecider, opened).when(openDispute(1)), {
      code: 'DISPUTE_ALREADY_OPENED',
    });
    const resolved = [...opened, ...given(paymentDecider, opened).when(resolveDispute('won', 0))];
    assert.throws(() => given(paymentDecider, resolved).when(resolveDispute('won', 0)), {
      code: 'DISPUTE_ALREADY_RESOLVED',
    });
    assert.throws(() => given(paymentDecider, resolved).when(openDispute(1)), {
      code: 'DISPUTE_ALREADY_OPENED',
    });
  });

  it('requires the returned amount to match the outcome', () => {
    const opened = history(payDeposit, openDispute(40_000));
    for (const [outcome, returned] of [
      ['won', 1],
      ['lost', 39_999],
      ['partial', 0],
      ['partial', 40_000],
    ] as const) {
      assert.throws(() => given(paymentDecider, opened).when(resolveDispute(outcome, returned)), {
        code: 'DISPUTE_OUTCOME_AMOUNT_MISMATCH',
      });
    }
    const [partial] = given(paymentDecider, opened).when(resolveDispute('partial', 15_000));
    assert.deepEqual(partial?.data, {
      paymentId: 'pay1',
      disputeId: 'd1',
      outcome: 'partial',
      amountReturned: inr(15_000),
      resolvedAt: at,
    });
  });

  it('refuses a dispute over more than the payer is out of pocket', () => {
    const past = history(payDeposit, requestRefund('r1', 10_000), issueRefund('r1'));
    assert.throws(() => given(paymentDecider, past).when(openDispute(40_001)), {
      code: 'DISPUTE_EXCEEDS_PAID',
    });
  });

  it('holds refunds while a dispute is open, and never returns more than was paid after a lost one', () => {
    const past = history(payDeposit, requestRefund('r1', 30_000), openDispute(50_000));
    assert.throws(() => given(paymentDecider, past).when(requestRefund('r2', 1)), {
      code: 'PAYMENT_DISPUTE_OPEN',
    });
    assert.throws(() => given(paymentDecider, past).when(issueRefund('r1')), {
      code: 'PAYMENT_DISPUTE_OPEN',
    });
    const lost = [...past, ...given(paymentDecider, past).when(resolveDispute('lost', 50_000))];
    assert.throws(() => given(paymentDecider, lost).when(issueRefund('r1')), {
      code: 'REFUND_EXCEEDS_PAID',
      facts: { refundMinor: 30_000, returnedMinor: 50_000, paidMinor: 50_000, currency: 'INR' },
    });
  });
});
