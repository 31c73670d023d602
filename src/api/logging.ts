/**
 * Structured JSON logs (pino, through Fastify) that never hold a request or response body, a credential or
 * patient data. Requests are logged by route pattern, never by URL, because paths and query strings carry
 * patient ids; errors by type, code and stack frames, never by message, because driver messages can quote
 * input values. The redaction list is a second fence for anything logged by hand.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'apiKey',
  '*.apiKey',
  'body',
  '*.body',
  'payload',
  '*.payload',
  'query',
  '*.query',
];

export interface LogOptions {
  readonly level?: string;
  /** Where log lines go (default stdout); tests capture them here. */
  readonly stream?: NodeJS.WritableStream;
}

export function loggerOptions(options: LogOptions): Record<string, unknown> {
  return {
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: requestSummary, res: responseSummary, err: errorSummary },
    ...(options.stream ? { stream: options.stream } : {}),
  };
}

function requestSummary(request: FastifyRequest): Record<string, unknown> {
  return { method: request.method, route: request.routeOptions?.url ?? 'unmatched' };
}

/** The correlation id is known by the time the response is logged (not yet when the request is). */
function responseSummary(reply: FastifyReply): Record<string, unknown> {
  return { statusCode: reply.statusCode, correlationId: reply.request.correlationId };
}

function errorSummary(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const { code } = error as { code?: unknown };
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    // The first line of a stack repeats the message; only the frames are kept.
    frames: (error.stack ?? '')
      .split('\n')
      .slice(1, 11)
      .map((line) => line.trim()),
  };
}
