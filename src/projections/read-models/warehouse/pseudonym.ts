/**
 * Pseudonymous patient keys for the warehouse: HMAC-SHA-256 of (tenant, patient id) under a secret key, so
 * exported facts can be joined per patient without carrying the patient id (or anything that identifies the
 * patient). Without the key the pseudonym cannot be linked back to an id, even by guessing ids.
 *
 * The key comes from `MYMEDIC_PSEUDONYM_KEY` (at least 32 characters; e.g. `openssl rand -base64 32`). Outside
 * `NODE_ENV=production` a missing key falls back to DEVELOPMENT_PSEUDONYM_KEY, which is public and therefore
 * protects nothing. Changing the key changes every pseudonym: rebuild the warehouse (`mymedic replay
 * warehouse_projections`) and re-export, since old exports no longer join with new ones.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { MyMedicError } from '../../../shared/errors.ts';

export const PSEUDONYM_KEY_ENV = 'MYMEDIC_PSEUDONYM_KEY';
export const DEVELOPMENT_PSEUDONYM_KEY = 'mymedic-development-pseudonym-key-not-secret';
const MIN_KEY_LENGTH = 32;

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The pseudonym key from the environment.
 * @throws MyMedicError PSEUDONYM_KEY_MISSING under NODE_ENV=production without a key; PSEUDONYM_KEY_INVALID
 * for a key shorter than 32 characters.
 */
export function pseudonymKeyFromEnv(env: Environment = process.env): KeyObject {
  const text = env[PSEUDONYM_KEY_ENV]?.trim();
  if (text === undefined || text === '') {
    if (env['NODE_ENV'] === 'production') {
      throw new MyMedicError(
        'PSEUDONYM_KEY_MISSING',
        `${PSEUDONYM_KEY_ENV} is not set; the development key is refused when NODE_ENV=production`,
        { variable: PSEUDONYM_KEY_ENV },
      );
    }
    return createSecretKey(Buffer.from(DEVELOPMENT_PSEUDONYM_KEY, 'utf8'));
  }
  if (text.length < MIN_KEY_LENGTH) {
    throw new MyMedicError(
      'PSEUDONYM_KEY_INVALID',
      `${PSEUDONYM_KEY_ENV} must be at least ${MIN_KEY_LENGTH} characters`,
      {
        variable: PSEUDONYM_KEY_ENV,
      },
    );
  }
  return createSecretKey(Buffer.from(text, 'utf8'));
}

/** A function giving the patient key (64 hex characters) of a tenant's patient. */
export function pseudonymizer(key: KeyObject): (tenantId: string, patientId: string) => string {
  // The separator cannot occur in either id, so ("ab", "c") and ("a", "bc") never collide.
  return (tenantId, patientId) =>
    createHmac('sha256', key).update(`mymedic.patient.v1\u0000${tenantId}\u0000${patientId}`).digest('hex');
}
