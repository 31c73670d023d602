/**
 * Encrypts and decrypts every sensitive field of one payload, given the keys. Pure apart from random IVs:
 * finding, creating and destroying keys is the keyring's job.
 */
import type { JsonValue } from '../shared/canonical-json.ts';
import { DecryptionFailedError } from './errors.ts';
import {
  decryptField,
  encryptField,
  ERASED_FIELD,
  isEncryptedField,
  type DataKey,
  type EncryptedField,
  type ErasedField,
} from './field-envelope.ts';
import { mapSensitiveValues, type CompiledSensitivity } from './sensitive-paths.ts';

export interface PayloadSubject {
  readonly tenantId: string;
  readonly patientId: string;
}

export function encryptPayload(
  sensitivity: CompiledSensitivity,
  subject: PayloadSubject,
  payload: JsonValue,
  dataKey: DataKey,
): JsonValue {
  return mapSensitiveValues(payload, sensitivity, (value, path) =>
    encryptField(dataKey, { ...subject, path }, value),
  );
}

/** Ids of the keys the payload's encrypted fields need; throws if a sensitive value is not an envelope. */
export function keyIdsOf(
  sensitivity: CompiledSensitivity,
  subject: PayloadSubject,
  payload: JsonValue,
): Set<string> {
  const kids = new Set<string>();
  mapSensitiveValues(payload, sensitivity, (value, path) => {
    kids.add(asEncrypted(value, subject, path).kid);
    return value;
  });
  return kids;
}

/** The plaintext payload; a field whose key is not in `keys` (destroyed) reads as ERASED_FIELD. */
export function decryptPayload(
  sensitivity: CompiledSensitivity,
  subject: PayloadSubject,
  payload: JsonValue,
  keys: ReadonlyMap<string, DataKey>,
): JsonValue {
  return mapSensitiveValues(payload, sensitivity, (value, path): JsonValue | ErasedField => {
    const field = asEncrypted(value, subject, path);
    const dataKey = keys.get(field.kid);
    return dataKey ? decryptField(dataKey, { ...subject, path }, field) : ERASED_FIELD;
  });
}

function asEncrypted(value: JsonValue, subject: PayloadSubject, path: string): EncryptedField {
  // Plaintext where ciphertext belongs means it was stored unprotected: loud, never silently passed on.
  if (!isEncryptedField(value)) {
    throw new DecryptionFailedError('sensitive field (stored without encryption?)', { ...subject, path });
  }
  return value;
}
