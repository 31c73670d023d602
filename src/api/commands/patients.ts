/**
 * Patient commands over HTTP: register, change demographics or notes, grant and revoke consents. Identifying
 * fields and notes are encrypted under the patient's own key before they are stored; responses never echo
 * them. A patient credential acts on its own record only.
 */
import { z } from 'zod';
import {
  CONSENT_PURPOSES,
  demographicsSchema,
  HI_TYPES,
  REQUESTER_KINDS,
} from '../../domain/patient/events.ts';
import { businessDateSchema } from '../../domain/shared/payload-schemas.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { idParams, instantBody } from './body-schemas.ts';
import { defineCommandRoute, type CommandContext } from './command-endpoint.ts';

const common = { tags: ['patients'], permission: 'patients:write', aggregate: 'patient' } as const;
const patientParams = idParams('patientId');
const consentParams = idParams('patientId', 'consentId');
const notesBody = z.string().trim().min(1).max(10_000).nullable();

/** The patient the path names, once the caller may act on them. */
function ownPatient<P extends { patientId: string }>(params: P, ctx: CommandContext): P {
  ctx.requireOwnRecord(params.patientId);
  return params;
}

export const registerPatient = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/patients/:patientId',
  summary: 'Register a patient (the caller chooses the id)',
  creates: true,
  params: patientParams,
  body: demographicsSchema.extend({ notes: notesBody.default(null) }),
  command: ({ params, body }, ctx) => ({
    type: 'RegisterPatient',
    ...ownPatient(params, ctx),
    ...body,
    now: ctx.now,
  }),
});

export const updatePatientDemographics = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/patients/:patientId/demographics',
  summary: 'Change some identifying details (only the fields sent)',
  creates: false,
  params: patientParams,
  body: z.strictObject({
    changes: demographicsSchema
      .partial()
      .refine((changes) => Object.keys(changes).length > 0, 'must change at least one field'),
  }),
  command: ({ params, body }, ctx) => ({
    type: 'UpdatePatientDemographics',
    ...ownPatient(params, ctx),
    changes: body.changes,
    now: ctx.now,
  }),
});

export const updatePatientNotes = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/patients/:patientId/notes',
  summary: 'Replace the patient’s notes (null clears them)',
  creates: false,
  params: patientParams,
  body: z.strictObject({ notes: notesBody }),
  command: ({ params, body }, ctx) => ({
    type: 'UpdatePatientNotes',
    ...ownPatient(params, ctx),
    notes: body.notes,
    now: ctx.now,
  }),
});

export const grantConsent = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/patients/:patientId/consents/:consentId',
  summary: 'Record a consent (ABDM style: purpose, health-information types, requester, period, expiry)',
  creates: false,
  params: consentParams,
  body: z
    .strictObject({
      artefactId: identifierSchema.nullable().default(null),
      purpose: z.enum(CONSENT_PURPOSES),
      hiTypes: z
        .array(z.enum(HI_TYPES))
        .min(1)
        .refine((types) => new Set(types).size === types.length, 'must not repeat a type'),
      requester: z.strictObject({
        kind: z.enum(REQUESTER_KINDS),
        id: identifierSchema,
        name: z.string().trim().min(1).max(200),
      }),
      dataFrom: businessDateSchema.nullable().default(null),
      dataTo: businessDateSchema.nullable().default(null),
      expiresAt: instantBody,
    })
    .refine(
      (consent) => consent.dataFrom === null || consent.dataTo === null || consent.dataFrom <= consent.dataTo,
      {
        message: 'the data period must not end before it starts',
        path: ['dataTo'],
      },
    ),
  command: ({ params, body }, ctx) => ({
    type: 'GrantConsent',
    ...ownPatient(params, ctx),
    ...body,
    now: ctx.now,
  }),
});

export const revokeConsent = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/patients/:patientId/consents/:consentId/revoke',
  summary: 'Withdraw a consent; it stops applying now',
  creates: false,
  params: consentParams,
  command: ({ params }, ctx) => ({ type: 'RevokeConsent', ...ownPatient(params, ctx), now: ctx.now }),
});

export const PATIENT_COMMAND_ROUTES = [
  registerPatient,
  updatePatientDemographics,
  updatePatientNotes,
  grantConsent,
  revokeConsent,
];
