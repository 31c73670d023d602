/**
 * reconciliation_view over HTTP (Finance and chain analytics): one branch's business day with the figures per
 * method, the branch days of a period, and the chain roll-up across branches. Business days are dates in
 * Asia/Kolkata; money is integer minor units. The answers are branch totals and name no patient.
 */
import { z } from 'zod';
import {
  branchDay,
  branchDays,
  chainRollup,
} from '../../projections/read-models/reconciliation/reconciliation-queries.ts';
import { reconciliationView } from '../../projections/read-models/reconciliation/reconciliation-view.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { checkDateRange, dateSchema } from './query-parameters.ts';
import { defineQueryRoute } from './query-route.ts';

const READ_MODELS = [reconciliationView.name];
/** A quarter of branch days per request; a year of chain totals. */
const MAX_BRANCH_DAYS = 92;
const MAX_ROLLUP_DAYS = 366;

const minor = z.number().int();
const movementsShape = {
  currency: z.string(),
  depositsCount: z.number().int(),
  depositsMinor: minor,
  balancesCount: z.number().int(),
  balancesMinor: minor,
  refundsCount: z.number().int(),
  refundsMinor: minor,
  forfeitsCount: z.number().int(),
  forfeitsMinor: minor,
  disputesOpenedCount: z.number().int(),
  disputesOpenedMinor: minor,
  disputesResolvedCount: z.number().int(),
  disputesResolvedMinor: minor,
  disputesReturnedMinor: minor,
  ledgerNetMinor: minor.describe('deposits + balances − refunds − amounts returned by disputes'),
};

const branchDaySchema = z.object({
  ...movementsShape,
  branchId: z.string(),
  businessDate: z.string(),
  reconciliationId: z.string().nullable(),
  reconciliationStatus: z.enum(['none', 'open', 'settled']),
  expectedMinor: minor.nullable(),
  collectedMinor: minor.nullable(),
  varianceMinor: minor.nullable().describe('collected − expected'),
  varianceReason: z.string().nullable(),
  settledAt: z.string().nullable(),
});

const periodQuery = {
  from: dateSchema.describe('first business day, YYYY-MM-DD'),
  to: dateSchema.describe('last business day, inclusive'),
};

export const branchReconciliationRoute = defineQueryRoute({
  url: '/v1/branches/:branchId/reconciliation',
  summary: "A branch's business day: money moved and the reconciliation's figures",
  tags: ['read models'],
  permission: 'reconciliation:read',
  readModels: READ_MODELS,
  params: z.strictObject({ branchId: identifierSchema }),
  querystring: z.strictObject({ date: dateSchema.describe('the business day, YYYY-MM-DD') }),
  response: z.object({
    branchId: z.string(),
    businessDate: z.string(),
    currencies: z.array(
      branchDaySchema.extend({
        figures: z.array(z.object({ method: z.string(), expectedMinor: minor, collectedMinor: minor })),
      }),
    ),
  }),
  async read({ params, query }, sql, ctx) {
    const currencies = await branchDay(sql, {
      tenantId: ctx.tenantId,
      branchId: params.branchId,
      businessDate: query.date,
    });
    return { branchId: params.branchId, businessDate: query.date, currencies };
  },
  patientsIn: () => [],
});

export const branchDaysRoute = defineQueryRoute({
  url: '/v1/reconciliation/branch-days',
  summary: 'The branch days of a period, by date then branch',
  tags: ['read models'],
  permission: 'reconciliation:read',
  readModels: READ_MODELS,
  querystring: z.strictObject({
    ...periodQuery,
    branchId: identifierSchema.optional().describe('one branch only'),
  }),
  response: z.object({ from: z.string(), to: z.string(), days: z.array(branchDaySchema) }),
  async read({ query }, sql, ctx) {
    checkDateRange(query.from, query.to, MAX_BRANCH_DAYS);
    return {
      from: query.from,
      to: query.to,
      days: await branchDays(sql, { tenantId: ctx.tenantId, ...query }),
    };
  },
  patientsIn: () => [],
});

export const chainRollupRoute = defineQueryRoute({
  url: '/v1/reconciliation/chain',
  summary: 'The chain across its branches, per business day or over the period',
  tags: ['read models'],
  permission: 'reconciliation:read',
  readModels: READ_MODELS,
  querystring: z.strictObject({
    ...periodQuery,
    by: z.enum(['day', 'period']).default('day').describe('a row per day and currency, or per currency'),
  }),
  response: z.object({
    from: z.string(),
    to: z.string(),
    by: z.enum(['day', 'period']),
    rows: z.array(
      z.object({
        ...movementsShape,
        businessDate: z.string().nullable().describe('null when rolled up over the period'),
        branches: z.number().int(),
        settledBranches: z.number().int(),
        openBranches: z.number().int(),
        expectedMinor: minor,
        collectedMinor: minor,
        varianceMinor: minor,
        absoluteVarianceMinor: minor.describe('Σ |variance| per branch day'),
      }),
    ),
  }),
  async read({ query }, sql, ctx) {
    checkDateRange(query.from, query.to, MAX_ROLLUP_DAYS);
    const rows = await chainRollup(sql, { tenantId: ctx.tenantId, ...query });
    return { from: query.from, to: query.to, by: query.by, rows };
  },
  patientsIn: () => [],
});
