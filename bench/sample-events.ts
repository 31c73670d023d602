/**
 * The events every system appends: one realistic appointment-booking envelope (~300 bytes of JSON) with no
 * patient data, so each system stores the same bytes.
 */
import { uuidV7 } from '../src/shared/uuid-v7.ts';
import type { NewEvent, StreamId } from '../src/store/envelope.ts';

const OCCURRED_AT = new Date('2026-11-27T09:30:00.000Z');

export function sampleEvents(count: number, seed: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: uuidV7(),
    eventType: 'opd.appointment.booked',
    schemaVersion: 1,
    branchId: 'branch-01',
    occurredAt: OCCURRED_AT,
    correlationId: `bench-${seed}`,
    causationId: null,
    actor: { id: 'staff-0042', kind: 'staff', role: 'receptionist' },
    payload: {
      appointmentId: `appt-${seed}-${i}`,
      doctorId: 'doctor-0007',
      slot: { start: '2026-12-01T10:00:00+05:30', end: '2026-12-01T10:15:00+05:30' },
      visitType: 'follow-up',
      fee: { amountMinor: 50_000, currency: 'INR' },
      channel: 'front-desk',
    },
  }));
}

/** Writer `writer` owns tenant `bench-<writer>`; its streams are numbered so that every run makes the same ones. */
export function benchStream(writer: number, stream: number, prefix = 'appt'): StreamId {
  return { tenantId: `bench-${writer}`, aggregateType: 'appointment', aggregateId: `${prefix}-${stream}` };
}
