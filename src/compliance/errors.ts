/**
 * Failures of the compliance module. Messages and facts never hold key material or patient data: only ids,
 * codes and the names of environment variables or files.
 */
import { MyMedicError, type ErrorFacts } from '../shared/errors.ts';

/** No master key was configured and no development key may be used. */
export class MasterKeyMissingError extends MyMedicError {
  constructor(message: string, facts: ErrorFacts = {}) {
    super('MASTER_KEY_MISSING', message, facts);
    this.name = 'MasterKeyMissingError';
  }
}

/** A configured master key is not base64 of exactly 32 bytes, or its file cannot be read. */
export class MasterKeyInvalidError extends MyMedicError {
  constructor(message: string, facts: ErrorFacts = {}) {
    super('MASTER_KEY_INVALID', message, facts);
    this.name = 'MasterKeyInvalidError';
  }
}

/** A wrapped data key names a master key this process was not given (rotation needs the previous keys). */
export class MasterKeyUnknownError extends MyMedicError {
  constructor(masterKeyId: string) {
    super(
      'MASTER_KEY_UNKNOWN',
      `data key is wrapped under master key ${masterKeyId}, which is not configured`,
      {
        masterKeyId,
      },
    );
    this.name = 'MasterKeyUnknownError';
  }
}

/**
 * An encrypted field or wrapped key failed authentication: it was altered, moved to another patient, field
 * or tenant, or is not an envelope at all. Never raised for a destroyed key (that reads as erased).
 */
export class DecryptionFailedError extends MyMedicError {
  constructor(what: string, facts: ErrorFacts = {}) {
    super('DECRYPTION_FAILED', `${what} failed authentication or is malformed`, facts);
    this.name = 'DecryptionFailedError';
  }
}

/** An event definition's sensitive paths or subject path cannot be applied (a programming error). */
export class SensitivePathError extends MyMedicError {
  constructor(eventType: string, message: string) {
    super('SENSITIVE_PATHS_INVALID', `${eventType}: ${message}`, { eventType });
    this.name = 'SensitivePathError';
  }
}

/** Erasure refused: a legal hold or a retention rule still applies to the patient. Nothing was destroyed. */
export class LegalHoldError extends MyMedicError {
  constructor(tenantId: string, patientId: string, facts: ErrorFacts) {
    super('LEGAL_HOLD', 'erasure refused: a legal hold or retention rule applies to this patient', {
      tenantId,
      patientId,
      ...facts,
    });
    this.name = 'LegalHoldError';
  }
}
