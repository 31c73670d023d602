/**
 * Every failure leaves as a problem document: thrown errors, validation failures, unknown routes and the
 * framework's own refusals. Unexpected errors are logged (type, code and stack frames only) and answered
 * with a 500 that names no internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MyMedicError } from '../shared/errors.ts';
import { etag } from './concurrency.ts';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem-details.ts';

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      new MyMedicError('NOT_FOUND', `no route ${request.method} ${request.url.split('?', 1)[0]}`),
      request,
      reply,
    ),
  );
}

/** Also used as Fastify's `frameworkErrors` handler (malformed URLs), where no hook has run yet. */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error, {
    requestId: request.id,
    correlationId: request.correlationId || undefined,
  });
  if (problem.unexpected) request.log.error({ err: error as FastifyError }, 'unexpected error');
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
  const actual = problem.code === 'CONCURRENCY_CONFLICT' ? problem.document['actual'] : undefined;
  if (typeof actual === 'number') reply.header('etag', etag(actual));
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem.document));
}
