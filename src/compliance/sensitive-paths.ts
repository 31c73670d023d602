/**
 * Applies an event definition's `sensitive` paths to a plain JSON payload. A path is dotted object keys;
 * a `*` segment stands for every element of an array (`contacts.*.phone`). Absent values are skipped.
 * Payloads are never mutated: changed branches are copied, untouched ones shared.
 */
import type { JsonValue } from '../shared/canonical-json.ts';
import type { EventDefinition } from '../domain/shared/event-definition.ts';
import { SensitivePathError } from './errors.ts';

export interface SensitivePath {
  /** The path as declared; it is what the field's ciphertext is bound to. */
  readonly path: string;
  readonly segments: readonly string[];
}

export interface CompiledSensitivity {
  readonly paths: readonly SensitivePath[];
  readonly subjectSegments: readonly string[] | undefined;
}

const compiled = new WeakMap<EventDefinition, CompiledSensitivity>();

/** Validates the definition's paths once and remembers the result. */
export function compileSensitivity(definition: EventDefinition): CompiledSensitivity {
  let result = compiled.get(definition);
  if (!result) {
    result = compile(definition);
    compiled.set(definition, result);
  }
  return result;
}

function compile(definition: EventDefinition): CompiledSensitivity {
  const fail = (message: string): never => {
    throw new SensitivePathError(definition.type, message);
  };
  const paths = Object.keys(definition.sensitive).map((path) => ({ path, segments: path.split('.') }));
  for (const { path, segments } of paths) {
    if (segments.some((segment) => segment === '')) fail(`sensitive path "${path}" has an empty segment`);
    if (segments.at(-1) === '*') fail(`sensitive path "${path}" must name a field, not end in *`);
  }
  const subjectSegments = definition.subjectPath?.split('.');
  if (subjectSegments?.some((segment) => segment === '' || segment === '*')) {
    fail(`subject path "${definition.subjectPath}" must be a plain dotted path`);
  }
  if (paths.length > 0 && !subjectSegments) fail('sensitive fields need a subjectPath naming the patient');
  const all = subjectSegments
    ? [...paths.map((p) => p.segments), subjectSegments]
    : paths.map((p) => p.segments);
  for (const [i, a] of all.entries()) {
    for (const b of all.slice(i + 1)) {
      if (overlaps(a, b)) fail(`paths "${a.join('.')}" and "${b.join('.')}" overlap`);
    }
  }
  return { paths, subjectSegments };
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n).every((segment, i) => segment === b[i] || segment === '*' || b[i] === '*');
}

/** The patient id at the subject path, or undefined when absent or not a non-empty string. */
export function readSubject(payload: JsonValue, sensitivity: CompiledSensitivity): string | undefined {
  let value: JsonValue | undefined = payload;
  for (const segment of sensitivity.subjectSegments ?? []) value = childOf(value, segment);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Number of values present at the sensitive paths. */
export function countSensitiveValues(payload: JsonValue, sensitivity: CompiledSensitivity): number {
  let count = 0;
  mapSensitiveValues(payload, sensitivity, (value) => {
    count++;
    return value;
  });
  return count;
}

/** The payload with every value present at a sensitive path replaced by `replace(value, declaredPath)`. */
export function mapSensitiveValues(
  payload: JsonValue,
  sensitivity: CompiledSensitivity,
  replace: (value: JsonValue, path: string) => JsonValue,
): JsonValue {
  return sensitivity.paths.reduce<JsonValue>(
    (current, { path, segments }) => mapAt(current, segments, (value) => replace(value, path)),
    payload,
  );
}

function mapAt(
  value: JsonValue,
  segments: readonly string[],
  replace: (value: JsonValue) => JsonValue,
): JsonValue {
  const [head, ...rest] = segments;
  if (head === undefined) return replace(value);
  if (head === '*') {
    if (!Array.isArray(value)) return value;
    const items = value as readonly JsonValue[];
    const mapped = items.map((item) => mapAt(item, rest, replace));
    return mapped.every((item, i) => item === items[i]) ? value : mapped;
  }
  const child = childOf(value, head);
  if (child === undefined) return value;
  const mapped = mapAt(child, rest, replace);
  return mapped === child ? value : { ...(value as Record<string, JsonValue>), [head]: mapped };
}

function childOf(value: JsonValue | undefined, key: string): JsonValue | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, JsonValue>;
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
