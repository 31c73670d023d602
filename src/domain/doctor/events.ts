import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { idSchema, instantSchema } from '../shared/payload-schemas.ts';
import {
  localEndTimeSchema,
  localTimeSchema,
  minuteOfDay,
  timeZoneSchema,
  weekdaySchema,
} from './local-time.ts';

/**
 * Events of the doctor stream (seed §4 A and E): onboarding, branch assignments, weekly availability per branch
 * and blocks (leave, conferences). All times of day are the doctor's own wall clock (`timeZone`).
 */
const AGGREGATE = 'doctor';

export const BLOCK_REASONS = ['leave', 'conference', 'emergency', 'personal', 'other'] as const;

/** One weekly window at one branch: bookable slots start at `start` and every `slotMinutes` while they fit. */
export const availabilityWindowSchema = z
  .strictObject({
    weekday: weekdaySchema,
    start: localTimeSchema,
    end: localEndTimeSchema,
    slotMinutes: z.number().int().min(5).max(480),
  })
  .refine((window) => minuteOfDay(window.end) - minuteOfDay(window.start) >= window.slotMinutes, {
    message: 'the window must hold at least one slot',
    path: ['end'],
  });

export type AvailabilityWindow = z.output<typeof availabilityWindowSchema>;

export const doctorOnboarded = defineEvent({
  type: 'doctor.onboarded',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'A doctor joined the tenant. registrationNumber is the medical council registration; timeZone is the clock ' +
    'the doctor’s availability is written in.',
  schema: z.strictObject({
    doctorId: idSchema,
    name: z.string().trim().min(1).max(200),
    registrationNumber: z.string().trim().min(1).max(50),
    specialties: z.array(z.string().trim().min(1).max(100)).max(20),
    timeZone: timeZoneSchema,
  }),
  sensitive: {},
});

export const doctorBranchAssigned = defineEvent({
  type: 'doctor.branch.assigned',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The doctor may now practise at the branch; bookings there need this assignment.',
  schema: z.strictObject({ doctorId: idSchema, branchId: idSchema }),
  sensitive: {},
});

export const doctorAvailabilityUpdated = defineEvent({
  type: 'doctor.availability.updated',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The doctor’s whole weekly availability at one branch, replacing the previous one (empty: no bookings there). ' +
    'Existing bookings are kept; only new bookings and reschedules are checked against it.',
  schema: z.strictObject({
    doctorId: idSchema,
    branchId: idSchema,
    windows: z.array(availabilityWindowSchema).max(100),
  }),
  sensitive: {},
});

export const doctorBlockAdded = defineEvent({
  type: 'doctor.block.added',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The doctor is unavailable over [startsAt, endsAt) at every branch. Bookings already inside it are not touched ' +
    '(a process manager may cancel them); no new booking may overlap it.',
  schema: z
    .strictObject({
      doctorId: idSchema,
      blockId: idSchema,
      startsAt: instantSchema,
      endsAt: instantSchema,
      reasonCode: z.enum(BLOCK_REASONS),
    })
    .refine((block) => Date.parse(block.endsAt) > Date.parse(block.startsAt), {
      message: 'must end after it starts',
      path: ['endsAt'],
    }),
  sensitive: {},
});

export const doctorBlockRemoved = defineEvent({
  type: 'doctor.block.removed',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'A block was withdrawn; its time is bookable again where availability allows.',
  schema: z.strictObject({ doctorId: idSchema, blockId: idSchema }),
  sensitive: {},
});

export const events: readonly EventDefinition[] = [
  doctorOnboarded,
  doctorBranchAssigned,
  doctorAvailabilityUpdated,
  doctorBlockAdded,
  doctorBlockRemoved,
];

export type DoctorEvent =
  | EventOf<typeof doctorOnboarded>
  | EventOf<typeof doctorBranchAssigned>
  | EventOf<typeof doctorAvailabilityUpdated>
  | EventOf<typeof doctorBlockAdded>
  | EventOf<typeof doctorBlockRemoved>;
