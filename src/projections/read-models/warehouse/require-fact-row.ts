/** The one failure every warehouse handler shares: an event about a fact row that its earlier events never made. */
import type { RecordedEvent } from '../../../store/envelope.ts';
import { requireRow } from '../payments/require-row.ts';

export function requireFactRow(rowCount: number | null, event: RecordedEvent, fact: string): void {
  requireRow(rowCount, event, `for a ${fact} the warehouse never saw`);
}
