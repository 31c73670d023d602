import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../src/shared/errors.ts';
import { parseBenchOptions } from './options.ts';

describe('parseBenchOptions', () => {
  it('runs everything in full by default', () => {
    assert.deepEqual(parseBenchOptions([]), { quick: false, only: undefined });
  });

  it('takes --quick and one or more workloads, as separate or joined arguments', () => {
    assert.deepEqual(parseBenchOptions(['--quick', '--only', 'read-log']), {
      quick: true,
      only: ['read-log'],
    });
    assert.deepEqual(
      parseBenchOptions(['--only=single-appends,batch-appends', '--only', 'read-stream']).only,
      ['single-appends', 'batch-appends', 'read-stream'],
    );
  });

  it('refuses unknown workloads and options, and --only without a value', () => {
    assert.throws(() => parseBenchOptions(['--only', 'everything']), ValidationError);
    assert.throws(() => parseBenchOptions(['--only']), ValidationError);
    assert.throws(() => parseBenchOptions(['--fast']), ValidationError);
  });
});
