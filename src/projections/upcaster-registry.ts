/**
 * Schema evolution of event payloads: old events stay in the log exactly as written (the hash chain covers
 * them), and are upcast step by step to the latest schema version whenever they are read for a projection
 * or a replay, so read-model code only ever sees current payloads.
 */
import type { JsonValue } from '../shared/canonical-json.ts';
import { MyMedicError, ValidationError } from '../shared/errors.ts';
import type { RecordedEvent } from '../store/envelope.ts';

/** Turns a payload of `fromSchemaVersion` into one of `fromSchemaVersion + 1`. Pure and deterministic. */
export interface Upcaster {
  readonly eventType: string;
  readonly fromSchemaVersion: number;
  upcast(payload: JsonValue, event: RecordedEvent): JsonValue;
}

/** An event's schema version has no path to the latest: a step in between was never registered. */
export class UpcastError extends MyMedicError {
  constructor(eventType: string, schemaVersion: number, latest: number) {
    super(
      'UPCAST_IMPOSSIBLE',
      `${eventType} v${schemaVersion} cannot be upcast to v${latest}: no upcaster from v${schemaVersion}`,
      { eventType, schemaVersion, latest },
    );
    this.name = 'UpcastError';
  }
}

/**
 * @example
 * const upcasters = new UpcasterRegistry([
 *   { eventType: 'payment.deposit.paid', fromSchemaVersion: 1,
 *     upcast: (p) => ({ ...(p as object), currency: 'INR' }) },
 * ]);
 * const current = upcasters.upcast(recordedEvent); // schemaVersion 2, payload with currency
 */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Map<number, Upcaster>>();
  private readonly latest = new Map<string, number>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters) this.register(upcaster);
  }

  register(upcaster: Upcaster): this {
    const { eventType, fromSchemaVersion } = upcaster;
    if (!Number.isSafeInteger(fromSchemaVersion) || fromSchemaVersion < 1) {
      throw new ValidationError('fromSchemaVersion', 'must be a positive integer', { eventType });
    }
    const byVersion = this.steps.get(eventType) ?? new Map<number, Upcaster>();
    if (byVersion.has(fromSchemaVersion)) {
      throw new ValidationError('upcaster', `${eventType} v${fromSchemaVersion} registered twice`);
    }
    byVersion.set(fromSchemaVersion, upcaster);
    this.steps.set(eventType, byVersion);
    this.latest.set(eventType, Math.max(this.latest.get(eventType) ?? 1, fromSchemaVersion + 1));
    return this;
  }

  /** The schema version events of this type are upcast to: one past the last registered step (1 if none). */
  latestVersion(eventType: string): number {
    return this.latest.get(eventType) ?? 1;
  }

  /**
   * The event at the latest schema version of its type; the same object when it already is.
   * @throws UpcastError when a step on the way is missing.
   */
  upcast(event: RecordedEvent): RecordedEvent {
    const latest = this.latestVersion(event.eventType);
    // At or past the last registered step: current already (a type whose first version was 2 needs no step).
    if (event.schemaVersion >= latest) return event;
    const byVersion = this.steps.get(event.eventType);
    let current = event;
    while (current.schemaVersion < latest) {
      const step = byVersion?.get(current.schemaVersion);
      if (!step) throw new UpcastError(event.eventType, current.schemaVersion, latest);
      current = {
        ...current,
        schemaVersion: current.schemaVersion + 1,
        payload: step.upcast(current.payload, current),
      };
    }
    return current;
  }
}
