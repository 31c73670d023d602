/**
 * Who may do what: every permission, and every role with the actor kinds that may hold it, its permissions
 * and its default purpose of use. The only place authorisation rules live; endpoints name a permission.
 */
import type { ActorKind } from '../store/envelope.ts';
import type { PurposeOfUse } from './purpose-of-use.ts';

export const PERMISSIONS = [
  'patients:read',
  'patients:write',
  'bookings:read',
  'bookings:write',
  'visits:read',
  'visits:write',
  'admissions:write',
  'encounters:write',
  'payments:read',
  'payments:pay',
  'payments:refund',
  'payments:dispute',
  'claims:read',
  'claims:write',
  'reconciliation:read',
  'reconciliation:write',
  'doctors:read',
  'doctors:write',
  'branches:read',
  'branches:write',
  'pricing:read',
  'pricing:write',
  'streams:read',
  'log:read',
  'audit:read',
  'analytics:read',
  'credentials:manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** Actor kinds a credential may carry; `system` is reserved for MyMedic's own processes. */
export const CREDENTIAL_ACTOR_KINDS = [
  'staff',
  'doctor',
  'patient',
  'finance',
  'auditor',
  'integration',
] as const satisfies readonly ActorKind[];

export type CredentialActorKind = (typeof CREDENTIAL_ACTOR_KINDS)[number];

export interface RoleDefinition {
  readonly kinds: readonly CredentialActorKind[];
  readonly permissions: readonly Permission[];
  readonly defaultPurpose: PurposeOfUse;
  readonly description: string;
}

/** Permissions that only read; an auditor holds nothing else. */
const READS = PERMISSIONS.filter((permission) => permission.endsWith(':read'));

export const ROLES = {
  tenant_admin: {
    kinds: ['staff'],
    description: 'runs the organisation: branches, doctors, prices, credentials',
    permissions: [
      'branches:read',
      'branches:write',
      'doctors:read',
      'doctors:write',
      'pricing:read',
      'pricing:write',
      'credentials:manage',
      'streams:read',
      'log:read',
      'analytics:read',
    ],
    defaultPurpose: 'HOPERAT',
  },
  front_desk: {
    kinds: ['staff'],
    description: 'registers patients, books, checks in, admits and transfers, takes payments',
    permissions: [
      'patients:read',
      'patients:write',
      'bookings:read',
      'bookings:write',
      'visits:read',
      'visits:write',
      'admissions:write',
      'payments:read',
      'payments:pay',
      'doctors:read',
      'branches:read',
      'pricing:read',
      'streams:read',
      'log:read',
    ],
    defaultPurpose: 'HOPERAT',
  },
  doctor: {
    kinds: ['doctor'],
    description: 'sees patients: their visits, encounters (clinical signals) and ADT orders',
    permissions: [
      'patients:read',
      'bookings:read',
      'visits:read',
      'visits:write',
      'admissions:write',
      'encounters:write',
      'doctors:read',
      'branches:read',
    ],
    defaultPurpose: 'TREAT',
  },
  patient: {
    kinds: ['patient'],
    description: 'acts on their own records only (the actor id is the patient id)',
    permissions: [
      'patients:read',
      'patients:write',
      'bookings:read',
      'bookings:write',
      'payments:read',
      'payments:pay',
    ],
    defaultPurpose: 'PATRQT',
  },
  finance: {
    kinds: ['finance'],
    description: 'refunds, disputes, claims and reconciliation',
    permissions: [
      'payments:read',
      'payments:refund',
      'payments:dispute',
      'claims:read',
      'claims:write',
      'reconciliation:read',
      'reconciliation:write',
      'pricing:read',
      'branches:read',
      'streams:read',
      'log:read',
      'analytics:read',
    ],
    defaultPurpose: 'HPAYMT',
  },
  auditor: {
    kinds: ['auditor'],
    description: 'reads everything, the audit trail included; never writes',
    permissions: READS,
    defaultPurpose: 'HCOMPL',
  },
  integration: {
    kinds: ['integration'],
    description: 'a connected system (payment gateway, portal, TPA): bookings and payments',
    permissions: [
      'bookings:read',
      'bookings:write',
      'payments:read',
      'payments:pay',
      'log:read',
      'analytics:read',
    ],
    defaultPurpose: 'HOPERAT',
  },
} as const satisfies Readonly<Record<string, RoleDefinition>>;

export type RoleName = keyof typeof ROLES;

export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export function isRoleName(value: string): value is RoleName {
  return Object.hasOwn(ROLES, value);
}

export function roleDefinition(role: RoleName): RoleDefinition {
  return ROLES[role];
}

export function roleGrants(role: RoleName, permission: Permission): boolean {
  return (ROLES[role].permissions as readonly Permission[]).includes(permission);
}

export function roleAllowsKind(role: RoleName, kind: string): kind is CredentialActorKind {
  return (ROLES[role].kinds as readonly string[]).includes(kind);
}
