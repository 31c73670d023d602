/**
 * Insurance/TPA claim commands over HTTP, finance's: draft a claim for one visit or admission, submit it, and
 * record the payer's settlement (never more than claimed: 409 CLAIM_SETTLEMENT_EXCEEDS_CLAIM) or denial. The
 * policy number and the clinical texts are encrypted under the patient's key.
 */
import { z } from 'zod';
import { claimCreated, claimDenied, claimSubmitted, episodeSchema } from '../../domain/claim/events.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { idParams } from './body-schemas.ts';
import { defineCommandRoute } from './command-endpoint.ts';
import { positiveMoneyBody } from './money-body.ts';

const common = { tags: ['claims'], permission: 'claims:write', aggregate: 'claim' } as const;
const claimParams = idParams('claimId');
const payerReference = claimSubmitted.schema.shape.payerReference.default(null);

export const createClaim = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/claims/:claimId',
  summary: 'Draft a claim against an insurer or TPA for a visit or an admission (the caller chooses the id)',
  creates: true,
  params: claimParams,
  body: z.strictObject({
    patientId: identifierSchema,
    payerId: identifierSchema,
    policyNumber: claimCreated.schema.shape.policyNumber,
    episode: episodeSchema,
    claimed: positiveMoneyBody,
    diagnosisSummary: claimCreated.schema.shape.diagnosisSummary.default(null),
  }),
  command: ({ params, body }, ctx) => ({ type: 'CreateClaim', ...params, ...body, now: ctx.now }),
});

export const submitClaim = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/claims/:claimId/submit',
  summary: 'Send a drafted claim to its payer (payerReference: the payer’s own id for it, when given)',
  creates: false,
  params: claimParams,
  body: z.strictObject({ payerReference }),
  command: ({ params, body }, ctx) => ({ type: 'SubmitClaim', ...params, ...body, now: ctx.now }),
});

export const settleClaim = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/claims/:claimId/settle',
  summary: 'Record what the payer paid on a submitted claim (at most the claimed amount)',
  creates: false,
  params: claimParams,
  body: z.strictObject({ settled: positiveMoneyBody, payerReference }),
  command: ({ params, body }, ctx) => ({ type: 'SettleClaim', ...params, ...body, now: ctx.now }),
});

export const denyClaim = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/claims/:claimId/deny',
  summary: 'Record the payer’s refusal of a submitted claim, with its reason code',
  creates: false,
  params: claimParams,
  body: z.strictObject({
    reasonCode: claimDenied.schema.shape.reasonCode,
    note: claimDenied.schema.shape.note.default(null),
  }),
  command: ({ params, body }, ctx) => ({ type: 'DenyClaim', ...params, ...body, now: ctx.now }),
});

export const CLAIM_COMMAND_ROUTES = [createClaim, submitClaim, settleClaim, denyClaim];
