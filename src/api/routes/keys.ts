/**
 * The tenant's own credentials, for its administrators: create an API key (shown once) and revoke any
 * credential. The tenant is always the caller's; a body naming another tenant is refused by its schema, and
 * another tenant's credential ids are invisible (404).
 */
import { z } from 'zod';
import { createApiKey, revokeCredential } from '../../tenancy/credentials/credential-store.ts';
import { newApiKeySchema } from '../../tenancy/credentials/credential-schemas.ts';
import type { Authenticator } from '../../tenancy/authenticator.ts';
import { defineApiRoute } from '../api-route.ts';

export const createKeyRoute = defineApiRoute({
  method: 'POST',
  url: '/v1/keys',
  summary: 'Create an API key for an actor of the caller’s tenant (the key is shown only in this response)',
  tags: ['credentials'],
  permission: 'credentials:manage',
  body: newApiKeySchema,
  responses: {
    201: z.object({
      credentialId: z.string(),
      apiKey: z.string().describe('Bearer token; store it now, it is never shown again'),
      tenantId: z.string(),
      actor: z.object({ id: z.string(), kind: z.string(), role: z.string() }),
      createdAt: z.string(),
    }),
  },
  async handler({ body }, ctx, reply) {
    const created = await ctx.engine.transaction((tx) => createApiKey(tx, ctx.tenantId, body));
    reply.code(201).header('cache-control', 'no-store');
    return { ...created, createdAt: created.createdAt.toISOString() };
  },
});

export function revokeKeyRoute(authenticator: Authenticator) {
  return defineApiRoute({
    method: 'DELETE',
    url: '/v1/keys/:credentialId',
    summary: 'Revoke an API key or JWT issuer of the caller’s tenant (idempotent)',
    tags: ['credentials'],
    permission: 'credentials:manage',
    params: z.strictObject({ credentialId: z.string().regex(/^[0-9a-f]{24}$/, 'must be a credential id') }),
    responses: { 204: z.null() },
    async handler({ params }, ctx) {
      await ctx.engine.transaction((tx) => revokeCredential(tx, ctx.tenantId, params.credentialId));
      authenticator.forget(params.credentialId);
      return undefined;
    },
  });
}
