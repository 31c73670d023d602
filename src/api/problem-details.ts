/**
 * RFC 7807 problem documents: the one table from a MyMedicError's stable code to an HTTP status. The core
 * never speaks HTTP; this file alone decides what a code means on the wire. Unknown failures become a 500
 * that says nothing about internals.
 */
import { z } from 'zod';
import { DomainRuleError } from '../domain/shared/domain-rule-error.ts';
import { MyMedicError, type ErrorFacts } from '../shared/errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface ProblemKind {
  readonly status: number;
  readonly title: string;
}

/** Every code the API answers with, and its status. Domain rule codes (DomainRuleError) are all 409. */
export const PROBLEM_KINDS = {
  VALIDATION_FAILED: { status: 400, title: 'The request is invalid' },
  AUTHENTICATION_REQUIRED: { status: 401, title: 'Authentication is required' },
  CREDENTIAL_INVALID: { status: 401, title: 'The credential is not valid' },
  CREDENTIAL_EXPIRED: { status: 401, title: 'The credential has expired' },
  PERMISSION_DENIED: { status: 403, title: 'Not allowed for this role' },
  NOT_OWN_RECORD: { status: 403, title: 'Not your record' },
  NOT_FOUND: { status: 404, title: 'No such resource' },
  STREAM_NOT_FOUND: { status: 404, title: 'No such stream' },
  CREDENTIAL_NOT_FOUND: { status: 404, title: 'No such credential' },
  TENANT_NOT_FOUND: { status: 404, title: 'No such tenant' },
  TENANT_EXISTS: { status: 409, title: 'The tenant already exists' },
  EVENT_ID_REUSED: { status: 409, title: 'Event ids were already used by another append' },
  LEGAL_HOLD: { status: 409, title: 'A legal hold applies' },
  CONCURRENCY_CONFLICT: { status: 412, title: 'The resource changed since you read it' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Send application/json' },
  PRECONDITION_REQUIRED: { status: 428, title: 'Send If-Match with the version you read' },
  TENANT_ORDER_RACE: { status: 503, title: 'A concurrent write won; retry' },
  NOT_READY: { status: 503, title: 'The service is not ready' },
  PROJECTION_BEHIND: { status: 503, title: 'The read model has not caught up yet' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
} as const satisfies Readonly<Record<string, ProblemKind>>;

export type ProblemCode = keyof typeof PROBLEM_KINDS;

const DOMAIN_RULE: ProblemKind = { status: 409, title: 'Refused by a business rule' };

/** Failures of the HTTP framework itself (unparseable body, wrong media type ...), by the status it chose. */
const FRAMEWORK_STATUS: Readonly<Record<number, ProblemCode>> = {
  400: 'VALIDATION_FAILED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Members of the document that facts may not overwrite. */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'code', 'instance', 'correlationId']);

export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly document: Readonly<Record<string, unknown>>;
  /** True when the cause was not a known, reportable failure (log it; its message was not sent). */
  readonly unexpected: boolean;
}

export const problemSchema = z
  .looseObject({
    type: z.string().describe('urn:mymedic:problem:<code in kebab case>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('stable UPPER_SNAKE code; the facts of the error follow as extra members'),
    instance: z.string().optional(),
    correlationId: z.string().optional(),
  })
  .describe('RFC 7807 problem document (application/problem+json)');

/**
 * @param ids the request's ids, quoted in the document so a caller can cite them to support.
 */
export function toProblem(error: unknown, ids: { requestId: string; correlationId?: string }): Problem {
  const known = classify(error);
  const { code, kind, detail, facts } = known ?? {
    code: 'INTERNAL_ERROR',
    kind: PROBLEM_KINDS.INTERNAL_ERROR,
    detail: 'an unexpected error occurred; quote the correlation id to support',
    facts: {},
  };
  const document: Record<string, unknown> = {
    type: `urn:mymedic:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: kind.title,
    status: kind.status,
    detail,
    code,
    instance: `urn:mymedic:request:${ids.requestId}`,
    ...(ids.correlationId ? { correlationId: ids.correlationId } : {}),
  };
  for (const [key, value] of Object.entries(facts)) if (!RESERVED.has(key)) document[key] = value;
  return { status: kind.status, code, document, unexpected: known === undefined };
}

interface Classified {
  readonly code: string;
  readonly kind: ProblemKind;
  readonly detail: string;
  readonly facts: ErrorFacts;
}

function classify(error: unknown): Classified | undefined {
  if (error instanceof DomainRuleError) {
    return { code: error.code, kind: DOMAIN_RULE, detail: error.message, facts: error.facts };
  }
  if (error instanceof MyMedicError) {
    const kind = kindOf(error.code);
    return kind ? { code: error.code, kind, detail: error.message, facts: error.facts } : undefined;
  }
  const { statusCode, code } = (error ?? {}) as { statusCode?: unknown; code?: unknown };
  const mapped = typeof statusCode === 'number' ? FRAMEWORK_STATUS[statusCode] : undefined;
  if (!mapped) return undefined;
  const field = code === 'FST_ERR_BAD_URL' ? 'url' : 'body';
  return mapped === 'VALIDATION_FAILED'
    ? { code: mapped, kind: PROBLEM_KINDS[mapped], detail: `${field}: cannot be read`, facts: { field } }
    : { code: mapped, kind: PROBLEM_KINDS[mapped], detail: PROBLEM_KINDS[mapped].title, facts: {} };
}

function kindOf(code: string): ProblemKind | undefined {
  return Object.hasOwn(PROBLEM_KINDS, code) ? PROBLEM_KINDS[code as ProblemCode] : undefined;
}
