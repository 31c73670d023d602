import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { median, percentile, ratio } from './stats.ts';

describe('percentile (nearest rank)', () => {
  it('answers measured values at the textbook ranks', () => {
    const samples = [15, 20, 35, 40, 50];
    assert.equal(percentile(samples, 5), 15);
    assert.equal(percentile(samples, 30), 20);
    assert.equal(percentile(samples, 40), 20);
    assert.equal(percentile(samples, 50), 35);
    assert.equal(percentile(samples, 100), 50);
    assert.equal(percentile(samples, 0), 15);
  });

  it('does not depend on the order of the samples', () => {
    assert.equal(percentile([50, 15, 40, 20, 35], 99), 50);
    assert.equal(percentile([3, 1, 2], 50), 2);
  });

  it('is always a sample, with at least p% of the samples at or below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1 }),
        fc.integer({ min: 0, max: 100 }),
        (values, p) => {
          const answer = percentile(values, p);
          assert.ok(values.includes(answer));
          const atOrBelow = values.filter((value) => value <= answer).length;
          assert.ok(atOrBelow >= (p / 100) * values.length);
          const below = values.filter((value) => value < answer).length;
          assert.ok(below < Math.max(1, (p / 100) * values.length));
        },
      ),
    );
  });

  it('refuses no samples and percentiles outside 0..100', () => {
    assert.throws(() => percentile([], 50), RangeError);
    assert.throws(() => percentile([1], 101), RangeError);
    assert.throws(() => percentile([1], Number.NaN), RangeError);
  });
});

describe('median', () => {
  it('is the middle sample, and the lower middle one for an even count', () => {
    assert.equal(median([3_000, 1_000, 2_000]), 2_000);
    assert.equal(median([4, 1, 3, 2]), 2);
    assert.equal(median([7]), 7);
  });
});

describe('ratio', () => {
  it('is value over baseline to two decimals', () => {
    assert.equal(ratio(2_000, 1_000), 2);
    assert.equal(ratio(1_000, 3_000), 0.33);
    assert.equal(ratio(2_676, 1_000), 2.68);
  });

  it('is undefined without a usable baseline', () => {
    assert.equal(ratio(1_000, undefined), undefined);
    assert.equal(ratio(1_000, 0), undefined);
  });
});
