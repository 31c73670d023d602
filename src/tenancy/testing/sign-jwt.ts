/** Test support: an identity provider's side of EdDSA JWTs (MyMedic itself only verifies). */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface TestIssuer {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
}

export function newTestIssuer(): TestIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function signJwt(
  privateKey: KeyObject,
  header: Readonly<Record<string, unknown>>,
  claims: Readonly<Record<string, unknown>>,
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
}

/** Claims of a valid token for the actor, issued at `now` for `lifetimeS` seconds. */
export function actorClaims(
  tenantId: string,
  actor: { id: string; kind: string; role: string },
  now: Date,
  lifetimeS = 600,
): Record<string, unknown> {
  const iat = Math.floor(now.getTime() / 1000);
  return { sub: actor.id, tid: tenantId, kind: actor.kind, role: actor.role, iat, exp: iat + lifetimeS };
}
