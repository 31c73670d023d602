import type { ConsentPurpose, Demographics, HiType, PatientEvent } from './events.ts';

/** A patient as decisions see it, rebuilt from the patient's events. */
export interface Consent {
  readonly purpose: ConsentPurpose;
  readonly hiTypes: readonly HiType[];
  readonly requesterId: string;
  readonly grantedAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
}

export interface RegisteredPatient {
  readonly status: 'registered';
  readonly patientId: string;
  readonly demographics: Demographics;
  readonly notes: string | null;
  readonly consents: Readonly<Record<string, Consent>>;
}

export type PatientState = { readonly status: 'none' } | RegisteredPatient;

export const initialPatientState = (): PatientState => ({ status: 'none' });

export function evolvePatient(state: PatientState, event: PatientEvent): PatientState {
  if (event.type === 'patient.registered') {
    const { patientId, notes, ...demographics } = event.data;
    return { status: 'registered', patientId, demographics, notes, consents: {} };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'patient.demographics.updated':
      return { ...state, demographics: { ...state.demographics, ...event.data.changes } };
    case 'patient.notes.updated':
      return { ...state, notes: event.data.notes };
    case 'consent.granted': {
      const { consentId, purpose, hiTypes, requester, grantedAt, expiresAt } = event.data;
      const consent: Consent = {
        purpose,
        hiTypes,
        requesterId: requester.id,
        grantedAt,
        expiresAt,
        revokedAt: null,
      };
      return { ...state, consents: { ...state.consents, [consentId]: consent } };
    }
    case 'consent.revoked': {
      const consent = state.consents[event.data.consentId];
      if (consent === undefined) return state;
      const revoked = { ...consent, revokedAt: event.data.revokedAt };
      return { ...state, consents: { ...state.consents, [event.data.consentId]: revoked } };
    }
  }
}
