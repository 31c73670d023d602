/**
 * Test support: fast-check request bodies and paths for any route, from the service's own OpenAPI document (the
 * JSON schemas generated from the zod schemas that validate requests). Bodies are a mix of valid ones — so
 * requests reach the decision and sometimes succeed — and near-misses: a field replaced by hostile JSON, a
 * field missing, an extra key, the wrong type. Identifiers come mostly from a small pool, so one case's create
 * and a later case's update meet; strings with a format get realistic values as often as pattern-random ones.
 */
import fc from 'fast-check';

/** The subset of OpenAPI 3.0 schema objects the generated document uses. */
export interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly nullable?: boolean;
  readonly pattern?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean | number;
  readonly exclusiveMaximum?: boolean | number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface ValueHints {
  /** Identifiers (strings with the identifier pattern, and path parameters). */
  readonly id: fc.Arbitrary<string>;
  /** `format: date` values (YYYY-MM-DD). */
  readonly date: fc.Arbitrary<string>;
  /** `format: date-time` values. */
  readonly instant: fc.Arbitrary<string>;
  /**
   * Realistic values for properties whose rules JSON Schema cannot state (a time zone the runtime knows, a
   * currency matching the policy's): used nine times in ten for a property of that name.
   */
  readonly byName?: Readonly<Record<string, fc.Arbitrary<unknown>>>;
}

export const printable = fc.string({ unit: 'grapheme-ascii', maxLength: 60 });
export const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  printable,
);

/** Any JSON at all: what a hostile or confused client sends instead of the right value. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  anyText,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, '', -1, 0, Number.MAX_SAFE_INTEGER, '2026-02-30', '25:00', 'null'),
);

const IDENTIFIER_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$';

/** Valid, near-valid and arbitrary bodies for `schema`, in proportions of 5 : 4 : 1. */
export function bodyArbitrary(schema: JsonSchema | undefined, hints: ValueHints): fc.Arbitrary<unknown> {
  if (schema === undefined) return fc.oneof(fc.constant(undefined), anyJson);
  return fc.oneof(
    { weight: 5, arbitrary: validValue(schema, hints) },
    { weight: 4, arbitrary: nearValue(schema, hints) },
    { weight: 1, arbitrary: anyJson },
  );
}

/**
 * A URL for a route pattern (`/v1/bookings/:bookingId`): each parameter a valid value of its schema (an id from
 * the pool when none is given), sometimes hostile text.
 */
export function pathArbitrary(
  url: string,
  hints: ValueHints,
  parameters: Readonly<Record<string, JsonSchema>> = {},
): fc.Arbitrary<string> {
  const parts = url.split('/').map((part) => {
    if (!part.startsWith(':')) return fc.constant(part);
    const schema = parameters[part.slice(1)];
    const valid = schema ? validValue(schema, hints).map(String) : hints.id;
    return fc.oneof(
      { weight: 9, arbitrary: valid.map(encodeURIComponent) },
      { weight: 1, arbitrary: anyText.map(encodeURIComponent) },
    );
  });
  return fc.tuple(...parts).map((segments) => segments.join('/'));
}

/** A value the schema accepts (as far as JSON Schema can say: cross-field refinements may still refuse it). */
export function validValue(schema: JsonSchema, hints: ValueHints): fc.Arbitrary<unknown> {
  const value = nonNullValue(schema, hints);
  return schema.nullable ? fc.option(value, { freq: 4, nil: null }) : value;
}

function nonNullValue(schema: JsonSchema, hints: ValueHints): fc.Arbitrary<unknown> {
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices) return fc.oneof(...choices.map((choice) => validValue(choice, hints)));
  if (schema.allOf?.[0]) return validValue(schema.allOf[0], hints);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'object':
      return fc.record(
        Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([key, property]) => [
            key,
            propertyValue(key, property, hints),
          ]),
        ),
        { requiredKeys: [...(schema.required ?? [])] },
      );
    case 'array':
      return fc.array(schema.items ? validValue(schema.items, hints) : anyJson, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 2, 2)),
      });
    case 'string':
      return stringValue(schema, hints);
    case 'integer':
      return numberValue(schema, (min, max) => fc.integer({ min, max }));
    case 'number':
      return numberValue(schema, (min, max) => fc.double({ min, max, noNaN: true }));
    case 'boolean':
      return fc.boolean();
    default:
      return anyJson;
  }
}

