/** The tenancy module's public surface: tenants, credentials, roles, disclosures, tenant isolation. */
export { APP_ROLE, WORKER_ROLE } from './database-roles.ts';
export { tenantScopedEngine, allTenantsEngine, TENANT_SETTING } from './scoped-engine.ts';
export { enableTenantIsolation } from './tenant-isolation.ts';
export { createTenant, type Tenant } from './tenants.ts';
export {
  createApiKey,
  registerJwtIssuer,
  revokeCredential,
  type CreatedApiKey,
} from './credentials/credential-store.ts';
export { newApiKeySchema, labelSchema, type NewApiKey } from './credentials/credential-schemas.ts';
export { Authenticator } from './authenticator.ts';
export { can, requirePermission, requireOwnRecord, type Principal } from './principal.ts';
export {
  PERMISSIONS,
  ROLES,
  ROLE_NAMES,
  CREDENTIAL_ACTOR_KINDS,
  type Permission,
  type RoleName,
  type CredentialActorKind,
} from './roles.ts';
export { PURPOSES_OF_USE, PURPOSE_HEADER, parsePurposeOfUse, type PurposeOfUse } from './purpose-of-use.ts';
export { recordDisclosures, listDisclosures, type Disclosure, type DisclosureRecord } from './disclosures.ts';
export { identifierSchema, requireTenantId } from './identifiers.ts';
export { parseWith } from './zod-validation.ts';
export { TENANCY_MIGRATIONS } from './migration-set.ts';
export * from './errors.ts';
