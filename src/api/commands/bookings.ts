/**
 * Booking commands over HTTP: book a slot, update, cancel, mark a no-show, and the reschedule cycle
 * (request → complete or refuse). Every new or moved slot passes the domain's slot guard in one decision with
 * the doctor's slot ledger, so two bookings of one slot cannot both succeed (409 SLOT_ALREADY_BOOKED).
 */
import { z } from 'zod';
import { BOOKING_CHANNELS, CANCELLATION_REASONS, PARTIES } from '../../domain/booking/events.ts';
import { refusalCodeSchema } from '../../domain/portal/events.ts';
import { consultationTypeSchema } from '../../domain/pricing-policy/events.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { clinicalTextBody, idParams, slotBody } from './body-schemas.ts';
import { defineCommandRoute } from './command-endpoint.ts';
import { requireOwnBooking, requirePartyOfCaller } from './own-records.ts';

const common = { tags: ['bookings'], permission: 'bookings:write', aggregate: 'booking' } as const;
const bookingParams = idParams('bookingId');
const rescheduleParams = idParams('bookingId', 'requestId');

/** Portal bookings are made by the portal-requests process manager, which links them to their request. */
const directChannels = BOOKING_CHANNELS.filter((channel) => channel !== 'portal') as [
  Exclude<(typeof BOOKING_CHANNELS)[number], 'portal'>,
  ...Exclude<(typeof BOOKING_CHANNELS)[number], 'portal'>[],
];

export const createBooking = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/bookings/:bookingId',
  summary: 'Book a slot (the caller chooses the booking id)',
  creates: true,
  params: bookingParams,
  body: z.strictObject({
    patientId: identifierSchema,
    doctorId: identifierSchema,
    branchId: identifierSchema,
    channel: z.enum(directChannels),
    consultationType: consultationTypeSchema,
    slot: slotBody,
    reasonForVisit: clinicalTextBody.nullable().default(null),
  }),
  command({ params, body }, ctx) {
    ctx.requireOwnRecord(body.patientId);
    return { type: 'CreateBooking', ...params, ...body, portalRequestId: null, now: ctx.now };
  },
});

export const updateBooking = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/bookings/:bookingId/update',
  summary: 'Change the reason for visit or the notes of a booking (null clears, absent keeps)',
  creates: false,
  params: bookingParams,
  body: z.strictObject({
    reasonForVisit: clinicalTextBody.nullable().optional(),
    notes: clinicalTextBody.nullable().optional(),
  }),
  async command({ params, body }, ctx) {
    await requireOwnBooking(ctx, params.bookingId);
    return {
      type: 'UpdateBooking',
      ...params,
      ...(body.reasonForVisit === undefined ? {} : { reasonForVisit: body.reasonForVisit }),
      ...(body.notes === undefined ? {} : { notes: body.notes }),
      now: ctx.now,
    };
  },
});

export const cancelBooking = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/bookings/:bookingId/cancel',
  summary: 'Cancel a booking before its slot (a late patient cancellation forfeits the deposit)',
  creates: false,
  params: bookingParams,
  body: z.strictObject({ initiatedBy: z.enum(PARTIES), reasonCode: z.enum(CANCELLATION_REASONS) }),
  async command({ params, body }, ctx) {
    requirePartyOfCaller(ctx, body.initiatedBy, 'initiatedBy');
    await requireOwnBooking(ctx, params.bookingId);
    return { type: 'CancelBooking', ...params, ...body, portalRequestId: null, now: ctx.now };
  },
});

export const markBookingNoShow = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/bookings/:bookingId/no-show',
  summary: 'Record that the patient did not come (once the slot has started)',
  creates: false,
  params: bookingParams,
  async command({ params }, ctx) {
    await requireOwnBooking(ctx, params.bookingId);
    return { type: 'MarkBookingNoShow', ...params, now: ctx.now };
  },
});

export const requestReschedule = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/bookings/:bookingId/reschedules/:requestId',
  summary: 'Ask to move a booking (the caller chooses the request id; at most one open at a time)',
  creates: false,
  params: rescheduleParams,
  body: z.strictObject({ requestedBy: z.enum(PARTIES), preferredSlot: slotBody.nullable().default(null) }),
  async command({ params, body }, ctx) {
    requirePartyOfCaller(ctx, body.requestedBy, 'requestedBy');
    await requireOwnBooking(ctx, params.bookingId);
    return { type: 'RequestReschedule', ...params, ...body, portalRequestId: null, now: ctx.now };
  },
});

export const completeReschedule = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/bookings/:bookingId/reschedules/:requestId/complete',
  summary: 'Move the booking to a new slot, closing its open reschedule request',
  creates: false,
  params: rescheduleParams,
  body: z.strictObject({ slot: slotBody }),
  async command({ params, body }, ctx) {
    await requireOwnBooking(ctx, params.bookingId);
    return { type: 'CompleteReschedule', ...params, ...body, now: ctx.now };
  },
});

export const refuseReschedule = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/bookings/:bookingId/reschedules/:requestId/refuse',
  summary: 'Close an open reschedule request without moving the booking',
  creates: false,
  params: rescheduleParams,
  body: z.strictObject({ reasonCode: refusalCodeSchema }),
  async command({ params, body }, ctx) {
    await requireOwnBooking(ctx, params.bookingId);
    return { type: 'RefuseReschedule', ...params, ...body, now: ctx.now };
  },
});

export const BOOKING_COMMAND_ROUTES = [
  createBooking,
  updateBooking,
  cancelBooking,
  markBookingNoShow,
  requestReschedule,
  completeReschedule,
  refuseReschedule,
];
