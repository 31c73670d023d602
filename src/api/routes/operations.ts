/**
 * Unauthenticated operational endpoints, outside /v1: liveness, readiness and Prometheus metrics. They reveal
 * no tenant data; expose /metrics only to the monitoring network.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MyMedicError } from '../../shared/errors.ts';
import type { Engine } from '../../store/engines/engine.ts';
import type { MigrationSet } from '../../store/migrate.ts';
import type { ApiMetrics } from '../metrics.ts';
import { problemSchema } from '../problem-details.ts';
import { checkReadiness, type WorkersProbe } from '../readiness.ts';

export function registerOperations(
  app: FastifyInstance,
  engine: Engine,
  migrations: readonly MigrationSet[],
  metrics: ApiMetrics,
  workers?: WorkersProbe,
): void {
  app.get(
    '/health',
    {
      schema: {
        summary: 'The process is up',
        tags: ['operations'],
        response: { 200: z.object({ status: z.literal('up') }) },
      },
    },
    async () => ({ status: 'up' as const }),
  );
  app.get(
    '/ready',
    {
      schema: {
        summary: 'The database is reachable and every migration is applied',
        description:
          "Also reports the background workers and each read model's lag (never a reason for 503).",
        tags: ['operations'],
        response: {
          200: z.object({
            status: z.literal('ready'),
            workers: z
              .object({
                state: z.enum(['starting', 'running', 'stopping']),
                projections: z.array(
                  z.object({
                    projection: z.string(),
                    state: z.string(),
                    eventsBehind: z.number(),
                    secondsBehind: z.number(),
                    parked: z.number(),
                  }),
                ),
              })
              .optional(),
          }),
          503: problemSchema,
        },
      },
    },
    async () => {
      const readiness = await checkReadiness(engine, migrations);
      if (!readiness.ready) {
        throw new MyMedicError('NOT_READY', 'the database is unreachable or migrations are pending', {
          database: readiness.database,
          pendingMigrations: readiness.pendingMigrations,
        });
      }
      return { status: 'ready' as const, ...(workers ? { workers: await workers.health() } : {}) };
    },
  );
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', tags: ['operations'], hide: true } },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
