import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { idSchema, instantSchema } from '../shared/payload-schemas.ts';

/**
 * Events of a hospital admission (seed §6 hospital aggregates, §11 ADT ordering): ADT orders and the admit /
 * transfer / discharge they lead to. The orders live in this stream too (not in the encounter's), so that one
 * admission replays as the complete, ordered ADT record a hospital needs in a dispute (seed §9); the encounter the
 * doctor ordered from is kept as a reference.
 */
const AGGREGATE = 'admission';

export const ADT_ORDER_KINDS = ['admit', 'transfer', 'discharge'] as const;
export const DISPOSITIONS = [
  'home',
  'referred_out',
  'against_medical_advice',
  'deceased',
  'absconded',
] as const;

export const locationSchema = z.strictObject({ wardId: idSchema, bedId: idSchema });
export type Location = z.output<typeof locationSchema>;

const clinicalText = z.string().max(4_000).nullable();

export const adtOrderSubmitted = defineEvent({
  type: 'adt.order.submitted',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'A doctor ordered an admission, a transfer (to a ward; the bed is chosen when it happens) or a discharge. ' +
    'reason is clinical prose.',
  schema: z.strictObject({
    admissionId: idSchema,
    orderId: idSchema,
    kind: z.enum(ADT_ORDER_KINDS),
    patientId: idSchema,
    orderedBy: idSchema,
    encounterId: idSchema.nullable(),
    toWardId: idSchema.nullable(),
    reason: clinicalText,
    submittedAt: instantSchema,
  }),
  sensitive: { reason: 'clinical' },
  subjectPath: 'patientId',
});

export const admissionAdmitted = defineEvent({
  type: 'admission.admitted',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The patient took a bed; orderId is the admit order it fulfils (null for an emergency admission).',
  schema: z.strictObject({
    admissionId: idSchema,
    patientId: idSchema,
    branchId: idSchema,
    attendingDoctorId: idSchema,
    location: locationSchema,
    orderId: idSchema.nullable(),
    admittingDiagnosis: clinicalText,
    admittedAt: instantSchema,
  }),
  sensitive: { admittingDiagnosis: 'clinical' },
  subjectPath: 'patientId',
});

export const admissionTransferred = defineEvent({
  type: 'admission.transferred',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The patient moved to another ward or bed.',
  schema: z.strictObject({
    admissionId: idSchema,
    patientId: idSchema,
    from: locationSchema,
    to: locationSchema,
    orderId: idSchema.nullable(),
    reason: clinicalText,
    transferredAt: instantSchema,
  }),
  sensitive: { reason: 'clinical' },
  subjectPath: 'patientId',
});

export const admissionDischarged = defineEvent({
  type: 'admission.discharged',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The patient left the hospital; the admission is closed. summary is the clinical discharge summary.',
  schema: z.strictObject({
    admissionId: idSchema,
    patientId: idSchema,
    from: locationSchema,
    disposition: z.enum(DISPOSITIONS),
    orderId: idSchema.nullable(),
    summary: clinicalText,
    dischargedAt: instantSchema,
  }),
  sensitive: { summary: 'clinical' },
  subjectPath: 'patientId',
});

export const events: readonly EventDefinition[] = [
  adtOrderSubmitted,
  admissionAdmitted,
  admissionTransferred,
  admissionDischarged,
];

export type AdmissionEvent =
  | EventOf<typeof adtOrderSubmitted>
  | EventOf<typeof admissionAdmitted>
  | EventOf<typeof admissionTransferred>
  | EventOf<typeof admissionDischarged>;
