/** Event definitions for the compliance tests: flat, nested and array sensitive paths. */
import { z } from 'zod';
import { defineEvent } from '../../domain/shared/event-definition.ts';

export const samplePatientRegistered = defineEvent({
  type: 'patient.registered',
  schemaVersion: 1,
  aggregateType: 'patient',
  schema: z.object({
    patientId: z.string(),
    clinicId: z.string(),
    name: z.string(),
    birthDate: z.string().optional(),
    contacts: z.array(z.object({ kind: z.string(), phone: z.string() })),
    clinical: z.object({ notes: z.string() }).optional(),
  }),
  description: 'test fixture',
  sensitive: { name: 'pii', birthDate: 'pii', 'contacts.*.phone': 'pii', 'clinical.notes': 'clinical' },
  subjectPath: 'patientId',
});

export const sampleSlotOpened = defineEvent({
  type: 'slot.opened',
  schemaVersion: 1,
  aggregateType: 'slot',
  schema: z.object({ slotId: z.string() }),
  description: 'test fixture without sensitive fields',
  sensitive: {},
});
