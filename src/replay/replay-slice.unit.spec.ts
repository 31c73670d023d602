import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../shared/errors.ts';
import type { Projection } from '../projections/projection.ts';
import { classifySlice, rowScopeOf, scopeCondition } from './replay-slice.ts';

const view = (branch?: string): Projection => ({
  name: 'v',
  version: 1,
  tables: ['v'],
  createTables: () => '',
  apply: async () => undefined,
  ...(branch ? { sliceColumns: { branch } } : {}),
});

describe('replay slices', () => {
  it('tells rebuilds of the live model from forensic slices', () => {
    assert.equal(classifySlice(view()), 'full');
    assert.equal(classifySlice(view(), { tenantId: 't' }), 'tenant');
    assert.equal(classifySlice(view('branch_id'), { tenantId: 't', branchId: 'b' }), 'branch');
    assert.equal(classifySlice(view(), { aggregateType: 'admission' }), 'forensic');
    assert.equal(
      classifySlice(view(), { tenantId: 't', aggregateType: 'admission', aggregateId: 'a1' }),
      'forensic',
    );
    assert.equal(classifySlice(view(), { to: new Date('2026-01-01') }), 'forensic');
    assert.equal(
      classifySlice(view('branch_id'), { tenantId: 't', branchId: 'b', from: new Date(0) }),
      'forensic',
    );
  });

  it('refuses slices that are not well defined', () => {
    const refused = [
      [view('branch_id'), { branchId: 'b' }],
      [view(), { tenantId: 't', branchId: 'b' }],
      [view(), { aggregateId: 'a1' }],
      [view(), { from: new Date('2026-02-01'), to: new Date('2026-01-01') }],
      [view(), { from: new Date('nonsense') }],
    ] as const;
    for (const [projection, slice] of refused)
      assert.throws(() => classifySlice(projection, slice), ValidationError);
  });

  it('scopes rows by tenant and the projection’s own branch column, with bound parameters', () => {
    const scope = rowScopeOf(view('clinic_branch'), { tenantId: 't1', branchId: 'b1' });
    assert.deepEqual(scopeCondition(scope, 'r', 3), {
      sql: 'r.tenant_id = $3 and r.clinic_branch = $4',
      params: ['t1', 'b1'],
    });
    assert.deepEqual(scopeCondition(rowScopeOf(view(), {}), 'r'), { sql: 'true', params: [] });
  });
});
