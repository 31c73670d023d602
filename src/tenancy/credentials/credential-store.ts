/**
 * Credentials in the database: creating API keys and JWT issuers, looking one up by id, revoking. Creation
 * and revocation run in the caller's tenant scope, so row-level security itself refuses another tenant's rows.
 */
import { ValidationError } from '../../shared/errors.ts';
import type { Sql } from '../../store/engines/engine.ts';
import { CredentialNotFoundError, TenantNotFoundError } from '../errors.ts';
import { requireTenantId } from '../identifiers.ts';
import { parseWith } from '../zod-validation.ts';
import { issueApiKey, newCredentialId } from './api-key.ts';
import { labelSchema, newApiKeySchema, type NewApiKey } from './credential-schemas.ts';
import { ed25519PublicKey } from './jwt.ts';

export interface CreatedApiKey {
  readonly credentialId: string;
  /** Shown once; only its hash is stored. */
  readonly apiKey: string;
  readonly tenantId: string;
  readonly actor: { readonly id: string; readonly kind: string; readonly role: string };
  readonly createdAt: Date;
}

export type CredentialRow =
  | {
      readonly credential_type: 'api_key';
      readonly credential_id: string;
      readonly tenant_id: string;
      readonly actor_id: string;
      readonly actor_kind: string;
      readonly actor_role: string;
      readonly secret_sha256: Buffer;
      readonly revoked_at: Date | null;
    }
  | {
      readonly credential_type: 'jwt_issuer';
      readonly credential_id: string;
      readonly tenant_id: string;
      readonly public_key_pem: string;
      readonly revoked_at: Date | null;
    };

/**
 * @example
 * const key = await createApiKey(tx, 'acme', { actorId: 'aud-1', kind: 'auditor', role: 'auditor' });
 * console.log(key.apiKey); // the only time it is ever visible
 * @throws ValidationError for a bad actor, kind, role or label; TenantNotFoundError.
 */
export async function createApiKey(sql: Sql, tenantId: string, request: NewApiKey): Promise<CreatedApiKey> {
  requireTenantId(tenantId);
  const input = parseWith(newApiKeySchema, request, 'body');
  await requireTenant(sql, tenantId);
  const issued = issueApiKey();
  const { rows } = await sql.query<{ created_at: Date }>(
    `insert into mymedic.credentials
       (credential_id, tenant_id, credential_type, actor_id, actor_kind, actor_role, secret_sha256, label)
     values ($1, $2, 'api_key', $3, $4, $5, $6, $7) returning created_at`,
    [
      issued.credentialId,
      tenantId,
      input.actorId,
      input.kind,
      input.role,
      issued.sha256,
      input.label ?? null,
    ],
  );
  return {
    credentialId: issued.credentialId,
    apiKey: issued.key,
    tenantId,
    actor: { id: input.actorId, kind: input.kind, role: input.role },
    createdAt: rows[0]!.created_at,
  };
}

/**
 * Registers a tenant's token issuer: tokens signed by its private key and carrying its id as `kid`.
 *
 * @throws ValidationError when the PEM is not an Ed25519 public key; TenantNotFoundError.
 */
export async function registerJwtIssuer(
  sql: Sql,
  tenantId: string,
  publicKeyPem: string,
  label?: string,
): Promise<{ credentialId: string }> {
  requireTenantId(tenantId);
  if (!ed25519PublicKey(publicKeyPem)) {
    throw new ValidationError('publicKey', 'must be an Ed25519 public key in PEM (SPKI) form');
  }
  const checkedLabel = label === undefined ? null : parseWith(labelSchema, label, 'label');
  await requireTenant(sql, tenantId);
  const credentialId = newCredentialId();
  await sql.query(
    `insert into mymedic.credentials (credential_id, tenant_id, credential_type, public_key_pem, label)
     values ($1, $2, 'jwt_issuer', $3, $4)`,
    [credentialId, tenantId, publicKeyPem, checkedLabel],
  );
  return { credentialId };
}

/**
 * Revokes a credential of the tenant (idempotent: revoking a revoked one is fine).
 *
 * @throws CredentialNotFoundError when the tenant has no such credential (another tenant's is not visible).
 */
export async function revokeCredential(sql: Sql, tenantId: string, credentialId: string): Promise<void> {
  const { rowCount } = await sql.query(
    `update mymedic.credentials set revoked_at = coalesce(revoked_at, now())
      where tenant_id = $1 and credential_id = $2`,
    [tenantId, credentialId],
  );
  if (rowCount === 0) throw new CredentialNotFoundError(credentialId);
}

/** Looks a credential up by id alone: authentication does this before the tenant is known. */
export async function findCredential(sql: Sql, credentialId: string): Promise<CredentialRow | undefined> {
  const { rows } = await sql.query<CredentialRow>(
    `select credential_type, credential_id, tenant_id, actor_id, actor_kind, actor_role, secret_sha256,
            public_key_pem, revoked_at
       from mymedic.credentials where credential_id = $1`,
    [credentialId],
  );
  return rows[0];
}

async function requireTenant(sql: Sql, tenantId: string): Promise<void> {
  const { rows } = await sql.query('select 1 from mymedic.tenants where tenant_id = $1', [tenantId]);
  if (rows.length === 0) throw new TenantNotFoundError(tenantId);
}
