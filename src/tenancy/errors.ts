/**
 * Failures of tenancy: authentication, authorisation, tenants and credentials. Facts name ids and
 * permissions, never secrets: a rejected credential's text is never repeated.
 */
import { MyMedicError } from '../shared/errors.ts';

export type AuthenticationFailure = 'AUTHENTICATION_REQUIRED' | 'CREDENTIAL_INVALID' | 'CREDENTIAL_EXPIRED';

/** No usable credential: missing, malformed, unknown, wrong secret or signature, revoked, or expired. */
export class AuthenticationError extends MyMedicError {
  constructor(code: AuthenticationFailure, message: string) {
    super(code, message);
    this.name = 'AuthenticationError';
  }
}

/** The credential's role does not grant the permission the endpoint needs. */
export class PermissionDeniedError extends MyMedicError {
  constructor(permission: string, role: string) {
    super('PERMISSION_DENIED', `role ${role} does not grant ${permission}`, { permission, role });
    this.name = 'PermissionDeniedError';
  }
}

/** A patient asked for, or acted on, another patient's records. */
export class NotOwnRecordError extends MyMedicError {
  constructor() {
    super('NOT_OWN_RECORD', 'a patient may only act on their own records');
    this.name = 'NotOwnRecordError';
  }
}

export class TenantNotFoundError extends MyMedicError {
  constructor(tenantId: string) {
    super('TENANT_NOT_FOUND', `no tenant ${tenantId}`, { tenantId });
    this.name = 'TenantNotFoundError';
  }
}

export class TenantExistsError extends MyMedicError {
  constructor(tenantId: string) {
    super('TENANT_EXISTS', `tenant ${tenantId} already exists`, { tenantId });
    this.name = 'TenantExistsError';
  }
}

export class CredentialNotFoundError extends MyMedicError {
  constructor(credentialId: string) {
    super('CREDENTIAL_NOT_FOUND', `no credential ${credentialId} in this tenant`, { credentialId });
    this.name = 'CredentialNotFoundError';
  }
}
