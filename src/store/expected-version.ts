/**
 * What the writer believes about a stream before appending (seed §7, optimistic concurrency).
 * - `any`: no check.
 * - `no_stream`: the stream must not exist yet.
 * - `stream_exists`: the stream must have at least one event.
 * - a number: the stream's current version must be exactly this (0 = empty).
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

export function describeExpected(expected: ExpectedVersion): string {
  return typeof expected === 'number' ? `version ${expected}` : expected;
}
