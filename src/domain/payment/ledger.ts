import type { PaymentState, RefundStatus } from './state.ts';

/**
 * The sums the payment rules are written in (all in the payment's currency, minor units):
 * paid P, forfeited F, refunds issued I and still open O, returned by a lost dispute D.
 * Rules kept by decide: I + O ≤ P − F (refunds never promise forfeited money or more than was paid) and
 * I + D ≤ P (never more goes back than came in).
 */
export function refundsMinor(state: PaymentState, status: RefundStatus): number {
  let total = 0;
  for (const refund of Object.values(state.refunds))
    if (refund.status === status) total += refund.amountMinor;
  return total;
}

/** What a new refund request (or a forfeiture) may still take: P − F − I − O − D. */
export function refundableMinor(state: PaymentState): number {
  return (
    state.paidMinor -
    state.forfeitedMinor -
    refundsMinor(state, 'issued') -
    refundsMinor(state, 'requested') -
    state.returnedByDisputeMinor
  );
}

/** What has gone back to the payer so far: I + D. */
export function returnedMinor(state: PaymentState): number {
  return refundsMinor(state, 'issued') + state.returnedByDisputeMinor;
}
