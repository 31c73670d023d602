import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commandSequences, replay, runCommands, throughStore } from '../shared/testing/decider-harness.ts';
import type { PaymentCommand } from './commands.ts';
import { paymentDecider } from './decider.ts';
import { events, type PaymentEvent } from './events.ts';

const now = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2027-01-01T00:00:00Z'),
  noInvalidDate: true,
});
// Few distinct values, so that generated commands keep colliding with the payment's own amounts and ids.
// Mostly valid INR amounts: refusals for bad input are cheap to reach, deep states are not.
const money = fc.record({
  amountMinor: fc.oneof(
    { arbitrary: fc.constantFrom(10_000, 25_000, 50_000), weight: 8 },
    fc.constantFrom(0, 1, 100_000),
  ),
  currency: fc.oneof({ arbitrary: fc.constant('INR'), weight: 9 }, fc.constant('USD')),
});
const payer = fc.constantFrom(
  { patientId: 'p1', branchId: 'br1', bookingId: 'b1' },
  { patientId: 'p2', branchId: 'br1', bookingId: 'b1' },
);
const refundId = fc.constantFrom('r1', 'r2');
const disputeId = fc.constantFrom('d1', 'd1', 'd1', 'd2');
const paymentId = fc.constant('pay1');

const payDeposit = fc.record({
  type: fc.constant('PayDeposit' as const),
  paymentId,
  payer,
  amount: money,
  method: fc.constantFrom('upi' as const, 'card' as const),
  pricingPolicy: fc.record({ policyId: fc.constant('pol1'), version: fc.integer({ min: 1, max: 3 }) }),
  transactionRef: fc.constant(null),
  now,
});
const payBalance = fc.record({
  type: fc.constant('PayBalance' as const),
  paymentId,
  payer: fc.oneof(payer, fc.constant({ patientId: 'p1', branchId: 'br1', bookingId: null })),
  amount: money,
  method: fc.constant('cash' as const),
  transactionRef: fc.constant(null),
  now,
});
const forfeit = fc.record({
  type: fc.constant('ForfeitDeposit' as const),
  paymentId,
  amount: fc.oneof(fc.constant('whole_deposit' as const), money),
  cause: fc.record({
    kind: fc.constant('late_cancellation' as const),
    bookingId: fc.constantFrom('b1', 'b1', 'b2'),
    causeEventId: fc.constantFrom('e1', 'e2'),
    cancelledAt: fc.constant('2026-11-27T03:00:00.000Z'),
    slotStartsAt: fc.constant('2026-11-27T05:00:00.000Z'),
  }),
  now,
});
const requestRefund = fc.record({
  type: fc.constant('RequestRefund' as const),
  paymentId,
  refundId,
  amount: money,
  reasonCode: fc.constant('goodwill' as const),
  note: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
  now,
});
const issueRefund = fc.record({
  type: fc.constant('IssueRefund' as const),
  paymentId,
  refundId,
  transactionRef: fc.constant(null),
  now,
});
const refuseRefund = fc.record({
  type: fc.constant('RefuseRefund' as const),
  paymentId,
  refundId,
  reasonCode: fc.constant('NO'),
  now,
});
const openDispute = fc.record({
  type: fc.constant('OpenDispute' as const),
  paymentId,
  disputeId,
  amount: money,
  reasonCode: fc.constant('10.4'),
  now,
});
const resolveDispute = fc.record({
  type: fc.constant('ResolveDispute' as const),
  paymentId,
  disputeId,
  outcome: fc.constantFrom('won' as const, 'lost' as const, 'partial' as const),
  amountReturned: fc.oneof(money, fc.constant({ amountMinor: 0, currency: 'INR' })),
  now,
});
const command: fc.Arbitrary<PaymentCommand> = fc.oneof(
  payDeposit,
  payBalance,
  forfeit,
  requestRefund,
  issueRefund,
  refuseRefund,
  openDispute,
  resolveDispute,
);
const commands = commandSequences<PaymentCommand>(
  [
    payDeposit,
    forfeit,
    payBalance,
    requestRefund,
    issueRefund,
    requestRefund,
    openDispute,
    resolveDispute,
    issueRefund,
    refuseRefund,
  ],
  command,
);

