/**
 * The authenticated caller: one tenant, one actor, through one credential. Everything a request may see or
 * do follows from it; nothing a request sends can change its tenant.
 */
import type { Actor } from '../store/envelope.ts';
import { NotOwnRecordError, PermissionDeniedError } from './errors.ts';
import { roleGrants, type CredentialActorKind, type Permission, type RoleName } from './roles.ts';

export interface Principal {
  readonly tenantId: string;
  readonly actor: Actor & { readonly kind: CredentialActorKind; readonly role: RoleName };
  readonly credentialId: string;
  readonly via: 'api_key' | 'jwt';
}

export function can(principal: Principal, permission: Permission): boolean {
  return roleGrants(principal.actor.role, permission);
}

/** @throws PermissionDeniedError when the principal's role does not grant the permission. */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) throw new PermissionDeniedError(permission, principal.actor.role);
}

/**
 * "Own records only": a patient's credential names the patient as its actor id, so a patient may only act
 * on or read that patient id. Other actors pass (their permissions decide).
 *
 * @example
 * requireOwnRecord(ctx.principal, body.patientId); // before loading the patient's booking
 * @throws NotOwnRecordError when a patient names another patient.
 */
export function requireOwnRecord(principal: Principal, patientId: string): void {
  if (principal.actor.kind === 'patient' && principal.actor.id !== patientId) throw new NotOwnRecordError();
}
