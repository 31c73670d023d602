/** The figures MyMedic's store must reach, from the issue that asked for this benchmark. */
import type { WorkloadId } from './plan.ts';

export interface Target {
  readonly minRatioVsEmmett?: number;
  readonly minRatioVsRaw?: number;
  readonly minEventsPerS?: number;
  readonly maxMissed?: number;
  readonly maxP99Ms?: number;
}

/** Targets apply to MyMedic on PostgreSQL; the other rows are the baselines they are measured against. */
export const MYMEDIC_TARGETS: Partial<Record<WorkloadId, Target>> = {
  'single-appends': { minRatioVsEmmett: 2, minRatioVsRaw: 0.8 },
  'batch-appends': { minRatioVsEmmett: 2 },
  'read-log': { minEventsPerS: 200_000, maxMissed: 0 },
  // Issue 4: a full rebuild of every read model, and live projections' lag behind a steady append load.
  rebuild: { minEventsPerS: 50_000 },
  'subscription-lag': { maxP99Ms: 50 },
};

export interface TargetFacts {
  readonly eventsPerS: number;
  readonly ratioVsEmmett?: number | undefined;
  readonly ratioVsRaw?: number | undefined;
  readonly missed?: number | undefined;
  readonly p99Ms?: number | undefined;
}

export function describeTarget(target: Target): string {
  const parts: string[] = [];
  if (target.minRatioVsEmmett !== undefined) parts.push(`>= ${target.minRatioVsEmmett}x emmett`);
  if (target.minRatioVsRaw !== undefined) parts.push(`>= ${target.minRatioVsRaw}x raw`);
  if (target.minEventsPerS !== undefined) parts.push(`>= ${target.minEventsPerS} events/s`);
  if (target.maxMissed !== undefined)
    parts.push(target.maxMissed === 0 ? '0 missed' : `<= ${target.maxMissed} missed`);
  if (target.maxP99Ms !== undefined) parts.push(`p99 <= ${target.maxP99Ms} ms`);
  return parts.join(', ');
}

/** A bound whose figure is missing (its baseline failed to run) is not met: nothing was shown. */
export function meetsTarget(target: Target, facts: TargetFacts): boolean {
  const atLeast = (value: number | undefined, bound: number | undefined) =>
    bound === undefined || (value !== undefined && value >= bound);
  const atMost = (value: number | undefined, bound: number | undefined) =>
    bound === undefined || (value !== undefined && value <= bound);
  return (
    atLeast(facts.ratioVsEmmett, target.minRatioVsEmmett) &&
    atLeast(facts.ratioVsRaw, target.minRatioVsRaw) &&
    atLeast(facts.eventsPerS, target.minEventsPerS) &&
    atMost(facts.missed, target.maxMissed) &&
    atMost(facts.p99Ms, target.maxP99Ms)
  );
}
