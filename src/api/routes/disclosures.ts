/** GET /v1/disclosures — the accounting of disclosures of the caller's tenant, for auditors. */
import { z } from 'zod';
import { UUID_PATTERN } from '../../shared/uuid-v7.ts';
import { listDisclosures } from '../../tenancy/disclosures.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { PURPOSES_OF_USE } from '../../tenancy/purpose-of-use.ts';
import { defineApiRoute } from '../api-route.ts';
import { decodeCursor, encodeCursor, instantSchema, limitSchema } from '../wire.ts';

const CURSOR_KIND = 'disclosure';

const disclosureSchema = z.object({
  disclosureId: z.string(),
  patientId: z.string(),
  actor: z.object({ id: z.string(), kind: z.string(), role: z.string() }),
  credentialId: z.string(),
  purpose: z.enum(Object.keys(PURPOSES_OF_USE) as [string, ...string[]]),
  endpoint: z.string().describe('method and route pattern'),
  requestId: z.string(),
  correlationId: z.string(),
  disclosedAt: z.string().describe('ISO 8601'),
});

export const disclosuresRoute = defineApiRoute({
  method: 'GET',
  url: '/v1/disclosures',
  summary: 'Who read which patient’s data, when, why and through which endpoint',
  tags: ['audit'],
  permission: 'audit:read',
  querystring: z.strictObject({
    patientId: identifierSchema.optional(),
    actorId: identifierSchema.optional(),
    from: instantSchema.optional().describe('window on disclosedAt [from, to)'),
    to: instantSchema.optional(),
    cursor: z.string().optional(),
    limit: limitSchema,
  }),
  responses: { 200: z.object({ disclosures: z.array(disclosureSchema), nextCursor: z.string().nullable() }) },
  async handler({ query }, ctx) {
    const after = query.cursor ? decodeCursor(CURSOR_KIND, query.cursor, UUID_PATTERN) : undefined;
    const rows = await listDisclosures(ctx.engine, ctx.tenantId, {
      ...(query.patientId ? { patientId: query.patientId } : {}),
      ...(query.actorId ? { actorId: query.actorId } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      ...(after ? { after } : {}),
      limit: query.limit,
    });
    const last = rows.at(-1);
    return {
      disclosures: rows.map((row) => ({ ...row, disclosedAt: row.disclosedAt.toISOString() })),
      nextCursor: last && rows.length === query.limit ? encodeCursor(CURSOR_KIND, last.disclosureId) : null,
    };
  },
});
