/**
 * Signed JWTs (RFC 7519) from a tenant's own identity provider: EdDSA (Ed25519) only, verified with the
 * issuer's public key registered as a credential of that tenant and named by the token's `kid`. MyMedic never
 * holds the signing key, so a database leak cannot mint tokens. Tokens are short-lived (at most
 * MAX_TOKEN_LIFETIME_S); revoking the issuer revokes every token it signed.
 *
 * Claims: `sub` actor id, `tid` tenant id, `kind` actor kind, `role` MyMedic role, `iat` and `exp` (seconds).
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { IDENTIFIER } from '../../store/validate-new-event.ts';
import { AuthenticationError } from '../errors.ts';
import {
  CREDENTIAL_ACTOR_KINDS,
  isRoleName,
  roleAllowsKind,
  type CredentialActorKind,
  type RoleName,
} from '../roles.ts';

export const MAX_TOKEN_LIFETIME_S = 3600;
const CLOCK_SKEW_S = 60;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

export interface DecodedJwt {
  readonly kid: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

export interface TokenActor {
  readonly tenantId: string;
  readonly id: string;
  readonly kind: CredentialActorKind;
  readonly role: RoleName;
}

export function isJwtShaped(token: string): boolean {
  return token.split('.').length === 3;
}

/** Parses the compact form; checks nothing but shape and the algorithm. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) throw invalid('malformed token');
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
  const header = jsonSegment(headerPart);
  // The algorithm is fixed, never taken from the token ('none' and HS/EdDSA confusion are refused here).
  if (header['alg'] !== 'EdDSA') throw invalid('token algorithm must be EdDSA');
  const kid = header['kid'];
  if (typeof kid !== 'string' || !/^[0-9a-f]{24}$/.test(kid)) throw invalid('token kid missing or malformed');
  return {
    kid,
    claims: jsonSegment(claimsPart),
    signingInput: Buffer.from(`${headerPart}.${claimsPart}`),
    signature: Buffer.from(signaturePart, 'base64url'),
  };
}

/** The key, or undefined when the PEM is not an Ed25519 public key. */
export function ed25519PublicKey(pem: string): KeyObject | undefined {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

export function signatureValid(token: DecodedJwt, publicKey: KeyObject): boolean {
  return verify(null, token.signingInput, publicKey, token.signature);
}

/**
 * The actor a verified token names, if its claims hold: the issuer's tenant, a known role for the kind,
 * and a lifetime that has started, has not ended and is at most MAX_TOKEN_LIFETIME_S long.
 */
export function tokenActor(
  claims: Readonly<Record<string, unknown>>,
  issuerTenantId: string,
  now: Date,
): TokenActor {
  const { sub, tid, kind, role, iat, exp } = claims;
  if (tid !== issuerTenantId) throw invalid('token tenant does not match its issuer');
  if (typeof sub !== 'string' || !IDENTIFIER.test(sub)) throw invalid('token sub missing or malformed');
  if (typeof kind !== 'string' || !(CREDENTIAL_ACTOR_KINDS as readonly string[]).includes(kind)) {
    throw invalid('token kind missing or unknown');
  }
  if (typeof role !== 'string' || !isRoleName(role) || !roleAllowsKind(role, kind)) {
    throw invalid('token role missing, unknown or not allowed for its kind');
  }
  if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp))
    throw invalid('token iat and exp are required');
  const nowS = Math.floor(now.getTime() / 1000);
  const issued = iat as number;
  const expires = exp as number;
  if (expires - issued > MAX_TOKEN_LIFETIME_S || issued > nowS + CLOCK_SKEW_S) {
    throw invalid(`token lifetime must start by now and last at most ${MAX_TOKEN_LIFETIME_S} s`);
  }
  if (expires <= nowS - CLOCK_SKEW_S) throw new AuthenticationError('CREDENTIAL_EXPIRED', 'token expired');
  return { tenantId: issuerTenantId, id: sub, kind: kind as CredentialActorKind, role };
}

function jsonSegment(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw invalid('token segment is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('token segment is not an object');
  return value as Record<string, unknown>;
}

function invalid(message: string): AuthenticationError {
  return new AuthenticationError('CREDENTIAL_INVALID', message);
}
