/**
 * payments_view over HTTP: one payment with its lifecycle (ETag = the payment's version), the payments of a
 * booking, and the refunds and disputes still open (Finance's work lists, each row with its payment's
 * patient). Every reader of payments may ask; a patient sees only their own payments, and another patient's
 * payment is "not found", as another tenant's is.
 */
import { z } from 'zod';
import { MyMedicError } from '../../shared/errors.ts';
import type { Sql } from '../../store/engines/engine.ts';
import {
  openDisputes,
  openRefunds,
  paymentById,
  paymentHistory,
  paymentsOfBooking,
} from '../../projections/read-models/payments/payments-queries.ts';
import { paymentsView } from '../../projections/read-models/payments/payments-view.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { defineQueryRoute, visibleTo, type QueryContext } from './query-route.ts';

const READ_MODELS = [paymentsView.name];
const minor = z.number().int().describe('integer minor units of the currency');

const paymentSchema = z.object({
  paymentId: z.string(),
  bookingId: z.string().nullable(),
  patientId: z.string(),
  branchId: z.string(),
  currency: z.string(),
  pricingPolicy: z.object({ policyId: z.string(), version: z.number().int() }).nullable(),
  depositMinor: minor,
  depositMethod: z.string().nullable(),
  balanceMinor: minor,
  paidMinor: minor,
  forfeitedMinor: minor,
  forfeitCause: z.string().nullable(),
  refundOpenMinor: minor,
  refundedMinor: minor,
  disputeOpenMinor: minor,
  disputeReturnedMinor: minor,
  netMinor: minor.describe('paid less refunds issued and amounts returned by disputes'),
  status: z.enum(['disputed', 'refund_pending', 'returned', 'forfeited', 'balance_paid', 'deposit_paid']),
  firstPaidAt: z.string(),
  lastEventAt: z.string(),
  version: z.number().int().describe("the payment stream's version; also the ETag"),
});

const historySchema = z.object({
  version: z.number().int(),
  eventId: z.string(),
  eventType: z.string(),
  occurredAt: z.string(),
  amountMinor: minor,
  currency: z.string(),
  referenceId: z.string().nullable(),
  detail: z.string().nullable(),
});

const openItem = {
  paymentId: z.string(),
  patientId: z.string(),
  branchId: z.string(),
  amountMinor: minor,
  currency: z.string(),
  reasonCode: z.string(),
};

export const paymentRoute = defineQueryRoute({
  url: '/v1/payments/:paymentId',
  summary: 'A payment: its balance, status and lifecycle',
  tags: ['read models'],
  permission: 'payments:read',
  readModels: READ_MODELS,
  params: z.strictObject({ paymentId: identifierSchema }),
  response: z.object({ payment: paymentSchema, history: z.array(historySchema) }),
  async read({ params }, sql, ctx) {
    const query = { tenantId: ctx.tenantId, paymentId: params.paymentId };
    const payment = await paymentById(sql, query);
    if (payment === null || !visibleTo(ctx, payment.patientId)) {
      throw new MyMedicError('NOT_FOUND', `no payment ${params.paymentId}`, { paymentId: params.paymentId });
    }
    return { payment, history: await paymentHistory(sql, query) };
  },
  patientsIn: (answer) => [answer.payment.patientId],
  versionOf: (answer) => answer.payment.version,
});

export const bookingPaymentsRoute = defineQueryRoute({
  url: '/v1/bookings/:bookingId/payments',
  summary: 'The payments of a booking',
  tags: ['read models'],
  permission: 'payments:read',
  readModels: READ_MODELS,
  params: z.strictObject({ bookingId: identifierSchema }),
  response: z.object({ bookingId: z.string(), payments: z.array(paymentSchema) }),
  async read({ params }, sql, ctx) {
    const payments = await paymentsOfBooking(sql, { tenantId: ctx.tenantId, bookingId: params.bookingId });
    return {
      bookingId: params.bookingId,
      payments: payments.filter((payment) => visibleTo(ctx, payment.patientId)),
    };
  },
  patientsIn: (answer) => answer.payments.map((payment) => payment.patientId),
});

const branchFilter = z.strictObject({ branchId: identifierSchema.optional().describe('one branch only') });

export const openRefundsRoute = defineQueryRoute({
  url: '/v1/refunds/open',
  summary: 'Refunds requested and neither issued nor refused, oldest first',
  tags: ['read models'],
  permission: 'payments:read',
  readModels: READ_MODELS,
  querystring: branchFilter,
  response: z.object({
    refunds: z.array(z.object({ ...openItem, refundId: z.string(), requestedAt: z.string() })),
  }),
  async read({ query }, sql, ctx) {
    const refunds = await openRefunds(sql, { tenantId: ctx.tenantId, ...query });
    return { refunds: await withPatients(sql, ctx, refunds) };
  },
  patientsIn: (answer) => answer.refunds.map((refund) => refund.patientId),
});

export const openDisputesRoute = defineQueryRoute({
  url: '/v1/disputes/open',
  summary: 'Disputes opened and not yet resolved, oldest first',
  tags: ['read models'],
  permission: 'payments:read',
  readModels: READ_MODELS,
  querystring: branchFilter,
  response: z.object({
    disputes: z.array(z.object({ ...openItem, disputeId: z.string(), openedAt: z.string() })),
  }),
  async read({ query }, sql, ctx) {
    const disputes = await openDisputes(sql, { tenantId: ctx.tenantId, ...query });
    return { disputes: await withPatients(sql, ctx, disputes) };
  },
  patientsIn: (answer) => answer.disputes.map((dispute) => dispute.patientId),
});

/**
 * The rows with their payment's patient (whose refund or dispute it is, and whose disclosure the answer is),
 * keeping only the caller's own when the caller is a patient.
 */
async function withPatients<R extends { readonly paymentId: string }>(
  sql: Sql,
  ctx: QueryContext,
  rows: readonly R[],
): Promise<(R & { readonly patientId: string })[]> {
  const patientOf = new Map<string, string>();
  for (const paymentId of new Set(rows.map((row) => row.paymentId))) {
    const payment = await paymentById(sql, { tenantId: ctx.tenantId, paymentId });
    if (payment !== null) patientOf.set(paymentId, payment.patientId);
  }
  return rows.flatMap((row) => {
    const patientId = patientOf.get(row.paymentId);
    return patientId !== undefined && visibleTo(ctx, patientId) ? [{ ...row, patientId }] : [];
  });
}
