import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { requireCurrency, requireNonNegative } from '../shared/money-rules.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import type { PaymentCommand } from './commands.ts';
import { disputeOpened, disputeResolved, type PaymentEvent } from './events.ts';
import { requireAmount, requirePaid } from './guards.ts';
import { refundsMinor } from './ledger.ts';
import type { PaymentState } from './state.ts';

/** A payment's one dispute (chargeback): opened once, resolved once with what went back to the payer. */

type Command<T extends PaymentCommand['type']> = Extract<PaymentCommand, { type: T }>;

export function openDispute(command: Command<'OpenDispute'>, state: PaymentState): PaymentEvent[] {
  const { currency } = requirePaid(state, command.type);
  if (state.dispute !== null) {
    throw new DomainRuleError('DISPUTE_ALREADY_OPENED', 'this payment already had its dispute', {
      disputeId: state.dispute.disputeId,
    });
  }
  requireAmount(state, 'amount', command.amount);
  const contestableMinor = state.paidMinor - refundsMinor(state, 'issued');
  if (command.amount.amountMinor > contestableMinor) {
    throw new DomainRuleError(
      'DISPUTE_EXCEEDS_PAID',
      'the disputed amount is more than the payer is out of pocket',
      {
        disputedMinor: command.amount.amountMinor,
        contestableMinor,
        currency,
      },
    );
  }
  const { paymentId, disputeId, amount, reasonCode, now } = command;
  return [emit(disputeOpened, { paymentId, disputeId, amount, reasonCode, openedAt: toInstant(now) })];
}

export function resolveDispute(command: Command<'ResolveDispute'>, state: PaymentState): PaymentEvent[] {
  const { currency } = requirePaid(state, command.type);
  const dispute = state.dispute;
  if (dispute === null || dispute.disputeId !== command.disputeId) {
    throw new DomainRuleError('DISPUTE_NOT_FOUND', 'no dispute with this id was opened', {
      disputeId: command.disputeId,
    });
  }
  if (dispute.status === 'resolved') {
    throw new DomainRuleError('DISPUTE_ALREADY_RESOLVED', 'the dispute is already resolved', {
      disputeId: command.disputeId,
    });
  }
  requireNonNegative('amountReturned', command.amountReturned);
  requireCurrency(currency, command.amountReturned, { field: 'amountReturned' });
  const returned = command.amountReturned.amountMinor;
  const consistent =
    command.outcome === 'won'
      ? returned === 0
      : command.outcome === 'lost'
        ? returned === dispute.amountMinor
        : returned > 0 && returned < dispute.amountMinor;
  if (!consistent) {
    throw new DomainRuleError(
      'DISPUTE_OUTCOME_AMOUNT_MISMATCH',
      `a ${command.outcome} dispute cannot return this amount`,
      {
        outcome: command.outcome,
        returnedMinor: returned,
        disputedMinor: dispute.amountMinor,
        currency,
      },
    );
  }
  const { paymentId, disputeId, outcome, amountReturned, now } = command;
  return [
    emit(disputeResolved, { paymentId, disputeId, outcome, amountReturned, resolvedAt: toInstant(now) }),
  ];
}
