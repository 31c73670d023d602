/**
 * Hospital admission (ADT) commands over HTTP: a doctor's admit, transfer or discharge order, and the admit,
 * transfer and discharge that fulfil it (or happen without one, in an emergency). An admission's stream may
 * start with its admit order or with the admission itself, so no command here "creates": each answers 200 and
 * takes an optional If-Match (`"0"`: the admission must not exist yet). Reasons, diagnoses and summaries are
 * clinical text, encrypted under the patient's key.
 */
import { z } from 'zod';
import {
  admissionAdmitted,
  admissionDischarged,
  admissionTransferred,
  adtOrderSubmitted,
  DISPOSITIONS,
  locationSchema,
} from '../../domain/admission/events.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { idParams } from './body-schemas.ts';
import { defineCommandRoute } from './command-endpoint.ts';

const common = {
  tags: ['admissions'],
  permission: 'admissions:write',
  aggregate: 'admission',
  creates: false,
} as const;
const admissionParams = idParams('admissionId');
/** The pending order a command fulfils; null when it fulfils none. */
const orderId = identifierSchema.nullable().default(null);

const adtOrderBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('admit'), patientId: identifierSchema }),
  z.strictObject({ kind: z.literal('transfer'), toWardId: identifierSchema }),
  z.strictObject({ kind: z.literal('discharge') }),
]);

export const submitAdtOrder = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/admissions/:admissionId/orders/:orderId',
  summary: 'Order an admission, a transfer to a ward or a discharge (the caller chooses both ids)',
  params: idParams('admissionId', 'orderId'),
  body: z.strictObject({
    order: adtOrderBody,
    orderedBy: identifierSchema.describe('the ordering doctor'),
    encounterId: identifierSchema.nullable().default(null),
    reason: adtOrderSubmitted.schema.shape.reason.default(null),
  }),
  command: ({ params, body }, ctx) => ({ type: 'SubmitAdtOrder', ...params, ...body, now: ctx.now }),
});

export const admitPatient = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/admissions/:admissionId/admit',
  summary: 'The patient takes a bed (orderId: the admit order fulfilled; null for an emergency admission)',
  params: admissionParams,
  body: z.strictObject({
    patientId: identifierSchema,
    branchId: identifierSchema,
    attendingDoctorId: identifierSchema,
    location: locationSchema,
    orderId,
    admittingDiagnosis: admissionAdmitted.schema.shape.admittingDiagnosis.default(null),
  }),
  command: ({ params, body }, ctx) => ({ type: 'AdmitPatient', ...params, ...body, now: ctx.now }),
});

export const transferPatient = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/admissions/:admissionId/transfer',
  summary: 'Move an admitted patient to another ward or bed',
  params: admissionParams,
  body: z.strictObject({
    to: locationSchema,
    orderId,
    reason: admissionTransferred.schema.shape.reason.default(null),
  }),
  command: ({ params, body }, ctx) => ({ type: 'TransferPatient', ...params, ...body, now: ctx.now }),
});

export const dischargePatient = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/admissions/:admissionId/discharge',
  summary: 'The patient leaves the hospital; the admission is closed',
  params: admissionParams,
  body: z.strictObject({
    disposition: z.enum(DISPOSITIONS),
    orderId,
    summary: admissionDischarged.schema.shape.summary.default(null),
  }),
  command: ({ params, body }, ctx) => ({ type: 'DischargePatient', ...params, ...body, now: ctx.now }),
});

export const ADMISSION_COMMAND_ROUTES = [submitAdtOrder, admitPatient, transferPatient, dischargePatient];
