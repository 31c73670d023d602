/** The one failure every warehouse handler shares: an event about a fact row that its earlier events never made. */
import { MyMedicError } from '../../../shared/errors.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';

export function requireRow(rowCount: number | null, event: RecordedEvent, fact: string): void {
  if (rowCount !== 1) {
    throw new MyMedicError(
      'READ_MODEL_ROW_MISSING',
      `${event.eventType} for a ${fact} the warehouse never saw`,
      {
        eventId: event.eventId,
      },
    );
  }
}
