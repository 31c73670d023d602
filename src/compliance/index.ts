/** The compliance module's public surface: patient keys, field encryption, erasure, legal holds. */
export { PatientKeyring, type PatientKeyringOptions } from './patient-keyring.ts';
export {
  loadMasterKeys,
  parseMasterKey,
  generateMasterKeyText,
  type MasterKey,
  type MasterKeys,
  type LoadMasterKeysOptions,
} from './master-key.ts';
export { rotateMasterKey, type RotationReport } from './rotate-master-key.ts';
export { placeLegalHold, releaseLegalHold, activeLegalHolds, type LegalHoldRequest } from './legal-holds.ts';
export type { ErasureRequest, ErasureReport, RetentionCheck, RetentionBlock } from './erase-patient.ts';
export {
  ERASED_FIELD,
  isErasedField,
  isEncryptedField,
  type EncryptedField,
  type ErasedField,
} from './field-envelope.ts';
export { COMPLIANCE_MIGRATIONS } from './migration-set.ts';
export * from './errors.ts';
