/** GET /v1/whoami — the caller as the service sees it: tenant, actor, credential and permissions. */
import { z } from 'zod';
import { ROLES } from '../../tenancy/roles.ts';
import { defineApiRoute } from '../api-route.ts';

export const whoamiRoute = defineApiRoute({
  method: 'GET',
  url: '/v1/whoami',
  summary: 'The authenticated caller',
  tags: ['credentials'],
  permission: 'authenticated',
  responses: {
    200: z.object({
      tenantId: z.string(),
      actor: z.object({ id: z.string(), kind: z.string(), role: z.string() }),
      credentialId: z.string(),
      via: z.enum(['api_key', 'jwt']),
      permissions: z.array(z.string()),
    }),
  },
  async handler(_input, ctx) {
    const { principal } = ctx;
    return { ...principal, permissions: [...ROLES[principal.actor.role].permissions] };
  },
});
