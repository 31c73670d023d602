/**
 * GET /v1/doctors/:doctorId/schedule?date= — doctor_schedule_view: the doctor's day across every branch
 * (windows, blocks, every booked slot with its status and visit, the device's own fields, walk-ins). For
 * whoever sees patients (front desk, doctors) and the auditor; each patient named is a disclosure.
 */
import { z } from 'zod';
import { doctorDay } from '../../projections/read-models/doctor-schedule/doctor-day.ts';
import { doctorScheduleView } from '../../projections/read-models/doctor-schedule/doctor-schedule-projection.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { dateSchema } from './query-parameters.ts';
import { defineQueryRoute } from './query-route.ts';
import {
  appointmentSchema,
  blockSchema,
  patientsOfDay,
  visitSchema,
  windowSchema,
} from './schedule-schemas.ts';

const doctorDaySchema = z.object({
  tenantId: z.string(),
  doctorId: z.string(),
  date: z.string(),
  doctor: z.object({ name: z.string(), timeZone: z.string() }).nullable().describe('null: unknown doctor'),
  windows: z.array(windowSchema),
  blocks: z.array(blockSchema),
  appointments: z.array(
    appointmentSchema.extend({
      mobile: z
        .object({ noteFlag: z.boolean().nullable(), seenAt: z.string().nullable() })
        .describe("the doctor's device's own fields (last write wins)"),
    }),
  ),
  walkIns: z.array(visitSchema),
});

export const doctorScheduleRoute = defineQueryRoute({
  url: '/v1/doctors/:doctorId/schedule',
  summary: "A doctor's day across branches",
  tags: ['read models'],
  permission: 'visits:read',
  readModels: [doctorScheduleView.name],
  params: z.strictObject({ doctorId: identifierSchema }),
  querystring: z.strictObject({ date: dateSchema.describe("the doctor's local date, YYYY-MM-DD") }),
  response: doctorDaySchema,
  read: ({ params, query }, sql, ctx) =>
    doctorDay(sql, { tenantId: ctx.tenantId, doctorId: params.doctorId, date: query.date }),
  patientsIn: patientsOfDay,
});
