/**
 * Turns an `Authorization` header into a Principal. The credential is looked up by its id through the
 * all-tenants scope (its tenant is what we are about to learn), then everything the request does runs in that
 * tenant's scope. One answer for every unusable credential, so probing reveals nothing.
 *
 * Found credentials are cached for `cacheTtlMs` (the secret is still checked on every request): a revocation
 * made elsewhere takes effect within that time; one made through `forget` at once.
 */
import type { Engine } from '../store/engines/engine.ts';
import { hashesEqual, isApiKeyShaped, parseApiKey } from './credentials/api-key.ts';
import { findCredential, type CredentialRow } from './credentials/credential-store.ts';
import { decodeJwt, ed25519PublicKey, isJwtShaped, signatureValid, tokenActor } from './credentials/jwt.ts';
import { AuthenticationError } from './errors.ts';
import type { Principal } from './principal.ts';
import { isRoleName, roleAllowsKind } from './roles.ts';
import { allTenantsEngine } from './scoped-engine.ts';
import { LruCache } from '../compliance/lru-cache.ts';

const BEARER = /^Bearer ([\x21-\x7e]{1,4096})$/;

export interface AuthenticatorOptions {
  /** Time for token expiry and the cache (tests move it). */
  readonly clock?: () => Date;
  /** How long a looked-up credential is reused; 0 disables the cache. Default 5 s. */
  readonly cacheTtlMs?: number;
}

const CACHE_CAPACITY = 10_000;

export class Authenticator {
  private readonly lookupEngine: Engine;
  private readonly clock: () => Date;
  private readonly cache: LruCache<string, CredentialRow> | undefined;

  constructor(engine: Engine, options: AuthenticatorOptions = {}) {
    this.lookupEngine = allTenantsEngine(engine);
    this.clock = options.clock ?? (() => new Date());
    const ttl = options.cacheTtlMs ?? 5_000;
    this.cache = ttl > 0 ? new LruCache(CACHE_CAPACITY, ttl, () => this.clock().getTime()) : undefined;
  }

  /** Drops a credential from the cache (after revoking it through this process). */
  forget(credentialId: string): void {
    this.cache?.delete(credentialId);
  }

  /** @throws AuthenticationError (AUTHENTICATION_REQUIRED, CREDENTIAL_INVALID or CREDENTIAL_EXPIRED). */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const now = this.clock();
    if (authorization === undefined || authorization === '') {
      throw new AuthenticationError(
        'AUTHENTICATION_REQUIRED',
        'send Authorization: Bearer <API key or token>',
      );
    }
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) throw invalidCredential();
    if (isApiKeyShaped(token)) return this.fromApiKey(token);
    if (isJwtShaped(token)) return this.fromJwt(token, now);
    throw invalidCredential();
  }

  private async fromApiKey(token: string): Promise<Principal> {
    const parsed = parseApiKey(token);
    if (!parsed) throw invalidCredential();
    const row = await this.usable(parsed.credentialId);
    if (row?.credential_type !== 'api_key' || !hashesEqual(row.secret_sha256, parsed.sha256)) {
      throw invalidCredential();
    }
    // Rows are validated when written; a role that no longer exists in code must not grant anything.
    if (!isRoleName(row.actor_role) || !roleAllowsKind(row.actor_role, row.actor_kind))
      throw invalidCredential();
    return {
      tenantId: row.tenant_id,
      actor: { id: row.actor_id, kind: row.actor_kind, role: row.actor_role },
      credentialId: row.credential_id,
      via: 'api_key',
    };
  }

  private async fromJwt(token: string, now: Date): Promise<Principal> {
    const decoded = decodeJwt(token);
    const row = await this.usable(decoded.kid);
    const publicKey =
      row?.credential_type === 'jwt_issuer' ? ed25519PublicKey(row.public_key_pem) : undefined;
    if (!row || !publicKey || !signatureValid(decoded, publicKey)) throw invalidCredential();
    const actor = tokenActor(decoded.claims, row.tenant_id, now);
    return {
      tenantId: actor.tenantId,
      actor: { id: actor.id, kind: actor.kind, role: actor.role },
      credentialId: row.credential_id,
      via: 'jwt',
    };
  }

  private async usable(credentialId: string): Promise<CredentialRow | undefined> {
    let row = this.cache?.get(credentialId);
    if (!row) {
      row = await findCredential(this.lookupEngine, credentialId);
      if (row) this.cache?.set(credentialId, row);
    }
    return row && row.revoked_at === null ? row : undefined;
  }
}

function invalidCredential(): AuthenticationError {
  return new AuthenticationError('CREDENTIAL_INVALID', 'the credential is not valid');
}
