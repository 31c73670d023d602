/**
 * Every request carries two ids: its own (a fresh UUIDv7, Fastify's `request.id`), which becomes the
 * causation id of the events it appends, and a correlation id shared by everything one business flow causes,
 * taken from `X-Correlation-Id` when the caller sends a usable one. Both are echoed in the response.
 */
import type { FastifyInstance } from 'fastify';
import { uuidV7 } from '../shared/uuid-v7.ts';
import { IDENTIFIER } from '../store/validate-new-event.ts';

export const CORRELATION_HEADER = 'x-correlation-id';
export const REQUEST_ID_HEADER = 'x-request-id';

declare module 'fastify' {
  interface FastifyRequest {
    /** From X-Correlation-Id when valid, else a new UUIDv7; flows into events' correlation_id. */
    correlationId: string;
  }
}

export const newRequestId = (): string => uuidV7();

/** A caller's correlation id is kept when it could be stored in an event envelope, else replaced. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && IDENTIFIER.test(header) ? header : uuidV7();
}

export function registerCorrelation(app: FastifyInstance): void {
  app.decorateRequest('correlationId', '');
  app.addHook('onRequest', async (request, reply) => {
    request.correlationId = correlationIdFrom(request.headers[CORRELATION_HEADER]);
    reply.header(CORRELATION_HEADER, request.correlationId);
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}
