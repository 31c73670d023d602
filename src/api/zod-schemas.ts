/**
 * Zod schemas as Fastify route schemas: the same schema validates the request (and coerces it, e.g. query
 * strings to numbers) and, converted by `z.toJSONSchema`, describes it in the OpenAPI document. Fastify's
 * own JSON-schema validator is not used at all.
 */
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { validationErrorOf } from '../tenancy/zod-validation.ts';

const LOCATION: Readonly<Record<string, string>> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const location = LOCATION[httpPart ?? 'body'] ?? 'body';
  return (data: unknown) => {
    const result = schema.safeParse(data);
    return result.success ? { value: result.data } : { error: validationErrorOf(result.error, location) };
  };
};

/** Responses are documented, not validated: handlers build them from typed values. */
export const jsonSerializerCompiler = () => (data: unknown) => JSON.stringify(data);

const PARTS = ['params', 'querystring', 'body', 'headers'] as const;

/** @fastify/swagger's transform: every zod schema of a route becomes OpenAPI 3.0 JSON Schema. */
export function zodToOpenApi({ schema, url }: { schema: FastifySchema; url: string }): {
  schema: FastifySchema;
  url: string;
} {
  const source = schema as Readonly<Record<string, unknown>>;
  const converted: Record<string, unknown> = { ...source };
  for (const part of PARTS) {
    const value = source[part];
    if (value instanceof z.ZodType) converted[part] = jsonSchema(value, 'input');
  }
  const responses = source['response'];
  if (responses && typeof responses === 'object') {
    converted['response'] = Object.fromEntries(
      Object.entries(responses).map(([status, value]) => [
        status,
        value instanceof z.ZodType ? jsonSchema(value, 'output') : value,
      ]),
    );
  }
  return { schema: converted, url };
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
}
