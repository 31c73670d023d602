import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../shared/errors.ts';
import type { Projection } from './projection.ts';
import { liveTableNames, shadowTableNames, validateProjections } from './table-names.ts';

const projection = (name: string, tables: string[], extra: Partial<Projection> = {}): Projection => ({
  name,
  version: 1,
  tables,
  createTables: () => '',
  apply: async () => undefined,
  ...extra,
});

describe('read-model table names', () => {
  it('puts live tables in schema read under their logical names, shadows beside them', () => {
    const view = projection('payments_view', ['payments_view', 'payment_lines']);
    assert.deepEqual(liveTableNames(view), {
      payments_view: 'read.payments_view',
      payment_lines: 'read.payment_lines',
    });
    assert.deepEqual(shadowTableNames(view, 'ab12cd34'), {
      payments_view: 'read.payments_view__sab12cd34',
      payment_lines: 'read.payment_lines__sab12cd34',
    });
  });

  it('refuses names that could inject SQL, collide, or clash with shadow names', () => {
    const bad: Projection[][] = [
      [projection('Payments', ['x'])],
      [projection('p', ['x; drop table y'])],
      [projection('p', ['x__sabcdefgh'])],
      [projection('p', [])],
      [projection('p', ['x']), projection('p', ['y'])],
      [projection('p', ['x']), projection('q', ['x'])],
      [projection('p', ['x'], { version: 0 })],
      [projection('p', ['x'], { sliceColumns: { branch: 'branch id' } })],
    ];
    for (const projections of bad) assert.throws(() => validateProjections(projections), ValidationError);
    assert.doesNotThrow(() =>
      validateProjections([
        projection('p', ['x'], { sliceColumns: { branch: 'branch_id' } }),
        projection('q', ['y']),
      ]),
    );
  });
});
