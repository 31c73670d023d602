/**
 * Which patients an event concerns, for the accounting of disclosures: the patient stream's own id, and a
 * `patientId` at the top of the payload (the convention of every event about a patient). buildApp takes
 * another function if an event type ever names its patient differently.
 */
import type { RecordedEvent } from '../store/envelope.ts';

export type PatientRefs = (event: RecordedEvent) => Iterable<string>;

export const patientRefsOf: PatientRefs = (event) => {
  const refs: string[] = [];
  if (event.aggregateType === 'patient') refs.push(event.aggregateId);
  const payload = event.payload;
  if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
    const patientId = (payload as Readonly<Record<string, unknown>>)['patientId'];
    if (typeof patientId === 'string') refs.push(patientId);
  }
  return refs;
};
