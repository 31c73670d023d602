/**
 * The OpenAPI 3 document, generated from the routes' zod schemas, served at /docs/openapi.json and browsable
 * at /docs (swagger-ui).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_KINDS } from './problem-details.ts';
import { zodToOpenApi } from './zod-schemas.ts';

export const OPENAPI_PATH = '/docs/openapi.json';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'MyMedic API',
        version: '1',
        description: [
          'The system of record for clinics, chains and hospitals. Every /v1 request is authenticated',
          '(Authorization: Bearer <API key or EdDSA JWT>) and sees only its credential’s tenant.',
          'Errors are RFC 7807 problem documents; codes:',
          Object.entries(PROBLEM_KINDS)
            .map(([code, kind]) => `${code} (${kind.status})`)
            .join(', '),
          '; business-rule refusals are 409 with their own stable code.',
        ].join(' '),
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API key (mmk.…) or JWT' },
        },
      },
    },
    transform: zodToOpenApi,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { url: OPENAPI_PATH } });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
}
