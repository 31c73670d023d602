/**
 * GET /v1/slots?date=&branchId=&doctorId=&consultationType= — portal_slots_view: the slots that can be booked
 * on a date, in time order, with the price and deposit in force now (the app clock). The patient portal's
 * question, so patients may ask it; the answer names no patient.
 */
import { z } from 'zod';
import { consultationTypeSchema } from '../../domain/pricing-policy/events.ts';
import { moneySchema } from '../../domain/shared/money.ts';
import { portalSlotsView } from '../../projections/read-models/portal-slots/portal-slots-projection.ts';
import { portalSlots } from '../../projections/read-models/portal-slots/portal-slots-query.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { dateSchema } from './query-parameters.ts';
import { defineQueryRoute } from './query-route.ts';

const slotSchema = z.object({
  doctorId: z.string(),
  doctorName: z.string(),
  branchId: z.string(),
  branchName: z.string(),
  date: z.string(),
  start: z.string().describe('HH:MM, local to the doctor'),
  end: z.string(),
  startsAt: z.string().describe('ISO 8601'),
  endsAt: z.string(),
  timeZone: z.string(),
  pricing: z.object({
    policyId: z.string(),
    version: z.number().int().describe('recorded on the booking and its deposit'),
    effectiveFrom: z.string(),
    cancellationWindowMinutes: z.number().int(),
    options: z.array(z.object({ consultationType: z.string(), price: moneySchema, deposit: moneySchema })),
  }),
});

export const portalSlotsRoute = defineQueryRoute({
  url: '/v1/slots',
  summary: 'Bookable slots on a date, with their price',
  tags: ['read models'],
  permission: 'bookings:read',
  readModels: [portalSlotsView.name],
  querystring: z.strictObject({
    date: dateSchema.describe("the doctor's local date, YYYY-MM-DD"),
    branchId: identifierSchema.optional(),
    doctorId: identifierSchema.optional(),
    consultationType: consultationTypeSchema.optional().describe('only slots priced for it, with that price'),
  }),
  response: z.object({
    tenantId: z.string(),
    date: z.string(),
    horizon: z
      .object({ firstDate: z.string(), lastDate: z.string() })
      .nullable()
      .describe('the dates the model lists; a date outside has no slots listed yet'),
    slots: z.array(slotSchema),
  }),
  read: ({ query }, sql, ctx) => portalSlots(sql, { tenantId: ctx.tenantId, ...query, now: ctx.now }),
  patientsIn: () => [],
});
