import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { businessDateSchema, idSchema, instantSchema } from '../shared/payload-schemas.ts';

/**
 * Events of the slot-ledger stream: one stream per doctor per local day (`<doctorId>:<YYYY-MM-DD>`), holding every
 * reservation of that doctor's time that day whichever branch or channel made it. Bookings append here with an
 * expected version, so two bookings racing for overlapping time cannot both commit (seed §7).
 */
const AGGREGATE = 'slot_ledger';

export const SLOT_RELEASE_REASONS = ['cancelled', 'rescheduled'] as const;

export const slotReserved = defineEvent({
  type: 'slot.reserved',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The doctor’s time [startsAt, endsAt) on this local date is held by the booking.',
  schema: z
    .strictObject({
      doctorId: idSchema,
      date: businessDateSchema,
      bookingId: idSchema,
      branchId: idSchema,
      startsAt: instantSchema,
      endsAt: instantSchema,
    })
    .refine((slot) => Date.parse(slot.endsAt) > Date.parse(slot.startsAt), {
      message: 'must end after it starts',
      path: ['endsAt'],
    }),
  sensitive: {},
});

export const slotReleased = defineEvent({
  type: 'slot.released',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The booking no longer holds its time on this date (cancelled, or moved by a reschedule).',
  schema: z.strictObject({
    doctorId: idSchema,
    date: businessDateSchema,
    bookingId: idSchema,
    reason: z.enum(SLOT_RELEASE_REASONS),
  }),
  sensitive: {},
});

export const events: readonly EventDefinition[] = [slotReserved, slotReleased];

export type SlotLedgerEvent = EventOf<typeof slotReserved> | EventOf<typeof slotReleased>;
