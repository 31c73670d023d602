/**
 * What it takes to create a credential, as zod schemas shared by the API (request bodies, OpenAPI) and the
 * command line, so both accept and refuse exactly the same input.
 */
import { z } from 'zod';
import { identifierSchema } from '../identifiers.ts';
import { CREDENTIAL_ACTOR_KINDS, ROLE_NAMES, roleAllowsKind, type RoleName } from '../roles.ts';

/** Free text for humans (no control characters, which PostgreSQL text or logs could not carry). */
export const labelSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const newApiKeySchema = z
  .strictObject({
    actorId: identifierSchema.describe('the actor this key acts as; for a patient, their patient id'),
    kind: z.enum(CREDENTIAL_ACTOR_KINDS),
    role: z.enum(ROLE_NAMES as [RoleName, ...RoleName[]]),
    label: labelSchema.optional(),
  })
  .refine((value) => roleAllowsKind(value.role, value.kind), {
    path: ['role'],
    message: 'is not allowed for this actor kind',
  });

export type NewApiKey = z.output<typeof newApiKeySchema>;