function propertyValue(name: string, schema: JsonSchema, hints: ValueHints): fc.Arbitrary<unknown> {
  const realistic = hints.byName?.[name];
  const valid = validValue(schema, hints);
  return realistic ? fc.oneof({ weight: 9, arbitrary: realistic }, { weight: 1, arbitrary: valid }) : valid;
}

/** Objects with some fields hostile, missing or extra; anything else replaced by arbitrary JSON. */
function nearValue(schema: JsonSchema, hints: ValueHints): fc.Arbitrary<unknown> {
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices) return fc.oneof(...choices.map((choice) => nearValue(choice, hints)));
  if (schema.type !== 'object') return fc.oneof(validValue(schema, hints), anyJson);
  const fields = Object.entries(schema.properties ?? {}).map(
    ([key, property]) =>
      [
        key,
        fc.oneof(
          { weight: 3, arbitrary: propertyValue(key, property, hints) },
          { weight: 1, arbitrary: nearValue(property, hints) },
        ),
      ] as const,
  );
  return fc
    .tuple(
      fc.record(Object.fromEntries(fields), { requiredKeys: [] }),
      fc.option(
        fc.dictionary(
          fc.oneof(printable, fc.constantFrom('tenantId', '__proto__', 'constructor', 'actor')),
          anyJson,
          {
            maxKeys: 2,
          },
        ),
      ),
    )
    .map(([base, extra]) => ({ ...(extra ?? {}), ...base }));
}

function stringValue(schema: JsonSchema, hints: ValueHints): fc.Arbitrary<string> {
  const fitting = (arbitrary: fc.Arbitrary<string>) =>
    arbitrary.filter(
      (text) => text.length >= (schema.minLength ?? 0) && text.length <= (schema.maxLength ?? Infinity),
    );
  if (schema.pattern === IDENTIFIER_PATTERN) return hints.id;
  const patterned = schema.pattern ? fitting(matching(schema.pattern)) : undefined;
  const realistic =
    schema.format === 'date' ? hints.date : schema.format === 'date-time' ? hints.instant : undefined;
  if (realistic && patterned)
    return fc.oneof({ weight: 3, arbitrary: realistic }, { weight: 1, arbitrary: patterned });
  if (realistic ?? patterned) return (realistic ?? patterned)!;
  return fc.string({
    unit: 'grapheme-ascii',
    minLength: schema.minLength ?? 0,
    maxLength: Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 40, 40)),
  });
}

function matching(pattern: string): fc.Arbitrary<string> {
  // Unicode mode for \p{…} classes; patterns it rejects are read without it.
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    regex = new RegExp(pattern);
  }
  return fc.stringMatching(regex);
}

function numberValue(
  schema: JsonSchema,
  make: (min: number, max: number) => fc.Arbitrary<number>,
): fc.Arbitrary<number> {
  const step = schema.type === 'integer' ? 1 : Number.EPSILON;
  const min = bound(schema.minimum, schema.exclusiveMinimum, step, -Number.MAX_SAFE_INTEGER);
  const max = bound(schema.maximum, schema.exclusiveMaximum, -step, Number.MAX_SAFE_INTEGER);
  // Mostly small amounts (the ones a clinic sees), sometimes anywhere in range.
  const small = make(min, Math.max(min, Math.min(max, min + 100_000)));
  return fc.oneof({ weight: 3, arbitrary: small }, { weight: 1, arbitrary: make(min, max) });
}

/** OpenAPI 3.0 marks exclusive bounds with a boolean beside the bound; JSON Schema 2019+ with a number. */
function bound(
  value: number | undefined,
  exclusive: boolean | number | undefined,
  step: number,
  fallback: number,
) {
  if (typeof exclusive === 'number') return exclusive + step;
  if (value === undefined) return fallback;
  return exclusive === true ? value + step : value;
}
