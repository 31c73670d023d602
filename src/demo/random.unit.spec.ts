import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Random } from './random.ts';

const draws = (random: Random, count: number) => Array.from({ length: count }, () => random.uint32());

describe('the demo random stream', () => {
  it('draws the same numbers from the same labels, and others from other labels', () => {
    assert.deepEqual(draws(Random.of('seed', 1), 50), draws(Random.of('seed', 1), 50));
    assert.notDeepEqual(draws(Random.of('seed', 1), 50), draws(Random.of('seed', 2), 50));
  });

  it('forks streams that do not depend on how much the parent draws afterwards', () => {
    const a = Random.of('parent');
    const b = Random.of('parent');
    const forkA = a.fork('child');
    const forkB = b.fork('child');
    draws(b, 10);
    assert.deepEqual(draws(forkA, 20), draws(forkB, 20));
  });

  it('keeps int, between and pick inside their bounds', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (label, min, span) => {
        const random = Random.of(label);
        const value = random.int(min, min + span);
        const real = random.between(min, min + span + 1);
        const picked = random.pick(['a', 'b', 'c']);
        return (
          Number.isInteger(value) &&
          value >= min &&
          value <= min + span &&
          real >= min &&
          real < min + span + 1 &&
          ['a', 'b', 'c'].includes(picked)
        );
      }),
    );
  });

  it('spreads its draws evenly and its Poisson counts around the mean', () => {
    const random = Random.of('spread');
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) buckets[Math.floor(random.next() * 10)]!++;
    for (const count of buckets) assert.ok(Math.abs(count - 2_000) < 200, `bucket holds ${count}`);
    let sum = 0;
    for (let i = 0; i < 5_000; i++) sum += random.poisson(3);
    assert.ok(Math.abs(sum / 5_000 - 3) < 0.15, `mean ${sum / 5_000}`);
    assert.equal(random.weighted([['only', 1]]), 'only');
  });
});
