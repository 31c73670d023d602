import type { AvailabilityWindow } from './events.ts';
import { minuteOfDay } from './local-time.ts';
import type { OnboardedDoctor } from './state.ts';

/** Pure questions about a doctor's weekly availability and blocks, shared by the doctor and booking decisions. */

export interface WindowClash {
  readonly branchId: string;
  readonly window: AvailabilityWindow;
  readonly clashesWith: { readonly branchId: string; readonly window: AvailabilityWindow };
}

/**
 * The first pair of windows that would overlap on the same weekday if `branchId` got `windows`: a doctor cannot
 * be at two branches, or hold two slot grids at one branch, at once.
 */
export function findWindowClash(
  doctor: OnboardedDoctor,
  branchId: string,
  windows: readonly AvailabilityWindow[],
): WindowClash | null {
  const others = Object.entries(doctor.availability)
    .filter(([otherBranchId]) => otherBranchId !== branchId)
    .flatMap(([otherBranchId, list]) => list.map((window) => ({ branchId: otherBranchId, window })));
  const proposed = windows.map((window) => ({ branchId, window }));
  for (const [index, candidate] of proposed.entries()) {
    for (const other of [...proposed.slice(index + 1), ...others]) {
      if (windowsOverlap(candidate.window, other.window)) return { ...candidate, clashesWith: other };
    }
  }
  return null;
}

export function sortWindows(windows: readonly AvailabilityWindow[]): AvailabilityWindow[] {
  return [...windows].sort((a, b) => a.weekday - b.weekday || minuteOfDay(a.start) - minuteOfDay(b.start));
}

/** The block ids that overlap [startsAtMs, endsAtMs). */
export function blocksOverlapping(doctor: OnboardedDoctor, startsAtMs: number, endsAtMs: number): string[] {
  return Object.entries(doctor.blocks)
    .filter(([, block]) => Date.parse(block.startsAt) < endsAtMs && startsAtMs < Date.parse(block.endsAt))
    .map(([blockId]) => blockId);
}

function windowsOverlap(a: AvailabilityWindow, b: AvailabilityWindow): boolean {
  return (
    a.weekday === b.weekday &&
    minuteOfDay(a.start) < minuteOfDay(b.end) &&
    minuteOfDay(b.start) < minuteOfDay(a.end)
  );
}
