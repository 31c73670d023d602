import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import type { ForfeitDeposit, PaymentCommand } from './commands.ts';
import { balancePaid, depositForfeited, depositPaid, type PaymentEvent } from './events.ts';
import { requireAmount, requirePaid, requireSamePayer } from './guards.ts';
import { refundableMinor } from './ledger.ts';
import type { PaymentState } from './state.ts';

/** Money coming in (deposit, balance) and the deposit the clinic keeps after a late cancellation or no-show. */

export function payDeposit(
  command: Extract<PaymentCommand, { type: 'PayDeposit' }>,
  state: PaymentState,
): PaymentEvent[] {
  if (state.deposit !== null) {
    throw new DomainRuleError('DEPOSIT_ALREADY_PAID', 'the deposit of this payment is already paid', {
      paymentId: command.paymentId,
    });
  }
  if (state.balancePaid) {
    throw new DomainRuleError('DEPOSIT_AFTER_BALANCE', 'a deposit cannot follow a balance payment', {
      paymentId: command.paymentId,
    });
  }
  requireAmount(state, 'amount', command.amount);
  const { paymentId, payer, amount, method, pricingPolicy, transactionRef, now } = command;
  return [
    emit(depositPaid, {
      paymentId,
      ...payer,
      amount,
      method,
      pricingPolicy,
      transactionRef,
      paidAt: toInstant(now),
    }),
  ];
}

export function payBalance(
  command: Extract<PaymentCommand, { type: 'PayBalance' }>,
  state: PaymentState,
): PaymentEvent[] {
  requireSamePayer(state, command.payer);
  requireAmount(state, 'amount', command.amount);
  const { paymentId, payer, amount, method, transactionRef, now } = command;
  return [emit(balancePaid, { paymentId, ...payer, amount, method, transactionRef, paidAt: toInstant(now) })];
}

export function forfeitDeposit(command: ForfeitDeposit, state: PaymentState): PaymentEvent[] {
  const deposit = state.deposit;
  if (deposit === null) {
    throw new DomainRuleError('DEPOSIT_NOT_PAID', 'there is no deposit to forfeit', {
      paymentId: command.paymentId,
    });
  }
  // The same cause delivered twice (a process manager retrying) changes nothing.
  if (deposit.forfeitedBy === command.cause.causeEventId) return [];
  if (deposit.forfeitedBy !== null) {
    throw new DomainRuleError('DEPOSIT_ALREADY_FORFEITED', 'the deposit was already forfeited', {
      forfeitedBy: deposit.forfeitedBy,
    });
  }
  const { payer, currency } = requirePaid(state, command.type);
  if (command.cause.bookingId !== payer.bookingId) {
    throw new DomainRuleError('FORFEIT_CAUSE_MISMATCH', 'the cause concerns another booking', {
      bookingId: payer.bookingId,
      causeBookingId: command.cause.bookingId,
    });
  }
  const amount =
    command.amount === 'whole_deposit' ? { amountMinor: deposit.amountMinor, currency } : command.amount;
  requireAmount(state, 'amount', amount);
  if (amount.amountMinor > deposit.amountMinor) {
    throw new DomainRuleError('FORFEIT_EXCEEDS_DEPOSIT', 'cannot forfeit more than the deposit', {
      forfeitMinor: amount.amountMinor,
      depositMinor: deposit.amountMinor,
      currency,
    });
  }
  const heldMinor = refundableMinor(state);
  if (amount.amountMinor > heldMinor) {
    throw new DomainRuleError(
      'DEPOSIT_ALREADY_REFUNDED',
      'refunds already took the money this forfeiture needs',
      {
        forfeitMinor: amount.amountMinor,
        refundableMinor: heldMinor,
        currency,
      },
    );
  }
  return [
    emit(depositForfeited, {
      paymentId: command.paymentId,
      bookingId: command.cause.bookingId,
      amount,
      cause: command.cause,
      forfeitedAt: toInstant(command.now),
    }),
  ];
}
