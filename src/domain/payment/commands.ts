import type { Money } from '../shared/money.ts';
import type { DISPUTE_OUTCOMES, ForfeitureCause, REFUND_REASONS } from './events.ts';
import type { PaymentMethod } from './payment-method.ts';

/**
 * Commands on a payment. Each names its payment (the shell loads that stream) and carries `now`; ids of refunds
 * and disputes are chosen by the caller. Who pays (patient, branch, booking) is repeated by the paying commands
 * so a payment's first event is self-contained, and must stay the same for the life of the payment.
 */
export interface Payer {
  readonly patientId: string;
  readonly branchId: string;
  /** Null for a walk-in (balance only). */
  readonly bookingId: string | null;
}

export type PaymentCommand =
  | {
      readonly type: 'PayDeposit';
      readonly paymentId: string;
      readonly payer: Payer & { readonly bookingId: string };
      readonly amount: Money;
      readonly method: PaymentMethod;
      readonly pricingPolicy: { readonly policyId: string; readonly version: number };
      readonly transactionRef: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'PayBalance';
      readonly paymentId: string;
      readonly payer: Payer;
      readonly amount: Money;
      readonly method: PaymentMethod;
      readonly transactionRef: string | null;
      readonly now: Date;
    }
  | ForfeitDeposit
  | {
      readonly type: 'RequestRefund';
      readonly paymentId: string;
      readonly refundId: string;
      readonly amount: Money;
      readonly reasonCode: (typeof REFUND_REASONS)[number];
      readonly note: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'IssueRefund';
      readonly paymentId: string;
      readonly refundId: string;
      readonly transactionRef: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'RefuseRefund';
      readonly paymentId: string;
      readonly refundId: string;
      readonly reasonCode: string;
      readonly now: Date;
    }
  | {
      readonly type: 'OpenDispute';
      readonly paymentId: string;
      readonly disputeId: string;
      readonly amount: Money;
      readonly reasonCode: string;
      readonly now: Date;
    }
  | {
      readonly type: 'ResolveDispute';
      readonly paymentId: string;
      readonly disputeId: string;
      readonly outcome: (typeof DISPUTE_OUTCOMES)[number];
      readonly amountReturned: Money;
      readonly now: Date;
    };

/**
 * Keep (part of) the deposit. Sent by a process manager reacting to a late cancellation or a no-show; the cause's
 * event id makes it idempotent: the same cause again decides no events. `whole_deposit` spares the process
 * manager from knowing the deposit's amount.
 */
export interface ForfeitDeposit {
  readonly type: 'ForfeitDeposit';
  readonly paymentId: string;
  readonly amount: Money | 'whole_deposit';
  readonly cause: ForfeitureCause;
  readonly now: Date;
}
