/** Order statistics for benchmark samples: medians of runs and latency percentiles. */

/** The middle value; for an even count, the lower of the two middle values (an observed sample, not a blend). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/**
 * Nearest-rank percentile (`p` in 0..100): the smallest sample with at least p% of the samples at or below it,
 * so the answer is always a value that was actually measured.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile out of range: ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** How many times faster `value` is than `baseline`, to two decimals; undefined without a usable baseline. */
export function ratio(value: number, baseline: number | undefined): number | undefined {
  if (baseline === undefined || !(baseline > 0)) return undefined;
  return Math.round((value / baseline) * 100) / 100;
}
