import { z } from 'zod';
import { localTimeSchema } from '../doctor/local-time.ts';
import { consultationTypeSchema } from '../pricing-policy/events.ts';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { businessDateSchema, idSchema } from '../shared/payload-schemas.ts';

/**
 * Events of the portal-request stream (seed §4 D): what a patient asked for on the portal, and the outcome once a
 * process manager has tried it against the booking rules: accepted with the booking it produced or touched, or
 * refused with the rule's code.
 */
const AGGREGATE = 'portal_request';

export const PORTAL_REQUEST_KINDS = ['booking', 'reschedule', 'cancellation'] as const;
export type PortalRequestKind = (typeof PORTAL_REQUEST_KINDS)[number];

/** A slot as the portal names it: the doctor's local date and start time. */
export const requestedSlotSchema = z.strictObject({ date: businessDateSchema, start: localTimeSchema });

/** The DomainRuleError code that refused the request (`SLOT_ALREADY_BOOKED`, ...), or a code of the tenant's. */
export const refusalCodeSchema = z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'must be an UPPER_SNAKE code');

export const portalBookingRequested = defineEvent({
  type: 'portal.booking.requested',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'A patient asked on the portal for this slot with this doctor at this branch; reasonForVisit is free text.',
  schema: z.strictObject({
    requestId: idSchema,
    patientId: idSchema,
    doctorId: idSchema,
    branchId: idSchema,
    consultationType: consultationTypeSchema,
    slot: requestedSlotSchema,
    reasonForVisit: z.string().trim().min(1).max(2_000).nullable(),
  }),
  sensitive: { reasonForVisit: 'clinical' },
  subjectPath: 'patientId',
});

export const portalRescheduleRequested = defineEvent({
  type: 'portal.reschedule.requested',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'A patient asked on the portal to move a booking, optionally naming the slot they prefer.',
  schema: z.strictObject({
    requestId: idSchema,
    patientId: idSchema,
    bookingId: idSchema,
    preferredSlot: requestedSlotSchema.nullable(),
  }),
  sensitive: {},
  subjectPath: 'patientId',
});

export const portalCancellationRequested = defineEvent({
  type: 'portal.cancellation.requested',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'A patient asked on the portal to cancel a booking.',
  schema: z.strictObject({ requestId: idSchema, patientId: idSchema, bookingId: idSchema }),
  sensitive: {},
  subjectPath: 'patientId',
});

export const portalRequestAccepted = defineEvent({
  type: 'portal.request.accepted',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The request was carried out: bookingId is the booking created, rescheduled or cancelled.',
  schema: z.strictObject({
    requestId: idSchema,
    patientId: idSchema,
    kind: z.enum(PORTAL_REQUEST_KINDS),
    bookingId: idSchema,
  }),
  sensitive: {},
  subjectPath: 'patientId',
});

export const portalRequestRefused = defineEvent({
  type: 'portal.request.refused',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The request could not be carried out; reasonCode says which rule refused it.',
  schema: z.strictObject({
    requestId: idSchema,
    patientId: idSchema,
    kind: z.enum(PORTAL_REQUEST_KINDS),
    reasonCode: refusalCodeSchema,
  }),
  sensitive: {},
  subjectPath: 'patientId',
});

export const events: readonly EventDefinition[] = [
  portalBookingRequested,
  portalRescheduleRequested,
  portalCancellationRequested,
  portalRequestAccepted,
  portalRequestRefused,
];

export type PortalRequestEvent =
  | EventOf<typeof portalBookingRequested>
  | EventOf<typeof portalRescheduleRequested>
  | EventOf<typeof portalCancellationRequested>
  | EventOf<typeof portalRequestAccepted>
  | EventOf<typeof portalRequestRefused>;
