import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paymentStatus } from './payments-queries.ts';

const settled = {
  disputeOpenMinor: 0,
  refundOpenMinor: 0,
  paidMinor: 80_000,
  netMinor: 80_000,
  forfeitedMinor: 0,
  balanceMinor: 60_000,
};

describe('paymentStatus', () => {
  it('says what is pending first, then how the money ended', () => {
    assert.equal(paymentStatus({ ...settled, disputeOpenMinor: 1, refundOpenMinor: 1 }), 'disputed');
    assert.equal(paymentStatus({ ...settled, refundOpenMinor: 1 }), 'refund_pending');
    assert.equal(paymentStatus({ ...settled, netMinor: 0, forfeitedMinor: 0 }), 'returned');
    assert.equal(paymentStatus({ ...settled, forfeitedMinor: 20_000, balanceMinor: 0 }), 'forfeited');
    assert.equal(paymentStatus(settled), 'balance_paid');
    assert.equal(paymentStatus({ ...settled, balanceMinor: 0 }), 'deposit_paid');
  });
});
