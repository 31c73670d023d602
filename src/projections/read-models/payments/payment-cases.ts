/**
 * Refunds and disputes: claims on part of a payment, each with its own table, open (and counted in the
 * payment's open sum) until closed. Where each kind keeps what; the handlers that open cases and the queries
 * that list the open ones read it from here.
 */
export const PAYMENT_CASES = {
  refund: {
    table: 'payment_refunds',
    idColumn: 'refund_id',
    openSum: 'refund_open_minor',
    openStatus: 'requested',
    openedAtColumn: 'requested_at',
  },
  dispute: {
    table: 'payment_disputes',
    idColumn: 'dispute_id',
    openSum: 'dispute_open_minor',
    openStatus: 'open',
    openedAtColumn: 'opened_at',
  },
} as const;

export type PaymentCaseKind = keyof typeof PAYMENT_CASES;
