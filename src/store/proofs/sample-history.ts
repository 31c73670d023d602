/**
 * A small but varied history for the tamper-evidence proofs: several tenants whose appends interleave, single-
 * and multi-stream batches, aggregate ids unique across tenants (as real ones are), optional envelope fields
 * both set and null, nested and non-ASCII payloads.
 */
import type { JsonValue } from '../../shared/canonical-json.ts';
import { uuidV7 } from '../../shared/uuid-v7.ts';
import type { NewEvent, StreamId } from '../envelope.ts';
import type { EventStore } from '../event-store.ts';

export const SAMPLE_TENANTS = ['clinic-a', 'clinic-b', 'hospital-c'] as const;

/** Appends `rounds` rounds to every tenant; each round adds three events per tenant. */
export async function appendSampleHistory(store: EventStore, rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const tenantId of SAMPLE_TENANTS) {
      const booking: StreamId = {
        tenantId,
        aggregateType: 'booking',
        aggregateId: `${tenantId}-bk-${round % 2}`,
      };
      const invoice: StreamId = {
        tenantId,
        aggregateType: 'invoice',
        aggregateId: `${tenantId}-inv-${round}`,
      };
      if (round % 2 === 0) {
        await store.appendMulti(tenantId, [
          { stream: booking, expectedVersion: 'any', events: [sampleEvent(round, 0), sampleEvent(round, 1)] },
          { stream: invoice, expectedVersion: 'no_stream', events: [sampleEvent(round, 2)] },
        ]);
      } else {
        await store.appendToStream(
          booking,
          'any',
          [0, 1, 2].map((index) => sampleEvent(round, index)),
        );
      }
    }
  }
}

function sampleEvent(round: number, index: number): NewEvent {
  const odd = (round + index) % 2 === 1;
  return {
    eventId: uuidV7(),
    eventType: index === 2 ? 'invoice.issued' : 'booking.rescheduled',
    schemaVersion: 1 + (index % 2),
    branchId: odd ? `branch-${index}` : null,
    occurredAt: new Date(Date.UTC(2026, 10, 27, 9, round, index, 250)),
    causationId: odd ? `cmd-${round}-${index}` : null,
    correlationId: odd ? null : `corr-${round}`,
    actor: { id: `staff-${index}`, kind: odd ? 'doctor' : 'staff', role: odd ? 'physician' : 'front_desk' },
    payload: {
      note: `visit ${round}.${index} follow-up`,
      amountMinor: 50_000 + round * 1_000 + index,
      currency: 'INR',
      items: [
        { code: `svc-${index}`, qty: index + 1, fasting: odd },
        { code: 'consult', qty: 1, remark: null },
      ],
      complaint: 'सिर दर्द',
      ratio: 0.125 * (index + 1),
    } satisfies JsonValue,
  };
}
