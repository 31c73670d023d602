import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { assertExpectedVersion, etag, expectedVersionFrom } from './concurrency.ts';

const STREAM = { tenantId: 't', aggregateType: 'booking', aggregateId: 'b-1' };

describe('If-Match and ETag', () => {
  it('round-trip every version', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (version) => {
        assert.equal(expectedVersionFrom(etag(version), 'update'), version);
      }),
    );
  });

  it('read a missing If-Match per command kind', () => {
    assert.equal(expectedVersionFrom(undefined, 'create'), 'no_stream');
    assert.equal(expectedVersionFrom(undefined, 'append'), 'any');
    assert.throws(() => expectedVersionFrom(undefined, 'update'), { code: 'PRECONDITION_REQUIRED' });
    assert.equal(expectedVersionFrom('*', 'update'), 'stream_exists');
  });

  it('refuse weak, listed, unquoted or out-of-range validators, and any If-Match on create', () => {
    for (const value of ['W/"3"', '"1", "2"', '3', '"-1"', '"01"', '"9007199254740992"', '"3', 'abc']) {
      assert.throws(() => expectedVersionFrom(value, 'update'), { code: 'VALIDATION_FAILED' }, value);
    }
    assert.throws(() => expectedVersionFrom('"3"', 'create'), { code: 'VALIDATION_FAILED' });
  });

  it('a stale expected version always fails, with the actual version', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), (expected, actual) => {
        if (expected === actual)
          return assert.doesNotThrow(() => assertExpectedVersion(STREAM, expected, actual));
        assert.throws(
          () => assertExpectedVersion(STREAM, expected, actual),
          (error: { facts: { actual: number } }) => error.facts.actual === actual,
        );
      }),
    );
    assert.throws(() => assertExpectedVersion(STREAM, 'no_stream', 1), { code: 'CONCURRENCY_CONFLICT' });
    assert.throws(() => assertExpectedVersion(STREAM, 'stream_exists', 0), { code: 'CONCURRENCY_CONFLICT' });
  });
});
