import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { businessDateSchema, idSchema, instantSchema } from '../shared/payload-schemas.ts';

/**
 * Events of the patient stream: registration, demographic and note changes, and consents in the NDHM/ABDM style
 * (purpose, health-information types, requester, data period, expiry). Identifying fields are `pii` and free text
 * is `clinical`: both are encrypted under the patient's key before the event is stored.
 */
const AGGREGATE = 'patient';

export const GENDERS = ['female', 'male', 'other', 'undisclosed'] as const;

/** ABDM consent purposes: care management, break-the-glass, public health, payment, research, self-requested. */
export const CONSENT_PURPOSES = ['CAREMGT', 'BTG', 'PUBHLTH', 'HPAYMT', 'DSRCH', 'PATRQT'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** ABDM health-information types a consent may cover. */
export const HI_TYPES = [
  'OPConsultation',
  'Prescription',
  'DischargeSummary',
  'DiagnosticReport',
  'ImmunizationRecord',
  'HealthDocumentRecord',
  'WellnessRecord',
  'Invoice',
] as const;
export type HiType = (typeof HI_TYPES)[number];

export const REQUESTER_KINDS = ['hiu', 'hip', 'doctor', 'insurer', 'organisation'] as const;

const addressSchema = z.strictObject({
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().min(1).max(200).nullable(),
  city: z.string().trim().min(1).max(100),
  state: z.string().trim().min(1).max(100),
  postalCode: z.string().regex(/^[0-9A-Za-z -]{3,10}$/, 'must be a postal code'),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code'),
});

export const demographicsSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  phone: z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be E.164, e.g. +919812345678'),
  email: z.email().max(254).nullable(),
  birthDate: businessDateSchema,
  gender: z.enum(GENDERS).nullable(),
  address: addressSchema.nullable(),
  /** ABHA (Ayushman Bharat Health Account) number: 14 digits. */
  abhaNumber: z
    .string()
    .regex(/^\d{2}-\d{4}-\d{4}-\d{4}$/, 'must be NN-NNNN-NNNN-NNNN')
    .nullable(),
  /** ABHA address, e.g. `asha.rao@abdm`. */
  abhaAddress: z
    .string()
    .regex(/^[A-Za-z0-9._]{4,32}@[a-z]{2,10}$/, 'must look like name@abdm')
    .nullable(),
});

export type Demographics = z.output<typeof demographicsSchema>;
export const DEMOGRAPHIC_FIELDS = Object.keys(demographicsSchema.shape) as (keyof Demographics)[];

const notesSchema = z.string().trim().min(1).max(10_000).nullable();

const piiOf = (prefix: string) =>
  Object.fromEntries(DEMOGRAPHIC_FIELDS.map((field) => [`${prefix}${field}`, 'pii' as const]));

export const patientRegistered = defineEvent({
  type: 'patient.registered',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'A patient was registered with their identifying details; notes are free clinical text.',
  schema: demographicsSchema.extend({ patientId: idSchema, notes: notesSchema }),
  sensitive: { ...piiOf(''), notes: 'clinical' },
  subjectPath: 'patientId',
});

export const patientDemographicsUpdated = defineEvent({
  type: 'patient.demographics.updated',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'Some identifying details changed; `changes` holds only the fields that changed, with their new value.',
  schema: z.strictObject({
    patientId: idSchema,
    changes: demographicsSchema
      .partial()
      .refine((changes) => Object.keys(changes).length > 0, 'must change at least one field'),
  }),
  sensitive: piiOf('changes.'),
  subjectPath: 'patientId',
});

export const patientNotesUpdated = defineEvent({
  type: 'patient.notes.updated',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The patient’s free-text notes were replaced (null: cleared).',
  schema: z.strictObject({ patientId: idSchema, notes: notesSchema }),
  sensitive: { notes: 'clinical' },
  subjectPath: 'patientId',
});

export const consentGranted = defineEvent({
  type: 'consent.granted',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The patient allowed `requester` to use the listed health-information types for `purpose`, covering data from ' +
    'dataFrom to dataTo (null: unbounded), from grantedAt until expiresAt unless revoked earlier. artefactId is ' +
    'the ABDM consent artefact, when the grant came through ABDM.',
  schema: z
    .strictObject({
      patientId: idSchema,
      consentId: idSchema,
      artefactId: idSchema.nullable(),
      purpose: z.enum(CONSENT_PURPOSES),
      hiTypes: z
        .array(z.enum(HI_TYPES))
        .min(1)
        .refine((types) => new Set(types).size === types.length, 'must not repeat a type'),
      requester: z.strictObject({
        kind: z.enum(REQUESTER_KINDS),
        id: idSchema,
        name: z.string().trim().min(1).max(200),
      }),
      dataFrom: businessDateSchema.nullable(),
      dataTo: businessDateSchema.nullable(),
      grantedAt: instantSchema,
      expiresAt: instantSchema,
    })
    .refine((consent) => Date.parse(consent.expiresAt) > Date.parse(consent.grantedAt), {
      message: 'must expire after it is granted',
      path: ['expiresAt'],
    })
    .refine(
      (consent) => consent.dataFrom === null || consent.dataTo === null || consent.dataFrom <= consent.dataTo,
      {
        message: 'the data period must not end before it starts',
        path: ['dataTo'],
      },
    ),
  sensitive: {},
  subjectPath: 'patientId',
});

export const consentRevoked = defineEvent({
  type: 'consent.revoked',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The patient withdrew the consent; it stops applying at revokedAt.',
  schema: z.strictObject({ patientId: idSchema, consentId: idSchema, revokedAt: instantSchema }),
  sensitive: {},
  subjectPath: 'patientId',
});

export const events: readonly EventDefinition[] = [
  patientRegistered,
  patientDemographicsUpdated,
  patientNotesUpdated,
  consentGranted,
  consentRevoked,
];

export type PatientEvent =
  | EventOf<typeof patientRegistered>
  | EventOf<typeof patientDemographicsUpdated>
  | EventOf<typeof patientNotesUpdated>
  | EventOf<typeof consentGranted>
  | EventOf<typeof consentRevoked>;
