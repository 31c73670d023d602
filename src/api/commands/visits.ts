/**
 * Visit commands over HTTP: the patient arrived (or never came), the consultation started and completed, and
 * the follow-ups a completed visit asks for. Arrival and no-show name the booked patient; a booking of another
 * patient is refused (409 BOOKING_OF_ANOTHER_PATIENT), so a visit never links the wrong person's appointment.
 * Notes and follow-up reasons are clinical text, encrypted under the patient's key.
 */
import { z } from 'zod';
import { followUpScheduled, visitCompleted } from '../../domain/visit/events.ts';
import { businessDateSchema } from '../../domain/shared/payload-schemas.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { idParams, instantBody } from './body-schemas.ts';
import { defineCommandRoute } from './command-endpoint.ts';
import { requireBookingOfPatient } from './own-records.ts';

const common = { tags: ['visits'], permission: 'visits:write', aggregate: 'visit' } as const;
const visitParams = idParams('visitId');
const followUpParams = idParams('visitId', 'followUpId');

const party = { patientId: identifierSchema, doctorId: identifierSchema, branchId: identifierSchema };

export const recordArrival = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/visits/:visitId/arrival',
  summary: 'Check a patient in: the visit starts (the caller chooses its id; bookingId null for a walk-in)',
  creates: true,
  params: visitParams,
  body: z.strictObject({
    bookingId: identifierSchema.nullable(),
    ...party,
    tele: z.boolean().default(false),
  }),
  async command({ params, body }, ctx) {
    if (body.bookingId !== null) await requireBookingOfPatient(ctx, body.bookingId, body.patientId);
    return { type: 'RecordArrival', ...params, ...body, now: ctx.now };
  },
});

export const recordNoShow = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/visits/:visitId/no-show',
  summary: 'Record that a booked patient never came (feeds no-show rates and deposit forfeiture)',
  creates: true,
  params: visitParams,
  body: z.strictObject({ bookingId: identifierSchema, ...party, slotStartsAt: instantBody }),
  async command({ params, body }, ctx) {
    await requireBookingOfPatient(ctx, body.bookingId, body.patientId);
    const slotStartsAt = body.slotStartsAt.toISOString();
    return { type: 'RecordNoShow', ...params, ...body, slotStartsAt, now: ctx.now };
  },
});

export const startVisit = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/visits/:visitId/start',
  summary: 'The doctor begins the consultation of an arrived patient',
  creates: false,
  params: visitParams,
  command: ({ params }, ctx) => ({ type: 'StartVisit', ...params, now: ctx.now }),
});

export const completeVisit = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/visits/:visitId/complete',
  summary: 'The consultation is over (notes: the doctor’s closing remarks, clinical)',
  creates: false,
  params: visitParams,
  body: z.strictObject({ notes: visitCompleted.schema.shape.notes.default(null) }),
  command: ({ params, body }, ctx) => ({ type: 'CompleteVisit', ...params, ...body, now: ctx.now }),
});

export const scheduleFollowUp = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/visits/:visitId/follow-ups/:followUpId',
  summary: 'Ask the patient of a completed visit to come back by a date (the caller chooses the id)',
  creates: false,
  params: followUpParams,
  body: z.strictObject({
    dueOn: businessDateSchema,
    reason: followUpScheduled.schema.shape.reason.default(null),
  }),
  command: ({ params, body }, ctx) => ({ type: 'ScheduleFollowUp', ...params, ...body, now: ctx.now }),
});

export const completeFollowUp = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/visits/:visitId/follow-ups/:followUpId/complete',
  summary: 'The follow-up happened (fulfilledByVisitId: the later visit, when there was one)',
  creates: false,
  params: followUpParams,
  body: z.strictObject({ fulfilledByVisitId: identifierSchema.nullable().default(null) }),
  command: ({ params, body }, ctx) => ({ type: 'CompleteFollowUp', ...params, ...body, now: ctx.now }),
});

export const VISIT_COMMAND_ROUTES = [
  recordArrival,
  recordNoShow,
  startVisit,
  completeVisit,
  scheduleFollowUp,
  completeFollowUp,
];