/** Sums of the payment's money, computed from the events alone (independent of the decider's state). */
function sums(history: readonly PaymentEvent[]) {
  const total = (type: PaymentEvent['type']) =>
    history.reduce((sum, event) => {
      if (event.type !== type) return sum;
      const amount =
        'amount' in event.data
          ? event.data.amount
          : 'amountReturned' in event.data
            ? event.data.amountReturned
            : null;
      return sum + (amount?.amountMinor ?? 0);
    }, 0);
  const paid = total('payment.deposit.paid') + total('payment.balance.paid');
  const issued = total('payment.refund.issued');
  const open = total('payment.refund.requested') - issued - total('payment.refund.refused');
  return {
    paid,
    forfeited: total('payment.deposit.forfeited'),
    issued,
    open,
    disputeReturned: total('payment.dispute.resolved'),
  };
}

function currencies(history: readonly PaymentEvent[]): Set<string> {
  const found = new Set<string>();
  for (const event of history) {
    for (const value of Object.values(event.data)) {
      if (typeof value === 'object' && value !== null && 'currency' in value) found.add(value.currency);
    }
  }
  return found;
}

/** The payment's transitions written out independently of the decider. */
function legal(history: readonly PaymentEvent[], command: PaymentCommand): boolean {
  const has = (type: PaymentEvent['type'], match: (data: Record<string, unknown>) => boolean = () => true) =>
    history.some((event) => event.type === type && match(event.data));
  const refund = (type: PaymentEvent['type'], id: string) => has(type, (data) => data['refundId'] === id);
  const dispute = (type: PaymentEvent['type'], id: string) => has(type, (data) => data['disputeId'] === id);
  const disputeOpen = history.some(
    (event) =>
      event.type === 'payment.dispute.opened' && !dispute('payment.dispute.resolved', event.data.disputeId),
  );
  switch (command.type) {
    case 'PayDeposit':
      return !has('payment.deposit.paid') && !has('payment.balance.paid');
    case 'PayBalance':
      return true;
    case 'ForfeitDeposit':
      return has('payment.deposit.paid') && !has('payment.deposit.forfeited');
    case 'RequestRefund':
      return !refund('payment.refund.requested', command.refundId) && !disputeOpen;
    case 'IssueRefund':
    case 'RefuseRefund':
      return (
        refund('payment.refund.requested', command.refundId) &&
        !refund('payment.refund.issued', command.refundId) &&
        !refund('payment.refund.refused', command.refundId) &&
        (command.type === 'RefuseRefund' || !disputeOpen)
      );
    case 'OpenDispute':
      return !has('payment.dispute.opened');
    case 'ResolveDispute':
      return (
        dispute('payment.dispute.opened', command.disputeId) &&
        !dispute('payment.dispute.resolved', command.disputeId)
      );
  }
}

describe('payment decider properties', () => {
  it('replaying the stored events of any command sequence rebuilds the live state', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { state, history } = runCommands(paymentDecider, sequence);
        assert.deepEqual(
          replay(
            paymentDecider,
            history.map((event) => throughStore(events, event)),
          ),
          state,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('refunds never exceed what was paid minus what was forfeited, nor does money returned exceed money paid', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { outcomes } = runCommands(paymentDecider, sequence);
        const history: PaymentEvent[] = [];
        for (const outcome of outcomes) {
          history.push(...outcome.events);
          const { paid, forfeited, issued, open, disputeReturned } = sums(history);
          assert.ok(
            issued + open <= paid - forfeited,
            `refunds ${issued}+${open} > paid ${paid} − forfeited ${forfeited}`,
          );
          assert.ok(issued + disputeReturned <= paid, `returned ${issued}+${disputeReturned} > paid ${paid}`);
          assert.ok(currencies(history).size <= 1, 'one currency per payment');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('accepts no command the transitions forbid, and a repeated forfeiture decides nothing', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { outcomes } = runCommands(paymentDecider, sequence);
        const history: PaymentEvent[] = [];
        for (const outcome of outcomes) {
          if (outcome.events.length > 0) assert.ok(legal(history, outcome.command), outcome.command.type);
          history.push(...outcome.events);
          if (outcome.command.type === 'ForfeitDeposit' && outcome.refusal === null) {
            assert.deepEqual(paymentDecider.decide(outcome.command, replay(paymentDecider, history)), []);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
