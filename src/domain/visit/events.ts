import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { businessDateSchema, idSchema, instantSchema } from '../shared/payload-schemas.ts';

/**
 * Events of the visit stream (seed §4 B): what happened to a patient at one appointment or walk-in, from arrival
 * (or no-show) to completion, and the follow-ups the completed visit asked for.
 */
const AGGREGATE = 'visit';

export const visitArrived = defineEvent({
  type: 'visit.arrived',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The patient is at the branch (or joined the tele consult). bookingId is null for a walk-in; tele marks a ' +
    'remote consult.',
  schema: z.strictObject({
    visitId: idSchema,
    bookingId: idSchema.nullable(),
    patientId: idSchema,
    doctorId: idSchema,
    branchId: idSchema,
    tele: z.boolean(),
    arrivedAt: instantSchema,
  }),
  sensitive: {},
});

export const visitNoShowRecorded = defineEvent({
  type: 'visit.no_show.recorded',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'A booked patient never arrived; the visit ends here. Feeds no-show rates and deposit forfeiture.',
  schema: z.strictObject({
    visitId: idSchema,
    bookingId: idSchema,
    patientId: idSchema,
    doctorId: idSchema,
    branchId: idSchema,
    slotStartsAt: instantSchema,
    recordedAt: instantSchema,
  }),
  sensitive: {},
});

export const visitStarted = defineEvent({
  type: 'visit.started',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The doctor began the consultation.',
  schema: z.strictObject({ visitId: idSchema, startedAt: instantSchema }),
  sensitive: {},
});

export const visitCompleted = defineEvent({
  type: 'visit.completed',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The consultation is over; notes are the doctor’s free-text closing remarks.',
  schema: z.strictObject({
    visitId: idSchema,
    patientId: idSchema,
    completedAt: instantSchema,
    notes: z.string().max(10_000).nullable(),
  }),
  sensitive: { notes: 'clinical' },
  subjectPath: 'patientId',
});

export const followUpScheduled = defineEvent({
  type: 'followup.scheduled',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The completed visit asks the patient to come back by dueOn; reason is free clinical text.',
  schema: z.strictObject({
    visitId: idSchema,
    followUpId: idSchema,
    patientId: idSchema,
    doctorId: idSchema,
    dueOn: businessDateSchema,
    reason: z.string().max(2_000).nullable(),
    scheduledAt: instantSchema,
  }),
  sensitive: { reason: 'clinical' },
  subjectPath: 'patientId',
});

export const followUpCompleted = defineEvent({
  type: 'followup.completed',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The follow-up happened; fulfilledByVisitId is the later visit that fulfilled it, when there was one.',
  schema: z.strictObject({
    visitId: idSchema,
    followUpId: idSchema,
    fulfilledByVisitId: idSchema.nullable(),
    completedAt: instantSchema,
  }),
  sensitive: {},
});

export const events: readonly EventDefinition[] = [
  visitArrived,
  visitNoShowRecorded,
  visitStarted,
  visitCompleted,
  followUpScheduled,
  followUpCompleted,
];

export type VisitEvent =
  | EventOf<typeof visitArrived>
  | EventOf<typeof visitNoShowRecorded>
  | EventOf<typeof visitStarted>
  | EventOf<typeof visitCompleted>
  | EventOf<typeof followUpScheduled>
  | EventOf<typeof followUpCompleted>;
