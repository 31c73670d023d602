import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVELOPMENT_PSEUDONYM_KEY, pseudonymizer, pseudonymKeyFromEnv } from './pseudonym.ts';

const KEY = 'k'.repeat(32);

describe('patient pseudonyms', () => {
  it('are stable per key, differ per tenant and per key, and carry no trace of the id', () => {
    const keyed = pseudonymizer(pseudonymKeyFromEnv({ MYMEDIC_PSEUDONYM_KEY: KEY }));
    const other = pseudonymizer(pseudonymKeyFromEnv({ MYMEDIC_PSEUDONYM_KEY: `${KEY}x` }));
    const key = keyed('t1', 'pt-1');
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(keyed('t1', 'pt-1'), key);
    assert.notEqual(keyed('t2', 'pt-1'), key);
    assert.notEqual(keyed('t1', 'pt-2'), key);
    assert.notEqual(other('t1', 'pt-1'), key);
    assert.notEqual(keyed('t1a', 'b'), keyed('t1', 'ab'));
    assert.ok(!key.includes('pt-1'));
  });

  it('fall back to the public development key only outside production', () => {
    const development = pseudonymizer(pseudonymKeyFromEnv({}));
    const explicit = pseudonymizer(pseudonymKeyFromEnv({ MYMEDIC_PSEUDONYM_KEY: DEVELOPMENT_PSEUDONYM_KEY }));
    assert.equal(development('t1', 'pt-1'), explicit('t1', 'pt-1'));
    assert.throws(() => pseudonymKeyFromEnv({ NODE_ENV: 'production' }), { code: 'PSEUDONYM_KEY_MISSING' });
    assert.throws(() => pseudonymKeyFromEnv({ MYMEDIC_PSEUDONYM_KEY: 'short' }), {
      code: 'PSEUDONYM_KEY_INVALID',
    });
    assert.doesNotThrow(() => pseudonymKeyFromEnv({ NODE_ENV: 'production', MYMEDIC_PSEUDONYM_KEY: KEY }));
  });
});
