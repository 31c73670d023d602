/**
 * API keys: `mmk.<credential id>.<secret>`. The id makes lookup a primary-key read; the secret is 256 random
 * bits, so storing SHA-256 of the whole key is enough (nothing to brute-force) and the key itself is shown
 * once, at creation, and stored nowhere.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const API_KEY = /^mmk\.([0-9a-f]{24})\.([A-Za-z0-9_-]{43})$/;

export interface IssuedApiKey {
  readonly credentialId: string;
  /** The bearer token to hand to the caller, once. */
  readonly key: string;
  readonly sha256: Buffer;
}

/** A random credential id: 96 bits, hex. Also names JWT issuers (the tokens' `kid`). */
export function newCredentialId(): string {
  return randomBytes(12).toString('hex');
}

export function issueApiKey(): IssuedApiKey {
  const credentialId = newCredentialId();
  const key = `mmk.${credentialId}.${randomBytes(32).toString('base64url')}`;
  return { credentialId, key, sha256: sha256(key) };
}

export function isApiKeyShaped(token: string): boolean {
  return token.startsWith('mmk.');
}

/** The credential id and hash of a well-formed key, or undefined. */
export function parseApiKey(token: string): { credentialId: string; sha256: Buffer } | undefined {
  const match = API_KEY.exec(token);
  return match ? { credentialId: match[1]!, sha256: sha256(token) } : undefined;
}

export function hashesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
