import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import type { PaymentCommand } from './commands.ts';
import { refundIssued, refundRefused, refundRequested, type PaymentEvent } from './events.ts';
import { requireAmount, requireNoOpenDispute, requirePaid } from './guards.ts';
import { refundableMinor, returnedMinor } from './ledger.ts';
import type { PaymentState } from './state.ts';

/** Refunds: requested (reserving the amount), then issued or refused, each once. */

type Command<T extends PaymentCommand['type']> = Extract<PaymentCommand, { type: T }>;

export function requestRefund(command: Command<'RequestRefund'>, state: PaymentState): PaymentEvent[] {
  const { payer, currency } = requirePaid(state, command.type);
  if (state.refunds[command.refundId] !== undefined) {
    throw new DomainRuleError('REFUND_ALREADY_REQUESTED', 'a refund with this id exists', {
      refundId: command.refundId,
    });
  }
  requireNoOpenDispute(state, command.type);
  requireAmount(state, 'amount', command.amount);
  const available = refundableMinor(state);
  if (command.amount.amountMinor > available) {
    throw new DomainRuleError(
      'REFUND_EXCEEDS_REFUNDABLE',
      'the refund is larger than what can still be refunded',
      {
        requestedMinor: command.amount.amountMinor,
        refundableMinor: available,
        currency,
      },
    );
  }
  const { paymentId, refundId, amount, reasonCode, note, now } = command;
  return [
    emit(refundRequested, {
      paymentId,
      refundId,
      patientId: payer.patientId,
      amount,
      reasonCode,
      note,
      requestedAt: toInstant(now),
    }),
  ];
}

export function issueRefund(command: Command<'IssueRefund'>, state: PaymentState): PaymentEvent[] {
  const { currency } = requirePaid(state, command.type);
  const amountMinor = openRefundMinor(state, command.refundId);
  requireNoOpenDispute(state, command.type);
  // A dispute lost while this refund was open may already have returned the money.
  if (returnedMinor(state) + amountMinor > state.paidMinor) {
    throw new DomainRuleError('REFUND_EXCEEDS_PAID', 'issuing this refund would return more than was paid', {
      refundMinor: amountMinor,
      returnedMinor: returnedMinor(state),
      paidMinor: state.paidMinor,
      currency,
    });
  }
  const { paymentId, refundId, transactionRef, now } = command;
  return [
    emit(refundIssued, {
      paymentId,
      refundId,
      amount: { amountMinor, currency },
      transactionRef,
      issuedAt: toInstant(now),
    }),
  ];
}

export function refuseRefund(command: Command<'RefuseRefund'>, state: PaymentState): PaymentEvent[] {
  const { currency } = requirePaid(state, command.type);
  const amountMinor = openRefundMinor(state, command.refundId);
  const { paymentId, refundId, reasonCode, now } = command;
  return [
    emit(refundRefused, {
      paymentId,
      refundId,
      amount: { amountMinor, currency },
      reasonCode,
      refusedAt: toInstant(now),
    }),
  ];
}

function openRefundMinor(state: PaymentState, refundId: string): number {
  const refund = state.refunds[refundId];
  if (refund === undefined)
    throw new DomainRuleError('REFUND_NOT_FOUND', 'no refund with this id was requested', { refundId });
  if (refund.status !== 'requested') {
    throw new DomainRuleError('REFUND_NOT_OPEN', `the refund is already ${refund.status}`, {
      refundId,
      status: refund.status,
    });
  }
  return refund.amountMinor;
}
