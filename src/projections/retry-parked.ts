/**
 * Retrying parked events (after the projection's code or data was fixed): each is applied to the live tables
 * on its own, under the live checkpoint's lock, and unparked if it succeeds. It is applied after events that
 * came later, so this suits projections whose result does not depend on that order; otherwise replay the
 * event's tenant, which rebuilds the slice in order and unparks what now applies.
 */
import { MyMedicError } from '../shared/errors.ts';
import type { Engine } from '../store/engines/engine.ts';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../store/event-row.ts';
import { listParked, type ParkedEvent, type ParkedFilter } from './parked-events.ts';
import type { Projection } from './projection.ts';
import { errorCode, errorMessage } from './projection-errors.ts';
import { assertTablesVersion, readCheckpoint, readState } from './projection-state.ts';
import type { UpcasterRegistry } from './upcaster-registry.ts';

export interface RetryReport {
  readonly retried: number;
  readonly resolved: number;
  /** Still parked, with the new error. */
  readonly failed: readonly ParkedEvent[];
}

export async function retryParked(
  engine: Engine,
  projection: Projection,
  upcasters: UpcasterRegistry,
  filter: Omit<ParkedFilter, 'projection'> = {},
): Promise<RetryReport> {
  const parked = await listParked(engine, { ...filter, projection: projection.name });
  let resolved = 0;
  for (const entry of parked) {
    try {
      await engine.transaction(async (tx) => {
        await readCheckpoint(tx, projection.name, true);
        await assertTablesVersion(tx, projection);
        const state = await readState(tx, projection.name);
        const { rows } = await tx.query<EventRow>(
          `select ${EVENT_COLUMNS} from mymedic.events where tenant_id = $1 and event_id = $2`,
          [entry.tenantId, entry.eventId],
        );
        const row = rows[0];
        if (!row || !state) {
          throw new MyMedicError('PARKED_EVENT_MISSING', `event ${entry.eventId} is not in the log`, {
            eventId: entry.eventId,
          });
        }
        await projection.apply(upcasters.upcast(toRecordedEvent(row)), tx, state.tables);
        await tx.query('delete from mymedic.projection_parked_events where parked_id = $1', [entry.parkedId]);
      });
      resolved++;
    } catch (error) {
      await engine.query(
        `update mymedic.projection_parked_events
          set attempts = attempts + 1, error_code = $2, error_message = $3, parked_at = now()
          where parked_id = $1`,
        [entry.parkedId, errorCode(error), errorMessage(error)],
      );
    }
  }
  const failed =
    resolved === parked.length
      ? []
      : await listParked(engine, {
          projection: projection.name,
          parkedIds: parked.map((entry) => entry.parkedId),
        });
  return { retried: parked.length, resolved, failed };
}
