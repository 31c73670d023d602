import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTOR_KINDS } from '../store/envelope.ts';
import { PERMISSIONS, ROLE_NAMES, ROLES, roleAllowsKind, roleGrants } from './roles.ts';
import { PURPOSES_OF_USE } from './purpose-of-use.ts';
import { requireOwnRecord, requirePermission, type Principal } from './principal.ts';

const principal = (
  role: Principal['actor']['role'],
  kind: Principal['actor']['kind'],
  id = 'a-1',
): Principal => ({
  tenantId: 't1',
  actor: { id, kind, role },
  credentialId: '0'.repeat(24),
  via: 'api_key',
});

describe('roles and permissions', () => {
  it('an auditor holds every read permission and nothing that writes', () => {
    const reads = PERMISSIONS.filter((permission) => permission.endsWith(':read'));
    assert.deepEqual([...ROLES.auditor.permissions].sort(), [...reads].sort());
    assert.ok(reads.includes('audit:read') && reads.includes('log:read'));
  });

  it('only finance refunds and handles disputes', () => {
    for (const role of ROLE_NAMES) {
      const isFinance = role === 'finance';
      assert.equal(roleGrants(role, 'payments:refund'), isFinance, role);
      assert.equal(roleGrants(role, 'payments:dispute'), isFinance, role);
    }
  });

  it('a patient reads neither the log, raw streams nor the audit trail', () => {
    for (const permission of ['log:read', 'streams:read', 'audit:read', 'credentials:manage'] as const) {
      assert.equal(roleGrants('patient', permission), false, permission);
    }
  });

  it('staff may read the log; only the auditor reads the audit trail', () => {
    assert.ok(roleGrants('front_desk', 'log:read'));
    assert.ok(roleGrants('tenant_admin', 'log:read'));
    assert.deepEqual(
      ROLE_NAMES.filter((role) => roleGrants(role, 'audit:read')),
      ['auditor'],
    );
  });

  it('every role names known kinds, known permissions and a known purpose', () => {
    for (const role of ROLE_NAMES) {
      const definition = ROLES[role];
      assert.ok(definition.kinds.length > 0);
      for (const kind of definition.kinds) assert.ok((ACTOR_KINDS as readonly string[]).includes(kind));
      for (const permission of definition.permissions) assert.ok(PERMISSIONS.includes(permission));
      assert.ok(Object.hasOwn(PURPOSES_OF_USE, definition.defaultPurpose));
      assert.equal(
        new Set(definition.permissions).size,
        definition.permissions.length,
        `${role} repeats one`,
      );
    }
    assert.equal(roleAllowsKind('patient', 'staff'), false);
    assert.equal(roleAllowsKind('front_desk', 'staff'), true);
  });

  it('requirePermission refuses with the permission and role as facts', () => {
    assert.throws(
      () => requirePermission(principal('auditor', 'auditor'), 'bookings:write'),
      (error: { code: string; facts: object }) =>
        error.code === 'PERMISSION_DENIED' &&
        JSON.stringify(error.facts) === JSON.stringify({ permission: 'bookings:write', role: 'auditor' }),
    );
    assert.doesNotThrow(() => requirePermission(principal('finance', 'finance'), 'payments:refund'));
  });

  it('a patient acts only on their own patient id; others are not limited by it', () => {
    assert.doesNotThrow(() => requireOwnRecord(principal('patient', 'patient', 'p-1'), 'p-1'));
    assert.throws(() => requireOwnRecord(principal('patient', 'patient', 'p-1'), 'p-2'), {
      code: 'NOT_OWN_RECORD',
    });
    assert.doesNotThrow(() => requireOwnRecord(principal('front_desk', 'staff', 's-1'), 'p-2'));
  });
});
