import { ValidationError, MyMedicError } from '../../shared/errors.ts';
import type { EventDefinition } from '../shared/event-definition.ts';
import { EVENT_CATALOGUE } from './event-catalogue.ts';

/** Looks up event definitions by type and schema version, and validates payloads against them. */
export class EventRegistry {
  private readonly byKey = new Map<string, EventDefinition>();
  private readonly latest = new Map<string, EventDefinition>();

  constructor(definitions: readonly EventDefinition[]) {
    for (const definition of definitions) {
      const key = `${definition.type}@${definition.schemaVersion}`;
      if (this.byKey.has(key)) throw new Error(`event ${key} is defined twice`);
      this.byKey.set(key, definition);
      const current = this.latest.get(definition.type);
      if (!current || current.schemaVersion < definition.schemaVersion)
        this.latest.set(definition.type, definition);
    }
  }

  get types(): readonly string[] {
    return [...this.latest.keys()];
  }

  /** The definition of `type` at `schemaVersion` (default: its latest version). */
  definition(type: string, schemaVersion?: number): EventDefinition {
    const definition =
      schemaVersion === undefined ? this.latest.get(type) : this.byKey.get(`${type}@${schemaVersion}`);
    if (!definition) {
      throw new MyMedicError(
        'UNKNOWN_EVENT_TYPE',
        `no domain event ${type}${schemaVersion ? ` v${schemaVersion}` : ''}`,
        {
          eventType: type,
          schemaVersion,
        },
      );
    }
    return definition;
  }

  /**
   * Parses a payload with its schema; a failure is a ValidationError naming the first bad field as
   * `payload.<path>`, so nothing invalid is ever written.
   */
  parsePayload(type: string, payload: unknown, schemaVersion?: number): unknown {
    const definition = this.definition(type, schemaVersion);
    const result = definition.schema.safeParse(payload);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const path = ['payload', ...(issue?.path ?? []).map(String)].join('.');
    throw new ValidationError(path, issue?.message ?? 'is invalid', { eventType: type });
  }
}

export const eventRegistry = new EventRegistry(EVENT_CATALOGUE);
