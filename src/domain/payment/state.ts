import type { PaymentEvent } from './events.ts';
import type { Payer } from './commands.ts';

/**
 * What decide needs to know about a payment, rebuilt from its events. One currency per payment, so the state
 * keeps bare minor-unit integers beside it.
 */
export type RefundStatus = 'requested' | 'issued' | 'refused';

export interface PaymentState {
  /** Set by the first money received; null means nothing was paid yet. */
  readonly payer: Payer | null;
  readonly currency: string | null;
  readonly paidMinor: number;
  readonly balancePaid: boolean;
  readonly deposit: {
    readonly amountMinor: number;
    /** Event id of the late cancellation / no-show that forfeited it. */
    readonly forfeitedBy: string | null;
  } | null;
  readonly forfeitedMinor: number;
  readonly refunds: Readonly<Record<string, { readonly amountMinor: number; readonly status: RefundStatus }>>;
  readonly dispute: {
    readonly disputeId: string;
    readonly amountMinor: number;
    readonly status: 'open' | 'resolved';
  } | null;
  readonly returnedByDisputeMinor: number;
}

export const initialPaymentState = (): PaymentState => ({
  payer: null,
  currency: null,
  paidMinor: 0,
  balancePaid: false,
  deposit: null,
  forfeitedMinor: 0,
  refunds: {},
  dispute: null,
  returnedByDisputeMinor: 0,
});

export function evolvePayment(state: PaymentState, event: PaymentEvent): PaymentState {
  switch (event.type) {
    case 'payment.deposit.paid': {
      const { patientId, branchId, bookingId, amount } = event.data;
      return {
        ...state,
        payer: { patientId, branchId, bookingId },
        currency: amount.currency,
        paidMinor: state.paidMinor + amount.amountMinor,
        deposit: { amountMinor: amount.amountMinor, forfeitedBy: null },
      };
    }
    case 'payment.balance.paid': {
      const { patientId, branchId, bookingId, amount } = event.data;
      return {
        ...state,
        payer: { patientId, branchId, bookingId },
        currency: amount.currency,
        paidMinor: state.paidMinor + amount.amountMinor,
        balancePaid: true,
      };
    }
    case 'payment.deposit.forfeited':
      return {
        ...state,
        deposit: state.deposit && { ...state.deposit, forfeitedBy: event.data.cause.causeEventId },
        forfeitedMinor: state.forfeitedMinor + event.data.amount.amountMinor,
      };
    case 'payment.refund.requested':
      return withRefund(state, event.data.refundId, {
        amountMinor: event.data.amount.amountMinor,
        status: 'requested',
      });
    case 'payment.refund.issued':
      return withRefund(state, event.data.refundId, {
        amountMinor: event.data.amount.amountMinor,
        status: 'issued',
      });
    case 'payment.refund.refused':
      return withRefund(state, event.data.refundId, {
        amountMinor: event.data.amount.amountMinor,
        status: 'refused',
      });
    case 'payment.dispute.opened':
      return {
        ...state,
        dispute: {
          disputeId: event.data.disputeId,
          amountMinor: event.data.amount.amountMinor,
          status: 'open',
        },
      };
    case 'payment.dispute.resolved':
      return {
        ...state,
        dispute: state.dispute && { ...state.dispute, status: 'resolved' },
        returnedByDisputeMinor: state.returnedByDisputeMinor + event.data.amountReturned.amountMinor,
      };
  }
}

function withRefund(
  state: PaymentState,
  refundId: string,
  refund: PaymentState['refunds'][string],
): PaymentState {
  return { ...state, refunds: { ...state.refunds, [refundId]: refund } };
}
