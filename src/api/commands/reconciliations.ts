/**
 * A branch's daily reconciliation over HTTP, finance's: open the business day, record expected and collected
 * figures per payment method (a recount replaces them), explain a variance, settle once (409
 * RECONCILIATION_VARIANCE_UNEXPLAINED while a variance has no reason). A branch has one reconciliation per
 * day, so the resource is addressed by branch and date; its id is `<branchId>:<businessDate>`.
 */
import { z } from 'zod';
import { paymentMethodSchema } from '../../domain/payment/payment-method.ts';
import { reconciliationIdOf } from '../../domain/reconciliation/reconciliation-id.ts';
import { VARIANCE_REASONS } from '../../domain/reconciliation/events.ts';
import { moneySchema } from '../../domain/shared/money.ts';
import { businessDateSchema } from '../../domain/shared/payload-schemas.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { defineCommandRoute } from './command-endpoint.ts';
import { nonNegativeMoneyBody } from './money-body.ts';

const common = {
  tags: ['reconciliation'],
  permission: 'reconciliation:write',
  aggregate: 'reconciliation',
} as const;
const dayParams = z.strictObject({ branchId: identifierSchema, businessDate: businessDateSchema });
const day = (params: z.output<typeof dayParams>) => ({
  reconciliationId: reconciliationIdOf(params.branchId, params.businessDate),
});

export const openReconciliation = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/branches/:branchId/reconciliations/:businessDate',
  summary: 'Start reconciling a branch’s business day, in one currency',
  creates: true,
  params: dayParams,
  body: z.strictObject({ currency: moneySchema.shape.currency }),
  command: ({ params, body }, ctx) => ({
    type: 'OpenReconciliation',
    ...day(params),
    ...params,
    ...body,
    now: ctx.now,
  }),
});

export const recordFigures = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/branches/:branchId/reconciliations/:businessDate/figures',
  summary: 'Record what a payment method should have brought in and what was collected (replaces a recount)',
  creates: false,
  params: dayParams,
  body: z.strictObject({
    method: paymentMethodSchema,
    expected: nonNegativeMoneyBody,
    collected: nonNegativeMoneyBody,
  }),
  command: ({ params, body }, ctx) => ({ type: 'RecordFigures', ...day(params), ...body, now: ctx.now }),
});

export const recordVariance = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/branches/:branchId/reconciliations/:businessDate/variance',
  summary: 'Explain why collected differs from expected',
  creates: false,
  params: dayParams,
  body: z.strictObject({ reasonCode: z.enum(VARIANCE_REASONS) }),
  command: ({ params, body }, ctx) => ({ type: 'RecordVariance', ...day(params), ...body, now: ctx.now }),
});

export const settleReconciliation = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/branches/:branchId/reconciliations/:businessDate/settle',
  summary: 'Close the day; nothing is accepted afterwards',
  creates: false,
  params: dayParams,
  command: ({ params }, ctx) => ({ type: 'SettleReconciliation', ...day(params), now: ctx.now }),
});

export const RECONCILIATION_COMMAND_ROUTES = [
  openReconciliation,
  recordFigures,
  recordVariance,
  settleReconciliation,
];
