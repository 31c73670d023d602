import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import {
  externalCodeSchema,
  idSchema,
  instantSchema,
  nonNegativeMoneySchema,
  positiveMoneySchema,
} from '../shared/payload-schemas.ts';
import { paymentMethodSchema } from './payment-method.ts';

/**
 * Events of a payment stream (seed §4 C, PM3): the money of one booking (or one walk-in) — deposit, balance,
 * forfeiture, refunds and a card/UPI dispute. Amounts are integer minor units in the payment's single currency.
 */
const AGGREGATE = 'payment';

const transactionRefSchema = z.string().min(1).max(200).nullable();

export const REFUND_REASONS = [
  'cancelled_in_time',
  'cancelled_by_clinic',
  'overpayment',
  'service_not_rendered',
  'goodwill',
  'other',
] as const;

export const depositPaid = defineEvent({
  type: 'payment.deposit.paid',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The deposit that holds a booking was paid, under the pricing policy version that set it (seed §13 "what ' +
    'policies applied").',
  schema: z.strictObject({
    paymentId: idSchema,
    bookingId: idSchema,
    patientId: idSchema,
    branchId: idSchema,
    amount: positiveMoneySchema,
    method: paymentMethodSchema,
    pricingPolicy: z.strictObject({ policyId: idSchema, version: z.number().int().positive() }),
    transactionRef: transactionRefSchema,
    paidAt: instantSchema,
  }),
  sensitive: {},
});

export const balancePaid = defineEvent({
  type: 'payment.balance.paid',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'Money beyond the deposit was paid (possibly in parts); bookingId is null for a walk-in.',
  schema: z.strictObject({
    paymentId: idSchema,
    bookingId: idSchema.nullable(),
    patientId: idSchema,
    branchId: idSchema,
    amount: positiveMoneySchema,
    method: paymentMethodSchema,
    transactionRef: transactionRefSchema,
    paidAt: instantSchema,
  }),
  sensitive: {},
});

export const forfeitureCauseSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('late_cancellation'),
    bookingId: idSchema,
    /** The booking event that cancelled late; also the idempotency key of the forfeiture. */
    causeEventId: idSchema,
    cancelledAt: instantSchema,
    slotStartsAt: instantSchema,
  }),
  z.strictObject({
    kind: z.literal('no_show'),
    bookingId: idSchema,
    visitId: idSchema,
    /** The visit.no_show.recorded event; also the idempotency key of the forfeiture. */
    causeEventId: idSchema,
    slotStartsAt: instantSchema,
  }),
]);
export type ForfeitureCause = z.output<typeof forfeitureCauseSchema>;

export const depositForfeited = defineEvent({
  type: 'payment.deposit.forfeited',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The clinic keeps (part of) the deposit because of a late cancellation or a no-show, named in cause.',
  schema: z.strictObject({
    paymentId: idSchema,
    bookingId: idSchema,
    amount: positiveMoneySchema,
    cause: forfeitureCauseSchema,
    forfeitedAt: instantSchema,
  }),
  sensitive: {},
});

export const refundRequested = defineEvent({
  type: 'payment.refund.requested',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'Staff asked to return money to the payer; note is free text and may describe the patient’s care.',
  schema: z.strictObject({
    paymentId: idSchema,
    refundId: idSchema,
    patientId: idSchema,
    amount: positiveMoneySchema,
    reasonCode: z.enum(REFUND_REASONS),
    note: z.string().max(2_000).nullable(),
    requestedAt: instantSchema,
  }),
  sensitive: { note: 'clinical' },
  subjectPath: 'patientId',
});

export const refundIssued = defineEvent({
  type: 'payment.refund.issued',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The requested refund was paid out, in full.',
  schema: z.strictObject({
    paymentId: idSchema,
    refundId: idSchema,
    amount: positiveMoneySchema,
    transactionRef: transactionRefSchema,
    issuedAt: instantSchema,
  }),
  sensitive: {},
});

export const refundRefused = defineEvent({
  type: 'payment.refund.refused',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The requested refund will not be paid; its amount is no longer reserved.',
  schema: z.strictObject({
    paymentId: idSchema,
    refundId: idSchema,
    amount: positiveMoneySchema,
    reasonCode: externalCodeSchema,
    refusedAt: instantSchema,
  }),
  sensitive: {},
});

export const disputeOpened = defineEvent({
  type: 'payment.dispute.opened',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The payer’s bank or the gateway contests an amount (chargeback); reasonCode is the network’s code.',
  schema: z.strictObject({
    paymentId: idSchema,
    disputeId: idSchema,
    amount: positiveMoneySchema,
    reasonCode: externalCodeSchema,
    openedAt: instantSchema,
  }),
  sensitive: {},
});

export const DISPUTE_OUTCOMES = ['won', 'lost', 'partial'] as const;

export const disputeResolved = defineEvent({
  type: 'payment.dispute.resolved',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The dispute ended, seen from the clinic: won (nothing returned), lost (the disputed amount returned) or ' +
    'partial (part returned). amountReturned is what went back to the payer.',
  schema: z.strictObject({
    paymentId: idSchema,
    disputeId: idSchema,
    outcome: z.enum(DISPUTE_OUTCOMES),
    amountReturned: nonNegativeMoneySchema,
    resolvedAt: instantSchema,
  }),
  sensitive: {},
});

export const events: readonly EventDefinition[] = [
  depositPaid,
  balancePaid,
  depositForfeited,
  refundRequested,
  refundIssued,
  refundRefused,
  disputeOpened,
  disputeResolved,
];

export type PaymentEvent =
  | EventOf<typeof depositPaid>
  | EventOf<typeof balancePaid>
  | EventOf<typeof depositForfeited>
  | EventOf<typeof refundRequested>
  | EventOf<typeof refundIssued>
  | EventOf<typeof refundRefused>
  | EventOf<typeof disputeOpened>
  | EventOf<typeof disputeResolved>;
