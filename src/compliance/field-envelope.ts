/**
 * The at-rest form of one sensitive payload field: `{"$enc":"v1","kid":…,"iv":…,"ct":…}`, the field's JSON
 * encrypted under the patient's data key. Tenant, patient, field path and key id are bound as AAD, so a
 * ciphertext copied into another patient's event, another field or another tenant fails to decrypt.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalJson, type JsonValue } from '../shared/canonical-json.ts';
import { openAesGcm, sealAesGcm } from './aes-gcm.ts';
import { DecryptionFailedError } from './errors.ts';

export type EncryptedField = {
  readonly $enc: 'v1';
  /** Id of the patient's data key (not secret). */
  readonly kid: string;
  readonly iv: string;
  readonly ct: string;
};

/** What a field reads as once its patient's key is destroyed. */
export type ErasedField = {
  readonly $erased: true;
};

export const ERASED_FIELD: ErasedField = Object.freeze({ $erased: true });

/** A patient's unwrapped data key. The key object never prints or serialises its material. */
export interface DataKey {
  readonly kid: string;
  readonly key: KeyObject;
}

/** Where a field lives; all of it is authenticated with the ciphertext. */
export interface FieldContext {
  readonly tenantId: string;
  readonly patientId: string;
  /** The declared sensitive path (`contacts.*.phone`), not the concrete index, so arrays may be rebuilt. */
  readonly path: string;
}

// Plaintext is padded with JSON whitespace to a multiple of this, so ciphertext length tells less about a name.
const PAD_TO = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encryptField(dataKey: DataKey, context: FieldContext, value: JsonValue): EncryptedField {
  const json = Buffer.from(canonicalJson(value), 'utf8');
  const padded = Buffer.concat([json, Buffer.alloc((PAD_TO - (json.length % PAD_TO)) % PAD_TO, 0x20)]);
  const { iv, ct } = sealAesGcm(dataKey.key, padded, fieldAad(context, dataKey.kid));
  return { $enc: 'v1', kid: dataKey.kid, iv: iv.toString('base64url'), ct: ct.toString('base64url') };
}

/** The field's value; throws DecryptionFailedError when the key, context or envelope does not match. */
export function decryptField(dataKey: DataKey, context: FieldContext, field: EncryptedField): JsonValue {
  const facts = {
    tenantId: context.tenantId,
    patientId: context.patientId,
    path: context.path,
    kid: field.kid,
  };
  if (field.kid !== dataKey.kid) throw new DecryptionFailedError('encrypted field', facts);
  const plaintext = openAesGcm(
    dataKey.key,
    { iv: Buffer.from(field.iv, 'base64url'), ct: Buffer.from(field.ct, 'base64url') },
    fieldAad(context, field.kid),
  );
  if (plaintext === undefined) throw new DecryptionFailedError('encrypted field', facts);
  return JSON.parse(plaintext.toString('utf8')) as JsonValue;
}

export function isEncryptedField(value: unknown): value is EncryptedField {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const field = value as Record<string, unknown>;
  return (
    Object.keys(field).length === 4 &&
    field['$enc'] === 'v1' &&
    typeof field['kid'] === 'string' &&
    field['kid'].length > 0 &&
    typeof field['iv'] === 'string' &&
    BASE64URL.test(field['iv']) &&
    typeof field['ct'] === 'string' &&
    BASE64URL.test(field['ct'])
  );
}

export function isErasedField(value: unknown): value is ErasedField {
  return (
    typeof value === 'object' && value !== null && (value as Record<string, unknown>)['$erased'] === true
  );
}

function fieldAad(context: FieldContext, kid: string): Buffer {
  return Buffer.from(
    canonicalJson(['mymedic.field.v1', context.tenantId, context.patientId, context.path, kid]),
  );
}
