import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { invalidTransition } from '../shared/invalid-transition.ts';
import type { Money } from '../shared/money.ts';
import { requireCurrency, requirePositive } from '../shared/money-rules.ts';
import type { Payer } from './commands.ts';
import type { PaymentState } from './state.ts';

/** Preconditions shared by the payment command handlers. */

/** Refunds and disputes need money to have come in; returns the payment's payer and currency. */
export function requirePaid(state: PaymentState, command: string): { payer: Payer; currency: string } {
  if (state.payer === null || state.currency === null) throw invalidTransition('payment', 'unpaid', command);
  return { payer: state.payer, currency: state.currency };
}

/** A positive amount in the payment's currency (any currency while nothing was paid yet). */
export function requireAmount(state: PaymentState, field: string, amount: Money): void {
  requirePositive(field, amount);
  if (state.currency !== null) requireCurrency(state.currency, amount, { field });
}

/** A payment belongs to one patient, branch and booking for its whole life. */
export function requireSamePayer(state: PaymentState, payer: Payer): void {
  const known = state.payer;
  if (known === null) return;
  if (
    known.patientId !== payer.patientId ||
    known.branchId !== payer.branchId ||
    known.bookingId !== payer.bookingId
  ) {
    throw new DomainRuleError(
      'PAYMENT_PAYER_MISMATCH',
      'the payment belongs to another patient, branch or booking',
      {
        field: 'payer',
      },
    );
  }
}

export function requireNoOpenDispute(state: PaymentState, command: string): void {
  if (state.dispute?.status === 'open') {
    throw new DomainRuleError('PAYMENT_DISPUTE_OPEN', `${command} waits until the dispute is resolved`, {
      disputeId: state.dispute.disputeId,
    });
  }
}
