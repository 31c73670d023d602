import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { moneySchema } from '../shared/money.ts';
import {
  externalCodeSchema,
  idSchema,
  instantSchema,
  positiveMoneySchema,
} from '../shared/payload-schemas.ts';

/**
 * Events of an insurance/TPA claim (seed §4 G): created for one visit or admission, submitted to the payer, then
 * settled (for at most the claimed amount) or denied. Replaying one claim stream reconstructs it for a dispute.
 */
const AGGREGATE = 'claim';

export const episodeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('visit'), visitId: idSchema }),
  z.strictObject({ kind: z.literal('admission'), admissionId: idSchema }),
]);
export type Episode = z.output<typeof episodeSchema>;

export const claimCreated = defineEvent({
  type: 'claim.created',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'A claim for the care of one visit or admission was drafted against an insurer or TPA (payerId). The policy ' +
    'number identifies the patient; the diagnosis summary is clinical prose.',
  schema: z.strictObject({
    claimId: idSchema,
    patientId: idSchema,
    payerId: idSchema,
    policyNumber: z.string().min(1).max(100),
    episode: episodeSchema,
    claimed: positiveMoneySchema,
    diagnosisSummary: z.string().max(4_000).nullable(),
    createdAt: instantSchema,
  }),
  sensitive: { policyNumber: 'pii', diagnosisSummary: 'clinical' },
  subjectPath: 'patientId',
});

export const claimSubmitted = defineEvent({
  type: 'claim.submitted',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The claim was sent to the payer; payerReference is the payer’s own id for it, when given.',
  schema: z.strictObject({
    claimId: idSchema,
    payerReference: z.string().min(1).max(200).nullable(),
    submittedAt: instantSchema,
  }),
  sensitive: {},
});

export const claimSettled = defineEvent({
  type: 'claim.settled',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The payer paid the claim, fully or partly (settled ≤ claimed).',
  schema: z.strictObject({
    claimId: idSchema,
    claimed: moneySchema,
    settled: positiveMoneySchema,
    payerReference: z.string().min(1).max(200).nullable(),
    settledAt: instantSchema,
  }),
  sensitive: {},
});

export const claimDenied = defineEvent({
  type: 'claim.denied',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The payer refused the claim with its reason code; note is free text and may be clinical.',
  schema: z.strictObject({
    claimId: idSchema,
    patientId: idSchema,
    reasonCode: externalCodeSchema,
    note: z.string().max(4_000).nullable(),
    deniedAt: instantSchema,
  }),
  sensitive: { note: 'clinical' },
  subjectPath: 'patientId',
});

export const events: readonly EventDefinition[] = [claimCreated, claimSubmitted, claimSettled, claimDenied];

export type ClaimEvent =
  | EventOf<typeof claimCreated>
  | EventOf<typeof claimSubmitted>
  | EventOf<typeof claimSettled>
  | EventOf<typeof claimDenied>;
