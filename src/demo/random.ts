/**
 * The demo's only source of randomness: xoshiro128** seeded from a SHA-256 of its labels, so one seed always
 * draws the same numbers, and `fork` gives each tenant (or concern) a stream of its own that does not shift
 * when another stream draws more or less.
 */
import { createHash } from 'node:crypto';

export class Random {
  private readonly state: Uint32Array;

  private constructor(state: Uint32Array) {
    this.state = state;
  }

  /** A generator determined by its labels alone (`Random.of(seed, 'tenant', 3)`). */
  static of(...labels: readonly (string | number)[]): Random {
    const digest = createHash('sha256').update(labels.map(String).join('\u0000')).digest();
    const state = new Uint32Array(4);
    for (let i = 0; i < 4; i++) state[i] = digest.readUInt32LE(i * 4);
    // The all-zero state is the one xoshiro cannot leave; SHA-256 will not produce it in practice.
    if (state.every((word) => word === 0)) state[0] = 1;
    return new Random(state);
  }

  /** An independent generator derived from this one's next draws and a label. */
  fork(label: string | number): Random {
    return Random.of(this.uint32(), this.uint32(), label);
  }

  /** 32 random bits (xoshiro128**). */
  uint32(): number {
    const s = this.state;
    let [s0, s1, s2, s3] = [s[0]!, s[1]!, s[2]!, s[3]!];
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4_294_967_296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One of the values, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.next() * total;
    for (const [value, weight] of entries) {
      point -= weight;
      if (point < 0) return value;
    }
    const last = entries.at(-1);
    if (last === undefined) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** A Poisson-distributed count with mean `mean` (Knuth's method; the demo's means are small). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    const limit = Math.exp(-mean);
    let count = 0;
    for (let product = this.next(); product > limit; product *= this.next()) count++;
    return count;
  }
}

function rotl(value: number, shift: number): number {
  return ((value << shift) | (value >>> (32 - shift))) >>> 0;
}
