import type { PaymentMethod } from '../payment/payment-method.ts';
import type { ReconciliationEvent, VARIANCE_REASONS } from './events.ts';

/** What decide needs to know about a day's reconciliation, rebuilt from its events. */
export type ReconciliationStatus = 'none' | 'open' | 'settled';

export interface ReconciliationState {
  readonly status: ReconciliationStatus;
  /** Known once opened. */
  readonly day: {
    readonly branchId: string;
    readonly businessDate: string;
    readonly currency: string;
  } | null;
  readonly figures: Readonly<
    Partial<Record<PaymentMethod, { readonly expectedMinor: number; readonly collectedMinor: number }>>
  >;
  /** The reason given for the current figures' variance; new figures make it stale, so they clear it. */
  readonly varianceReason: (typeof VARIANCE_REASONS)[number] | null;
}

export const initialReconciliationState = (): ReconciliationState => ({
  status: 'none',
  day: null,
  figures: {},
  varianceReason: null,
});

export function evolveReconciliation(
  state: ReconciliationState,
  event: ReconciliationEvent,
): ReconciliationState {
  switch (event.type) {
    case 'reconciliation.opened': {
      const { branchId, businessDate, currency } = event.data;
      return { ...state, status: 'open', day: { branchId, businessDate, currency } };
    }
    case 'reconciliation.figures.recorded': {
      const { method, expected, collected } = event.data;
      return {
        ...state,
        figures: {
          ...state.figures,
          [method]: { expectedMinor: expected.amountMinor, collectedMinor: collected.amountMinor },
        },
        varianceReason: null,
      };
    }
    case 'reconciliation.variance.recorded':
      return { ...state, varianceReason: event.data.reasonCode };
    case 'reconciliation.settled':
      return { ...state, status: 'settled' };
  }
}

/** The day's totals over every method recorded so far. */
export function totalsOf(state: ReconciliationState): {
  expectedMinor: number;
  collectedMinor: number;
  varianceMinor: number;
} {
  let expectedMinor = 0;
  let collectedMinor = 0;
  for (const figures of Object.values(state.figures)) {
    expectedMinor += figures.expectedMinor;
    collectedMinor += figures.collectedMinor;
  }
  return { expectedMinor, collectedMinor, varianceMinor: collectedMinor - expectedMinor };
}
