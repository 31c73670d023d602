/**
 * The BI questions of seed §12 over the warehouse (src/analytics), one GET each under /v1/analytics: answers
 * are counts, sums and rates per branch or doctor over a period of dates (either end open), never a patient.
 * For whoever holds `analytics:read` (administrators, finance, integrations, the auditor).
 */
import { z } from 'zod';
import { branchVariance } from '../../analytics/branch-variance.ts';
import { cancellationLeakage } from '../../analytics/cancellation-leakage.ts';
import { depositCapture } from '../../analytics/deposit-capture.ts';
import { followUpAdherence } from '../../analytics/follow-up-adherence.ts';
import { noShowRateByDoctor } from '../../analytics/no-show-rate.ts';
import { teleConversion } from '../../analytics/tele-conversion.ts';
import { WAREHOUSE_PROJECTION } from '../../projections/read-models/warehouse/warehouse-projections.ts';
import type { Sql } from '../../store/engines/engine.ts';
import type { ApiRoute } from '../api-route.ts';
import { checkDateRange, dateSchema } from './query-parameters.ts';
import { defineQueryRoute } from './query-route.ts';

const period = z.strictObject({
  from: dateSchema.optional().describe('first date included, YYYY-MM-DD (open when left out)'),
  to: dateSchema.optional().describe('last date included (open when left out)'),
});

const count = z.number().int();
const minor = z.number().int().describe('integer minor units of the currency');
const rate = z.number().nullable().describe('a ratio; null when there is nothing to divide by');

interface AnalyticsSpec<Q extends z.ZodObject, R> {
  readonly slug: string;
  readonly summary: string;
  readonly querystring: Q;
  readonly row: z.ZodType;
  ask(sql: Sql, query: z.output<Q> & { readonly tenantId: string }): Promise<readonly R[]>;
}

function analyticsRoute<Q extends z.ZodObject, R>(spec: AnalyticsSpec<Q, R>): ApiRoute {
  return defineQueryRoute({
    url: `/v1/analytics/${spec.slug}`,
    summary: spec.summary,
    tags: ['analytics'],
    permission: 'analytics:read',
    readModels: [WAREHOUSE_PROJECTION],
    querystring: spec.querystring,
    response: z.object({ from: z.string().nullable(), to: z.string().nullable(), rows: z.array(spec.row) }),
    async read({ query }, sql, ctx) {
      const asked = query as z.output<Q> & z.output<typeof period>;
      const { from, to } = asked;
      if (from !== undefined && to !== undefined) checkDateRange(from, to);
      const rows = await spec.ask(sql, { ...asked, tenantId: ctx.tenantId });
      return { from: from ?? null, to: to ?? null, rows };
    },
    patientsIn: () => [],
  });
}

export const ANALYTICS_ROUTES: readonly ApiRoute[] = [
  analyticsRoute({
    slug: 'cancellation-leakage',
    summary: 'Late cancellations per branch and the deposit money kept vs lost (slot dates)',
    querystring: period,
    row: z.object({
      branchId: z.string(),
      currency: z.string(),
      bookings: count,
      cancellations: count,
      lateCancellations: count,
      lateCancellationRate: rate,
      atStakeMinor: minor,
      keptMinor: minor,
      lostMinor: minor,
      lostNeverPaidMinor: minor,
      keptRate: rate,
    }),
    ask: cancellationLeakage,
  }),
  analyticsRoute({
    slug: 'deposit-capture',
    summary: 'Deposits required, paid and forfeited per branch (slot dates)',
    querystring: period,
    row: z.object({
      branchId: z.string(),
      currency: z.string(),
      bookings: count,
      depositRequired: count,
      depositsPaid: count,
      captureRate: rate,
      requiredMinor: minor,
      paidMinor: minor,
      amountCaptureRate: rate,
      forfeitedMinor: minor,
    }),
    ask: depositCapture,
  }),
  analyticsRoute({
    slug: 'no-show-rate',
    summary: 'No-show rate by doctor over the bookings that reached their slot (slot dates)',
    querystring: period,
    row: z.object({
      doctorId: z.string(),
      doctorName: z.string().nullable(),
      appointments: count,
      noShows: count,
      noShowRate: rate,
    }),
    ask: noShowRateByDoctor,
  }),
  analyticsRoute({
    slug: 'branch-variance',
    summary: 'Expected vs collected per branch over the reconciled business days',
    querystring: period,
    row: z.object({
      branchId: z.string(),
      branchName: z.string().nullable(),
      currency: z.string(),
      daysSettled: count,
      daysOpen: count,
      daysWithVariance: count,
      expectedMinor: minor,
      collectedMinor: minor,
      varianceMinor: minor,
      absoluteVarianceMinor: minor,
      shortMinor: minor,
      overMinor: minor,
      varianceRate: rate,
    }),
    ask: branchVariance,
  }),
  analyticsRoute({
    slug: 'tele-conversion',
    summary: 'Tele visits per branch whose follow-up an in-person visit fulfilled',
    querystring: period,
    row: z.object({
      branchId: z.string(),
      teleVisits: count,
      withFollowUp: count,
      converted: count,
      conversionRate: rate,
    }),
    ask: teleConversion,
  }),
  analyticsRoute({
    slug: 'follow-up-adherence',
    summary: 'Follow-ups due in the period per doctor: completed, on time, overdue as of a day',
    querystring: period.extend({
      asOf: dateSchema.describe('the day overdue and pending are counted on (never the clock)'),
    }),
    row: z.object({
      doctorId: z.string(),
      doctorName: z.string().nullable(),
      scheduled: count,
      completed: count,
      completedOnTime: count,
      overdue: count,
      pending: count,
      completionRate: rate,
      onTimeRate: rate,
    }),
    ask: followUpAdherence,
  }),
];
