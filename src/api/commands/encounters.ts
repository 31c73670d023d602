/**
 * Encounter commands over HTTP, a doctor's: open an encounter for a visit (opd, tele) or an admission (ipd),
 * record its clinical signals while it is open — a treatment plan started, a care-path step reached, a
 * referral out — and close it. Every clinical text is encrypted under the patient's key.
 */
import { z } from 'zod';
import {
  carePathUpdated,
  encounterClosed,
  ENCOUNTER_SETTINGS,
  referralOutbound,
  REFERRAL_URGENCIES,
  treatmentPlanStarted,
} from '../../domain/encounter/events.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { idParams } from './body-schemas.ts';
import { defineCommandRoute } from './command-endpoint.ts';

const common = { tags: ['encounters'], permission: 'encounters:write', aggregate: 'encounter' } as const;
const encounterParams = idParams('encounterId');

export const openEncounter = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/encounters/:encounterId',
  summary: 'Begin an encounter (visitId for opd and tele, admissionId for ipd; the caller chooses the id)',
  creates: true,
  params: encounterParams,
  body: z.strictObject({
    patientId: identifierSchema,
    doctorId: identifierSchema,
    branchId: identifierSchema,
    setting: z.enum(ENCOUNTER_SETTINGS),
    visitId: identifierSchema.nullable().default(null),
    admissionId: identifierSchema.nullable().default(null),
  }),
  command: ({ params, body }, ctx) => ({ type: 'OpenEncounter', ...params, ...body, now: ctx.now }),
});

export const startTreatmentPlan = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/encounters/:encounterId/treatment-plans/:planId',
  summary: 'Start a treatment plan (planCode: the protocol, when there is one)',
  creates: false,
  params: idParams('encounterId', 'planId'),
  body: z.strictObject({
    planCode: treatmentPlanStarted.schema.shape.planCode.default(null),
    summary: treatmentPlanStarted.schema.shape.summary,
  }),
  command: ({ params, body }, ctx) => ({ type: 'StartTreatmentPlan', ...params, ...body, now: ctx.now }),
});

export const updateCarePath = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/encounters/:encounterId/care-paths/:carePathId/steps',
  summary: 'Record the care-path step the patient reached (step: a code of the pathway)',
  creates: false,
  params: idParams('encounterId', 'carePathId'),
  body: z.strictObject({
    step: carePathUpdated.schema.shape.step,
    note: carePathUpdated.schema.shape.note.default(null),
  }),
  command: ({ params, body }, ctx) => ({ type: 'UpdateCarePath', ...params, ...body, now: ctx.now }),
});

export const referOut = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/encounters/:encounterId/referrals/:referralId',
  summary: 'Refer the patient to a provider outside the organisation',
  creates: false,
  params: idParams('encounterId', 'referralId'),
  body: z.strictObject({
    toProvider: referralOutbound.schema.shape.toProvider,
    specialty: referralOutbound.schema.shape.specialty,
    urgency: z.enum(REFERRAL_URGENCIES),
    reason: referralOutbound.schema.shape.reason,
  }),
  command: ({ params, body }, ctx) => ({ type: 'ReferOut', ...params, ...body, now: ctx.now }),
});

export const closeEncounter = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/encounters/:encounterId/close',
  summary: 'End the encounter; no clinical signal is accepted afterwards',
  creates: false,
  params: encounterParams,
  body: z.strictObject({ summary: encounterClosed.schema.shape.summary.default(null) }),
  command: ({ params, body }, ctx) => ({ type: 'CloseEncounter', ...params, ...body, now: ctx.now }),
});

export const ENCOUNTER_COMMAND_ROUTES = [
  openEncounter,
  startTreatmentPlan,
  updateCarePath,
  referOut,
  closeEncounter,
];
