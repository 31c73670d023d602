import type { Money } from '../shared/money.ts';
import type { PaymentMethod } from '../payment/payment-method.ts';
import type { VARIANCE_REASONS } from './events.ts';

/** Commands on a branch's daily reconciliation; each names it (see reconciliationIdOf) and carries `now`. */
export type ReconciliationCommand =
  | {
      readonly type: 'OpenReconciliation';
      readonly reconciliationId: string;
      readonly branchId: string;
      /** `YYYY-MM-DD`, the branch's business day. */
      readonly businessDate: string;
      readonly currency: string;
      readonly now: Date;
    }
  | {
      readonly type: 'RecordFigures';
      readonly reconciliationId: string;
      readonly method: PaymentMethod;
      readonly expected: Money;
      readonly collected: Money;
      readonly now: Date;
    }
  | {
      readonly type: 'RecordVariance';
      readonly reconciliationId: string;
      readonly reasonCode: (typeof VARIANCE_REASONS)[number];
      readonly now: Date;
    }
  | { readonly type: 'SettleReconciliation'; readonly reconciliationId: string; readonly now: Date };
