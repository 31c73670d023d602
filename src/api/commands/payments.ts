/**
 * Payment commands over HTTP: money in (deposit, balance), refunds (request → issue | refuse) and a payment's
 * one dispute (open → resolve). Amounts are integer minor units; a refund or dispute larger than what the payer
 * is out of pocket is refused by the payment aggregate with its code (409 REFUND_EXCEEDS_REFUNDABLE ...).
 *
 * Who: front desk, a patient (for their own bookings only) and a gateway pay; finance alone refunds and
 * handles disputes. Forfeiting a deposit has no route: it is the consequence of a recorded late cancellation
 * or no-show, whose event id is the forfeiture's cause and idempotency key, and the deposit-forfeits process
 * manager takes it for every such event. Money a person decides to give back goes out as a refund.
 */
import { z } from 'zod';
import type { Payer } from '../../domain/payment/commands.ts';
import {
  depositPaid,
  disputeOpened,
  DISPUTE_OUTCOMES,
  REFUND_REASONS,
  refundRefused,
  refundRequested,
} from '../../domain/payment/events.ts';
import { paymentMethodSchema } from '../../domain/payment/payment-method.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { idParams } from './body-schemas.ts';
import { defineCommandRoute, type CommandContext } from './command-endpoint.ts';
import { nonNegativeMoneyBody, positiveMoneyBody } from './money-body.ts';
import { requireBookingOfPatient } from './own-records.ts';

const common = { tags: ['payments'], aggregate: 'payment' } as const;
const paymentParams = idParams('paymentId');
const refundParams = idParams('paymentId', 'refundId');
const disputeParams = idParams('paymentId', 'disputeId');

const transactionRef = depositPaid.schema.shape.transactionRef.default(null);
const payerBody = z.strictObject({
  patientId: identifierSchema,
  branchId: identifierSchema,
  bookingId: identifierSchema.nullable(),
});

/**
 * A patient pays only for themselves and their own bookings; anyone paying for a booking pays for its patient.
 *
 * @throws NotOwnRecordError; DomainRuleError BOOKING_OF_ANOTHER_PATIENT
 */
async function requirePayerOfBooking(ctx: CommandContext, payer: Payer): Promise<void> {
  if (payer.bookingId === null) ctx.requireOwnRecord(payer.patientId);
  else await requireBookingOfPatient(ctx, payer.bookingId, payer.patientId);
}

export const payDeposit = defineCommandRoute({
  ...common,
  permission: 'payments:pay',
  method: 'POST',
  url: '/v1/payments/:paymentId/deposit',
  summary: 'Pay the deposit that holds a booking (the caller chooses the payment id)',
  creates: true,
  params: paymentParams,
  body: z.strictObject({
    payer: payerBody.extend({ bookingId: identifierSchema }),
    amount: positiveMoneyBody,
    method: paymentMethodSchema,
    pricingPolicy: z.strictObject({ policyId: identifierSchema, version: z.number().int().positive() }),
    transactionRef,
  }),
  async command({ params, body }, ctx) {
    await requirePayerOfBooking(ctx, body.payer);
    return { type: 'PayDeposit', ...params, ...body, now: ctx.now };
  },
});

export const payBalance = defineCommandRoute({
  ...common,
  permission: 'payments:pay',
  method: 'POST',
  url: '/v1/payments/:paymentId/balance',
  summary: 'Pay money beyond the deposit, possibly in parts (bookingId null for a walk-in)',
  creates: false,
  params: paymentParams,
  body: z.strictObject({
    payer: payerBody,
    amount: positiveMoneyBody,
    method: paymentMethodSchema,
    transactionRef,
  }),
  async command({ params, body }, ctx) {
    await requirePayerOfBooking(ctx, body.payer);
    return { type: 'PayBalance', ...params, ...body, now: ctx.now };
  },
});

export const requestRefund = defineCommandRoute({
  ...common,
  permission: 'payments:refund',
  method: 'POST',
  url: '/v1/payments/:paymentId/refunds/:refundId',
  summary: 'Ask to return money to the payer, reserving the amount (the caller chooses the refund id)',
  creates: false,
  params: refundParams,
  body: z.strictObject({
    amount: positiveMoneyBody,
    reasonCode: z.enum(REFUND_REASONS),
    note: refundRequested.schema.shape.note.default(null),
  }),
  command: ({ params, body }, ctx) => ({ type: 'RequestRefund', ...params, ...body, now: ctx.now }),
});

export const issueRefund = defineCommandRoute({
  ...common,
  permission: 'payments:refund',
  method: 'POST',
  url: '/v1/payments/:paymentId/refunds/:refundId/issue',
  summary: 'Pay out a requested refund, in full',
  creates: false,
  params: refundParams,
  body: z.strictObject({ transactionRef }),
  command: ({ params, body }, ctx) => ({ type: 'IssueRefund', ...params, ...body, now: ctx.now }),
});

export const refuseRefund = defineCommandRoute({
  ...common,
  permission: 'payments:refund',
  method: 'POST',
  url: '/v1/payments/:paymentId/refunds/:refundId/refuse',
  summary: 'Decline a requested refund; its amount is no longer reserved',
  creates: false,
  params: refundParams,
  body: z.strictObject({ reasonCode: refundRefused.schema.shape.reasonCode }),
  command: ({ params, body }, ctx) => ({ type: 'RefuseRefund', ...params, ...body, now: ctx.now }),
});

export const openDispute = defineCommandRoute({
  ...common,
  permission: 'payments:dispute',
  method: 'POST',
  url: '/v1/payments/:paymentId/disputes/:disputeId',
  summary: 'Record a chargeback the payer’s bank or the gateway opened (one per payment)',
  creates: false,
  params: disputeParams,
  body: z.strictObject({ amount: positiveMoneyBody, reasonCode: disputeOpened.schema.shape.reasonCode }),
  command: ({ params, body }, ctx) => ({ type: 'OpenDispute', ...params, ...body, now: ctx.now }),
});

export const resolveDispute = defineCommandRoute({
  ...common,
  permission: 'payments:dispute',
  method: 'POST',
  url: '/v1/payments/:paymentId/disputes/:disputeId/resolve',
  summary: 'Close the dispute: won (nothing returned), lost (all returned) or partial',
  creates: false,
  params: disputeParams,
  body: z.strictObject({ outcome: z.enum(DISPUTE_OUTCOMES), amountReturned: nonNegativeMoneyBody }),
  command: ({ params, body }, ctx) => ({ type: 'ResolveDispute', ...params, ...body, now: ctx.now }),
});

export const PAYMENT_COMMAND_ROUTES = [
  payDeposit,
  payBalance,
  requestRefund,
  issueRefund,
  refuseRefund,
  openDispute,
  resolveDispute,
];
