import { ValidationError } from '../../shared/errors.ts';
import type { Decider } from '../shared/decider.ts';
import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { invalidTransition } from '../shared/invalid-transition.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import type { PatientCommand } from './commands.ts';
import {
  consentGranted,
  consentRevoked,
  DEMOGRAPHIC_FIELDS,
  patientDemographicsUpdated,
  patientNotesUpdated,
  patientRegistered,
  type Demographics,
  type PatientEvent,
} from './events.ts';
import { evolvePatient, initialPatientState, type PatientState, type RegisteredPatient } from './state.ts';

// A birth date is a local calendar day; anywhere on Earth is at most 14 hours ahead of UTC.
const LATEST_ZONE_AHEAD_MS = 14 * 60 * 60 * 1000;

/**
 * Registration, demographic and note changes (only real changes are recorded), and consents: granted with a future
 * expiry, revoked at most once and only while still in force.
 */
function decidePatient(command: PatientCommand, state: PatientState): readonly PatientEvent[] {
  if (command.type === 'RegisterPatient') {
    if (state.status !== 'none') throw invalidTransition('patient', state.status, command.type);
    const { type: _type, now, ...data } = command;
    requireBornBy(data.birthDate, now);
    return [emit(patientRegistered, data)];
  }
  const patient = requireRegistered(state, command.type);
  switch (command.type) {
    case 'UpdatePatientDemographics': {
      const proposed = emit(patientDemographicsUpdated, {
        patientId: patient.patientId,
        changes: command.changes,
      });
      const changes = changedFields(patient.demographics, proposed.data.changes);
      if (Object.keys(changes).length === 0) throw noChange(patient);
      if (changes.birthDate !== undefined) requireBornBy(changes.birthDate, command.now);
      return [emit(patientDemographicsUpdated, { patientId: patient.patientId, changes })];
    }
    case 'UpdatePatientNotes': {
      const event = emit(patientNotesUpdated, { patientId: patient.patientId, notes: command.notes });
      if (event.data.notes === patient.notes) throw noChange(patient);
      return [event];
    }
    case 'GrantConsent': {
      if (patient.consents[command.consentId] !== undefined) {
        throw new DomainRuleError('CONSENT_ALREADY_EXISTS', 'a consent with this id exists', {
          consentId: command.consentId,
        });
      }
      if (command.expiresAt.getTime() <= command.now.getTime()) {
        throw new DomainRuleError('CONSENT_EXPIRY_IN_PAST', 'a consent must expire in the future', {
          consentId: command.consentId,
          expiresAt: toInstant(command.expiresAt),
        });
      }
      const { consentId, artefactId, purpose, hiTypes, requester, dataFrom, dataTo } = command;
      return [
        emit(consentGranted, {
          patientId: patient.patientId,
          consentId,
          artefactId,
          purpose,
          hiTypes: [...hiTypes],
          requester: { ...requester },
          dataFrom,
          dataTo,
          grantedAt: toInstant(command.now),
          expiresAt: toInstant(command.expiresAt),
        }),
      ];
    }
    case 'RevokeConsent': {
      const consent = patient.consents[command.consentId];
      const facts = { consentId: command.consentId };
      if (consent === undefined)
        throw new DomainRuleError('CONSENT_NOT_FOUND', 'no consent with this id', facts);
      if (consent.revokedAt !== null) {
        throw new DomainRuleError('CONSENT_ALREADY_REVOKED', 'the consent was already revoked', {
          ...facts,
          revokedAt: consent.revokedAt,
        });
      }
      if (Date.parse(consent.expiresAt) <= command.now.getTime()) {
        throw new DomainRuleError(
          'CONSENT_ALREADY_EXPIRED',
          'the consent has expired; there is nothing to revoke',
          {
            ...facts,
            expiresAt: consent.expiresAt,
          },
        );
      }
      return [
        emit(consentRevoked, {
          patientId: patient.patientId,
          consentId: command.consentId,
          revokedAt: toInstant(command.now),
        }),
      ];
    }
  }
}

function requireRegistered(state: PatientState, command: string): RegisteredPatient {
  if (state.status !== 'registered') throw invalidTransition('patient', state.status, command);
  return state;
}

function requireBornBy(birthDate: string, now: Date): void {
  if (birthDate > new Date(now.getTime() + LATEST_ZONE_AHEAD_MS).toISOString().slice(0, 10)) {
    throw new ValidationError('birthDate', 'must not be in the future');
  }
}

/** The proposed fields whose value differs from the current one (values are schema output, so key order matches). */
function changedFields(current: Demographics, proposed: Partial<Demographics>): Partial<Demographics> {
  return Object.fromEntries(
    DEMOGRAPHIC_FIELDS.filter(
      (field) =>
        proposed[field] !== undefined && JSON.stringify(proposed[field]) !== JSON.stringify(current[field]),
    ).map((field) => [field, proposed[field]]),
  );
}

const noChange = (patient: RegisteredPatient) =>
  new DomainRuleError('PATIENT_UPDATE_NO_CHANGE', 'the update changes nothing', {
    patientId: patient.patientId,
  });

export const patientDecider: Decider<PatientCommand, PatientState, PatientEvent> = {
  initialState: initialPatientState,
  decide: decidePatient,
  evolve: evolvePatient,
};
