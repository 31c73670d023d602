/**
 * Typed dispatch for read models: each handler is bound to a domain event definition, so it reads the payload
 * with the types of the schema that wrote it, and the handler list doubles as the projection's `eventTypes`.
 * Shared by the finance read models (payments, reconciliation, warehouse).
 */
import type { EventDefinition, PayloadOf } from '../../../domain/shared/event-definition.ts';
import { MyMedicError } from '../../../shared/errors.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import type { Projection, TableNames } from '../../projection.ts';

export type HandlerFn<Payload> = (
  payload: Payload,
  event: RecordedEvent,
  tx: Sql,
  tables: TableNames,
) => Promise<void>;

export interface EventHandler {
  readonly definition: EventDefinition;
  readonly handle: HandlerFn<never>;
}

/**
 * Binds a handler to an event definition. Sensitive payload fields arrive still encrypted (their types here
 * are the plaintext ones): read models never read them.
 */
export function on<D extends EventDefinition>(definition: D, handle: HandlerFn<PayloadOf<D>>): EventHandler {
  return { definition, handle };
}

/** The `eventTypes` and `apply` of a projection made of these handlers. */
export function dispatch(handlers: readonly EventHandler[]): Pick<Projection, 'eventTypes' | 'apply'> {
  const byType = new Map(handlers.map((handler) => [handler.definition.type, handler]));
  return {
    eventTypes: [...byType.keys()],
    apply: async (event, tx, tables) => {
      const handler = handlerFor(byType, event);
      if (handler === undefined) return;
      await (handler.handle as HandlerFn<unknown>)(event.payload, event, tx, tables);
    },
  };
}

/**
 * The handler of the event's type, if any. Upcasters bring every event to the latest schema version; a
 * version this code was not written for means the read model must be updated (and its version bumped)
 * before it can read that event.
 */
export function handlerFor<H extends { readonly definition: EventDefinition }>(
  byType: ReadonlyMap<string, H>,
  event: RecordedEvent,
): H | undefined {
  const handler = byType.get(event.eventType);
  if (handler === undefined) return undefined;
  if (event.schemaVersion !== handler.definition.schemaVersion) {
    throw new MyMedicError(
      'READ_MODEL_SCHEMA_UNSUPPORTED',
      `${event.eventType} v${event.schemaVersion} is not the version this read model reads`,
      {
        eventType: event.eventType,
        schemaVersion: event.schemaVersion,
        expected: handler.definition.schemaVersion,
      },
    );
  }
  return handler;
}
