import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roundRobin } from './subscription-lag.ts';

describe('roundRobin', () => {
  it('takes one from each list in turn, keeping each list in order', () => {
    assert.deepEqual(roundRobin([['a1', 'a2', 'a3'], ['b1'], [], ['d1', 'd2']]), [
      'a1',
      'b1',
      'd1',
      'a2',
      'd2',
      'a3',
    ]);
    assert.deepEqual(roundRobin([]), []);
  });
});
