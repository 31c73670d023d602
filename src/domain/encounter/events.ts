import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { externalCodeSchema, idSchema, instantSchema } from '../shared/payload-schemas.ts';

/**
 * Events of a clinical encounter (seed §6 hospital aggregates, §4 F clinical signals): one doctor–patient episode
 * (an OPD or tele visit, an inpatient stay, an emergency), opened and closed, and the clinical signals raised while
 * it is open. The signals live here because each is a clinician's act inside an encounter; ADT orders live on the
 * admission instead (see admission/events.ts). Every clinical text is encrypted with the patient's key.
 */
const AGGREGATE = 'encounter';

export const ENCOUNTER_SETTINGS = ['opd', 'tele', 'ipd', 'emergency'] as const;
export const REFERRAL_URGENCIES = ['routine', 'urgent', 'emergency'] as const;

const clinicalText = z.string().min(1).max(8_000);

export const encounterOpened = defineEvent({
  type: 'encounter.opened',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'A doctor began an encounter with the patient, for a visit (opd, tele) or an admission (ipd).',
  schema: z.strictObject({
    encounterId: idSchema,
    patientId: idSchema,
    doctorId: idSchema,
    branchId: idSchema,
    setting: z.enum(ENCOUNTER_SETTINGS),
    visitId: idSchema.nullable(),
    admissionId: idSchema.nullable(),
    openedAt: instantSchema,
  }),
  sensitive: {},
});

export const treatmentPlanStarted = defineEvent({
  type: 'treatment.plan.started',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'A treatment plan began; planCode names a protocol when there is one, summary is clinical prose.',
  schema: z.strictObject({
    encounterId: idSchema,
    patientId: idSchema,
    planId: idSchema,
    planCode: externalCodeSchema.nullable(),
    summary: clinicalText,
    startedAt: instantSchema,
  }),
  sensitive: { summary: 'clinical' },
  subjectPath: 'patientId',
});

export const carePathUpdated = defineEvent({
  type: 'carepath.updated',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The patient moved to a step of a care pathway (step is a code of the pathway); note is clinical.',
  schema: z.strictObject({
    encounterId: idSchema,
    patientId: idSchema,
    carePathId: idSchema,
    step: externalCodeSchema,
    note: clinicalText.nullable(),
    updatedAt: instantSchema,
  }),
  sensitive: { note: 'clinical' },
  subjectPath: 'patientId',
});

export const referralOutbound = defineEvent({
  type: 'referral.outbound',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The patient was referred to a provider outside the tenant; reason is clinical prose.',
  schema: z.strictObject({
    encounterId: idSchema,
    patientId: idSchema,
    referralId: idSchema,
    toProvider: z.string().min(1).max(200),
    specialty: z.string().min(1).max(100),
    urgency: z.enum(REFERRAL_URGENCIES),
    reason: clinicalText,
    referredAt: instantSchema,
  }),
  sensitive: { reason: 'clinical' },
  subjectPath: 'patientId',
});

export const encounterClosed = defineEvent({
  type: 'encounter.closed',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The encounter ended; summary is the clinical closing note. No signal is accepted afterwards.',
  schema: z.strictObject({
    encounterId: idSchema,
    patientId: idSchema,
    summary: clinicalText.nullable(),
    closedAt: instantSchema,
  }),
  sensitive: { summary: 'clinical' },
  subjectPath: 'patientId',
});

export const events: readonly EventDefinition[] = [
  encounterOpened,
  treatmentPlanStarted,
  carePathUpdated,
  referralOutbound,
  encounterClosed,
];

export type EncounterEvent =
  | EventOf<typeof encounterOpened>
  | EventOf<typeof treatmentPlanStarted>
  | EventOf<typeof carePathUpdated>
  | EventOf<typeof referralOutbound>
  | EventOf<typeof encounterClosed>;
