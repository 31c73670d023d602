import { z } from 'zod';
import { localEndTimeSchema, localTimeSchema, timeZoneSchema } from '../doctor/local-time.ts';
import { refusalCodeSchema, requestedSlotSchema } from '../portal/events.ts';
import { consultationTypeSchema, MAX_CANCELLATION_WINDOW_MINUTES } from '../pricing-policy/events.ts';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { moneySchema } from '../shared/money.ts';
import { businessDateSchema, idSchema, instantSchema } from '../shared/payload-schemas.ts';

/**
 * Events of the booking stream (seed §4 A): a booking's life from creation to cancellation or no-show, with its
 * reschedules. Each booking records the slot it holds (the doctor's local names and the UTC instants) and the
 * pricing that applied when it was made, so "what policies applied" is answered from the booking alone (seed §13).
 */
const AGGREGATE = 'booking';

/** How the booking arrived (seed §7); every channel passes the same slot guard. */
export const BOOKING_CHANNELS = ['portal', 'staff_console', 'tele_prepay', 'chain_override'] as const;
export const CANCELLATION_REASONS = [
  'patient_request',
  'doctor_unavailable',
  'clinic_closed',
  'duplicate',
  'other',
] as const;
export const PARTIES = ['patient', 'clinic'] as const;

export const bookedSlotSchema = z
  .strictObject({
    date: businessDateSchema,
    start: localTimeSchema,
    end: localEndTimeSchema,
    startsAt: instantSchema,
    endsAt: instantSchema,
    timeZone: timeZoneSchema,
  })
  .refine((slot) => Date.parse(slot.endsAt) > Date.parse(slot.startsAt), {
    message: 'must end after it starts',
    path: ['endsAt'],
  });

export const appliedPricingSchema = z.strictObject({
  policyId: idSchema,
  version: z.number().int().min(1),
  effectiveFrom: instantSchema,
  price: moneySchema,
  deposit: moneySchema,
  cancellationWindowMinutes: z.number().int().min(0).max(MAX_CANCELLATION_WINDOW_MINUTES),
});

export type BookedSlot = z.output<typeof bookedSlotSchema>;
export type AppliedPricing = z.output<typeof appliedPricingSchema>;

const clinicalText = z.string().trim().min(1).max(2_000).nullable();

export const bookingCreated = defineEvent({
  type: 'booking.created',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'A slot was booked for the patient with the doctor at the branch. pricing is the policy version in force at ' +
    'booking time (price, deposit, cancellation window); portalRequestId links a portal booking to its request.',
  schema: z
    .strictObject({
      bookingId: idSchema,
      patientId: idSchema,
      doctorId: idSchema,
      branchId: idSchema,
      channel: z.enum(BOOKING_CHANNELS),
      consultationType: consultationTypeSchema,
      slot: bookedSlotSchema,
      pricing: appliedPricingSchema,
      reasonForVisit: clinicalText,
      portalRequestId: idSchema.nullable(),
    })
    .refine((booking) => (booking.channel === 'portal') === (booking.portalRequestId !== null), {
      message: 'a portal booking, and only a portal booking, names its portal request',
      path: ['portalRequestId'],
    }),
  sensitive: { reasonForVisit: 'clinical' },
  subjectPath: 'patientId',
});

export const bookingUpdated = defineEvent({
  type: 'booking.updated',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The free-text details of the booking changed (new values of both; null: cleared). The slot is moved only by a reschedule.',
  schema: z.strictObject({
    bookingId: idSchema,
    patientId: idSchema,
    reasonForVisit: clinicalText,
    notes: clinicalText,
  }),
  sensitive: { reasonForVisit: 'clinical', notes: 'clinical' },
  subjectPath: 'patientId',
});

export const bookingCancelled = defineEvent({
  type: 'booking.cancelled',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The booking was cancelled before its slot and the slot released. late is true when the patient cancelled ' +
    'less than cancellationWindowMinutes (from the pricing recorded at booking) before the start: the payment side ' +
    'then forfeits the deposit.',
  schema: z
    .strictObject({
      bookingId: idSchema,
      patientId: idSchema,
      doctorId: idSchema,
      branchId: idSchema,
      initiatedBy: z.enum(PARTIES),
      reasonCode: z.enum(CANCELLATION_REASONS),
      slotStartsAt: instantSchema,
      minutesBeforeStart: z.number().int().min(0),
      cancellationWindowMinutes: z.number().int().min(0).max(MAX_CANCELLATION_WINDOW_MINUTES),
      late: z.boolean(),
      deposit: moneySchema,
      portalRequestId: idSchema.nullable(),
    })
    .refine(
      (cancel) =>
        cancel.late ===
        (cancel.initiatedBy === 'patient' && cancel.minutesBeforeStart < cancel.cancellationWindowMinutes),
      { message: 'late must be a patient cancellation inside the window', path: ['late'] },
    ),
  sensitive: {},
  subjectPath: 'patientId',
});

export const bookingNoShow = defineEvent({
  type: 'booking.no_show',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The patient did not come; the booking is closed and its slot stays consumed. deposit is what was at stake.',
  schema: z.strictObject({
    bookingId: idSchema,
    patientId: idSchema,
    doctorId: idSchema,
    branchId: idSchema,
    slotStartsAt: instantSchema,
    deposit: moneySchema,
  }),
  sensitive: {},
  subjectPath: 'patientId',
});

export const rescheduleRequested = defineEvent({
  type: 'reschedule.requested',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'Someone asked to move the booking; it keeps its slot until the request is completed or refused.',
  schema: z.strictObject({
    bookingId: idSchema,
    patientId: idSchema,
    requestId: idSchema,
    requestedBy: z.enum(PARTIES),
    preferredSlot: requestedSlotSchema.nullable(),
    portalRequestId: idSchema.nullable(),
  }),
  sensitive: {},
  subjectPath: 'patientId',
});

export const rescheduleCompleted = defineEvent({
  type: 'reschedule.completed',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The booking moved from one slot to another (same doctor and branch); its pricing is unchanged.',
  schema: z.strictObject({
    bookingId: idSchema,
    patientId: idSchema,
    requestId: idSchema,
    doctorId: idSchema,
    branchId: idSchema,
    from: bookedSlotSchema,
    to: bookedSlotSchema,
  }),
  sensitive: {},
  subjectPath: 'patientId',
});

export const rescheduleRefused = defineEvent({
  type: 'reschedule.refused',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The reschedule request was turned down (reasonCode: the rule that refused it, or BOOKING_CANCELLED / ' +
    'BOOKING_NO_SHOW when the booking closed first); the booking keeps its slot.',
  schema: z.strictObject({
    bookingId: idSchema,
    patientId: idSchema,
    requestId: idSchema,
    reasonCode: refusalCodeSchema,
  }),
  sensitive: {},
  subjectPath: 'patientId',
});

export const events: readonly EventDefinition[] = [
  bookingCreated,
  bookingUpdated,
  bookingCancelled,
  bookingNoShow,
  rescheduleRequested,
  rescheduleCompleted,
  rescheduleRefused,
];

export type BookingEvent =
  | EventOf<typeof bookingCreated>
  | EventOf<typeof bookingUpdated>
  | EventOf<typeof bookingCancelled>
  | EventOf<typeof bookingNoShow>
  | EventOf<typeof rescheduleRequested>
  | EventOf<typeof rescheduleCompleted>
  | EventOf<typeof rescheduleRefused>;
