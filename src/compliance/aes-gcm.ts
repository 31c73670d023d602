/**
 * AES-256-GCM with a random 96-bit IV and a 128-bit tag, the one cipher of this module: it wraps data keys
 * under the master key and encrypts patient fields under data keys. The tag is appended to the ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export interface Sealed {
  readonly iv: Buffer;
  /** Ciphertext followed by the 16-byte tag. */
  readonly ct: Buffer;
}

export function sealAesGcm(key: KeyObject, plaintext: Uint8Array, aad: Uint8Array): Sealed {
  // Random IVs are safe for far more than the 2^32 encryptions per key NIST allows; one patient's key
  // encrypts a few thousand fields in its life.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { iv, ct };
}

/** The plaintext, or undefined when the tag does not verify (wrong key, AAD, IV or altered ciphertext). */
export function openAesGcm(key: KeyObject, sealed: Sealed, aad: Uint8Array): Buffer | undefined {
  if (sealed.iv.length !== IV_BYTES || sealed.ct.length < TAG_BYTES) return undefined;
  const body = sealed.ct.subarray(0, sealed.ct.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.ct.subarray(sealed.ct.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return undefined;
  }
}
