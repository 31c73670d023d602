/**
 * GET /v1/branches/:branchId/calendar?from=&to= — clinic_calendar_view: a branch's days (one day when `to` is
 * left out, at most 31): its doctors with their windows and blocks, every booked slot with its status and
 * visit, walk-ins and the day's counts. For the front desk, doctors and the auditor; each patient named is a
 * disclosure.
 */
import { z } from 'zod';
import { branchCalendar } from '../../projections/read-models/clinic-calendar/branch-calendar.ts';
import { clinicCalendarView } from '../../projections/read-models/clinic-calendar/clinic-calendar-projection.ts';
import { datesFrom } from '../../projections/read-models/shared/calendar-dates.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { checkDateRange, dateSchema } from './query-parameters.ts';
import { defineQueryRoute } from './query-route.ts';
import { appointmentSchema, blockSchema, patientsOfDay, visitSchema } from './schedule-schemas.ts';

const MAX_DAYS = 31;

const branchDaySchema = z.object({
  tenantId: z.string(),
  branchId: z.string(),
  date: z.string(),
  branch: z
    .object({ name: z.string(), status: z.enum(['active', 'removed']) })
    .nullable()
    .describe('null: unknown branch'),
  doctors: z.array(
    z.object({
      doctorId: z.string(),
      name: z.string().nullable(),
      timeZone: z.string().nullable(),
      windows: z.array(z.object({ start: z.string(), end: z.string(), slotMinutes: z.number().int() })),
      blocks: z.array(blockSchema),
    }),
  ),
  appointments: z.array(appointmentSchema),
  walkIns: z.array(visitSchema),
  summary: z.object({
    booked: z.number().int(),
    cancelled: z.number().int(),
    lateCancellations: z.number().int(),
    noShows: z.number().int(),
    rescheduledAway: z.number().int(),
    walkIns: z.number().int(),
  }),
});

export const clinicCalendarRoute = defineQueryRoute({
  url: '/v1/branches/:branchId/calendar',
  summary: "A branch's day or days",
  tags: ['read models'],
  permission: 'visits:read',
  readModels: [clinicCalendarView.name],
  params: z.strictObject({ branchId: identifierSchema }),
  querystring: z.strictObject({
    from: dateSchema.describe('first local date, YYYY-MM-DD'),
    to: dateSchema.optional().describe(`last local date (default: from; at most ${MAX_DAYS} days)`),
  }),
  response: z.object({
    branchId: z.string(),
    from: z.string(),
    to: z.string(),
    days: z.array(branchDaySchema),
  }),
  async read({ params, query }, sql, ctx) {
    const to = query.to ?? query.from;
    checkDateRange(query.from, to, MAX_DAYS);
    const days = [];
    for (const date of datesFrom(query.from, to)) {
      days.push(await branchCalendar(sql, { tenantId: ctx.tenantId, branchId: params.branchId, date }));
    }
    return { branchId: params.branchId, from: query.from, to, days };
  },
  patientsIn: (answer) => answer.days.flatMap(patientsOfDay),
});
