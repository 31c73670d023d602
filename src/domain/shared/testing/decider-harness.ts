import fc from 'fast-check';
import { z } from 'zod';
import { canonicalJson } from '../../../shared/canonical-json.ts';
import { isMyMedicError, type MyMedicError } from '../../../shared/errors.ts';
import type { Decider, DomainEvent } from '../decider.ts';
import type { EventDefinition } from '../event-definition.ts';

/**
 * Test support for deciders (pure, no assertions of its own): given/when/then helpers, a runner that drives a
 * decider with arbitrary commands, and checks that emitted events are exactly what the catalogue can store.
 * States and events are deep-frozen on the way, so an evolve or decide that mutates its input fails loudly.
 */

export function replay<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, history: readonly E[]): S {
  return history.reduce(
    (state, event) => deepFreeze(decider.evolve(state, deepFreeze(event))),
    deepFreeze(decider.initialState()),
  );
}

/** Given this history, when this command: the events decided (or the refusal thrown). */
export function given<C, S, E extends DomainEvent>(
  decider: Decider<C, S, E>,
  history: readonly E[],
): { when: (command: C) => readonly E[] } {
  return { when: (command) => decider.decide(command, replay(decider, history)) };
}

export interface CommandOutcome<C, S, E> {
  readonly command: C;
  readonly before: S;
  readonly events: readonly E[];
  readonly refusal: MyMedicError | null;
}

/** Feeds commands one by one; refusals (any MyMedicError) are recorded, anything else is a bug and propagates. */
export function runCommands<C, S, E extends DomainEvent>(
  decider: Decider<C, S, E>,
  commands: readonly C[],
): { state: S; history: E[]; outcomes: CommandOutcome<C, S, E>[] } {
  let state = deepFreeze(decider.initialState());
  const history: E[] = [];
  const outcomes: CommandOutcome<C, S, E>[] = [];
  for (const command of commands) {
    const before = state;
    try {
      const events = decider.decide(deepFreeze(command), state);
      for (const event of events) state = deepFreeze(decider.evolve(state, deepFreeze(event)));
      history.push(...events);
      outcomes.push({ command, before, events, refusal: null });
    } catch (error) {
      if (!isMyMedicError(error)) throw error;
      outcomes.push({ command, before, events: [], refusal: error });
    }
  }
  return { state, history, outcomes };
}

/**
 * What an event looks like after a trip through the store: JSON, then the registered schema. Throws when the type
 * is not registered, the payload fails its schema, or the schema would change it (a field it does not know).
 */
export function throughStore<E extends DomainEvent>(definitions: readonly EventDefinition[], event: E): E {
  const definition = definitions.find((candidate) => candidate.type === event.type);
  if (definition === undefined) throw new Error(`event type ${event.type} is not registered`);
  const json: unknown = JSON.parse(JSON.stringify(event.data));
  const parsed: unknown = definition.schema.parse(json);
  if (canonicalJson(parsed) !== canonicalJson(json))
    throw new Error(`schema of ${event.type} rewrote its payload`);
  return { type: event.type, data: parsed } as E;
}

/**
 * Command sequences for property tests: fully random ones, and ones that walk the happy path with random commands
 * between the steps (random sequences alone rarely reach the deep states of a state machine).
 */
export function commandSequences<C>(
  happyPath: readonly fc.Arbitrary<C>[],
  any: fc.Arbitrary<C>,
): fc.Arbitrary<C[]> {
  const noise = fc.array(any, { maxLength: 2 });
  const walked = fc
    .tuple(fc.tuple(...happyPath.map((step) => fc.tuple(noise, step))), noise)
    .map(([steps, tail]) => [...steps.flatMap(([before, step]) => [...before, step]), ...tail]);
  return fc.oneof(fc.array(any, { maxLength: 24, size: 'max' }), walked);
}

/** Mistakes in a list of definitions: duplicates, wrong aggregate, sensitive paths or subject path not in the schema. */
export function definitionProblems(definitions: readonly EventDefinition[], aggregateType: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const definition of definitions) {
    const name = definition.type;
    if (seen.has(name)) problems.push(`${name}: registered twice`);
    seen.add(name);
    if (definition.aggregateType !== aggregateType)
      problems.push(`${name}: aggregate ${definition.aggregateType}`);
    if (definition.schemaVersion < 1) problems.push(`${name}: schemaVersion ${definition.schemaVersion}`);
    for (const path of Object.keys(definition.sensitive)) {
      if (!schemaHasPath(definition.schema, path))
        problems.push(`${name}: sensitive path ${path} not in schema`);
    }
    const hasSensitive = Object.keys(definition.sensitive).length > 0;
    if (hasSensitive && definition.subjectPath === undefined)
      problems.push(`${name}: sensitive without subjectPath`);
    if (definition.subjectPath !== undefined && !schemaHasPath(definition.schema, definition.subjectPath)) {
      problems.push(`${name}: subjectPath ${definition.subjectPath} not in schema`);
    }
  }
  return problems;
}

function schemaHasPath(schema: z.ZodType, path: string): boolean {
  let current: z.ZodType = schema;
  for (const key of path.split('.')) {
    while (current instanceof z.ZodNullable || current instanceof z.ZodOptional)
      current = current.unwrap() as z.ZodType;
    if (!(current instanceof z.ZodObject)) return false;
    const next = (current.shape as Record<string, z.ZodType | undefined>)[key];
    if (next === undefined) return false;
    current = next;
  }
  return true;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value) && !(value instanceof Date)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
