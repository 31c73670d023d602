/**
 * Read models applied in batches (see RowBuffer): each event type has a handler that says which rows it
 * needs and then changes them in memory. A batch loads what all its events need, applies them in order and
 * writes back — one event or a thousand, one code path.
 */
import type { EventDefinition, PayloadOf } from '../../../domain/shared/event-definition.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { handlerFor } from '../payments/event-handlers.ts';

/** A read model's rows while a batch is applied: loaded for what the handlers need, then written back. */
export interface BatchRows<Need> {
  load(sql: Sql, needs: readonly Need[]): Promise<void>;
  flush(sql: Sql): Promise<void>;
}

export interface BatchHandler<Rows, Need> {
  readonly definition: EventDefinition;
  readonly needs: (payload: never, event: RecordedEvent) => readonly Need[];
  readonly apply: (payload: never, event: RecordedEvent, rows: Rows) => void;
}

/** A handler bound to an event definition, reading the payload with the types of the schema that wrote it. */
export function handle<D extends EventDefinition, Rows, Need>(
  definition: D,
  needs: (payload: PayloadOf<D>, event: RecordedEvent) => readonly Need[],
  apply: (payload: PayloadOf<D>, event: RecordedEvent, rows: Rows) => void,
): BatchHandler<Rows, Need> {
  return { definition, needs, apply };
}

/** The `eventTypes`, and one function for `apply` (a batch of one) and `applyBatch`. */
export function batchDispatch<Rows extends BatchRows<Need>, Need, Tables>(
  handlers: readonly BatchHandler<Rows, Need>[],
  open: (tables: Tables) => Rows,
): {
  readonly eventTypes: string[];
  readonly applyAll: (events: readonly RecordedEvent[], tx: Sql, tables: Tables) => Promise<void>;
} {
  const byType = new Map(handlers.map((handler) => [handler.definition.type, handler]));
  return {
    eventTypes: [...byType.keys()],
    applyAll: async (events, tx, tables) => {
      const rows = open(tables);
      const handled = events.flatMap((event) => {
        const handler = handlerFor(byType, event);
        return handler === undefined ? [] : [{ event, handler }];
      });
      await rows.load(
        tx,
        handled.flatMap(({ event, handler }) => handler.needs(event.payload as never, event)),
      );
      for (const { event, handler } of handled) handler.apply(event.payload as never, event, rows);
      await rows.flush(tx);
    },
  };
}
