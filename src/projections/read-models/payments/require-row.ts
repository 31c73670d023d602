/**
 * The one failure the finance read models share: an event about a row their earlier events never made (the
 * domain refuses such events, so this means events are missing or out of order).
 */
import { MyMedicError } from '../../../shared/errors.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';

/** Fails unless the write touched exactly one row; the message is the event type followed by `missing`. */
export function requireRow(rowCount: number | null, event: RecordedEvent, missing: string): void {
  if (rowCount !== 1) {
    throw new MyMedicError('READ_MODEL_ROW_MISSING', `${event.eventType} ${missing}`, {
      eventId: event.eventId,
    });
  }
}
