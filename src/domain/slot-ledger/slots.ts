import { requireActiveBranch } from '../branch/guards.ts';
import type { BranchState } from '../branch/state.ts';
import { blocksOverlapping } from '../doctor/availability.ts';
import { requireAssigned } from '../doctor/guards.ts';
import { formatMinuteOfDay, isoWeekday, localDayClock, minuteOfDay } from '../doctor/local-time.ts';
import type { DoctorState, OnboardedDoctor } from '../doctor/state.ts';
import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { conflictingBooking, type SlotLedgerState } from './state.ts';

/**
 * Slots: the grid a doctor's weekly availability draws on one local date at one branch, and the guard every booking
 * and reschedule passes (whatever its channel). The listing for the demo generator and the portal uses the same
 * checks, so a slot listed as bookable is exactly a slot a booking would accept.
 */
const MS_PER_MINUTE = 60_000;

export interface Slot {
  /** The doctor's local date and times of day. */
  readonly date: string;
  readonly start: string;
  readonly end: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly timeZone: string;
}

export interface SlotRequest {
  readonly doctor: OnboardedDoctor;
  readonly branch: BranchState;
  readonly branchId: string;
  /** The doctor's ledger for `date`. */
  readonly ledger: SlotLedgerState;
  readonly date: string;
  readonly start: string;
  readonly now: Date;
  /** The booking being moved: its own reservation is not a conflict. */
  readonly movingBookingId: string | null;
}

/** The slot, or a DomainRuleError saying why it cannot be booked. */
export function guardSlot(request: SlotRequest): Slot {
  const { doctor, branch, branchId, date, start } = request;
  requireActiveBranch(branch, branchId);
  requireAssigned(doctor, branchId);
  const slot = slotsOfDay(doctor, branchId, date).find((candidate) => candidate.start === start);
  if (slot === undefined) {
    throw new DomainRuleError('SLOT_OUTSIDE_AVAILABILITY', 'the doctor has no such slot at this branch', {
      doctorId: doctor.doctorId,
      branchId,
      date,
      start,
      weekday: isoWeekday(date),
    });
  }
  const refusal = timeRefusal(doctor, request.ledger, slot, request.now, request.movingBookingId);
  if (refusal !== null) throw refusal();
  return slot;
}

/** Every slot of the doctor at the branch on the date that a booking made at `now` would get. */
export function bookableSlots(input: {
  readonly doctor: DoctorState;
  readonly branch: BranchState;
  readonly branchId: string;
  readonly ledger: SlotLedgerState;
  readonly date: string;
  readonly now: Date;
}): Slot[] {
  const { doctor, branch, branchId } = input;
  if (doctor.status !== 'onboarded' || branch.status !== 'active' || !doctor.branchIds.includes(branchId))
    return [];
  return slotsOfDay(doctor, branchId, input.date).filter(
    (slot) => timeRefusal(doctor, input.ledger, slot, input.now, null) === null,
  );
}

/**
 * The grid of the date's weekday at the branch, before blocks and reservations. On a day the doctor's clock changes,
 * a slot that would start or end in skipped time, or straddle the change, is not offered.
 */
export function slotsOfDay(doctor: OnboardedDoctor, branchId: string, date: string): Slot[] {
  const weekday = isoWeekday(date);
  const windows = (doctor.availability[branchId] ?? []).filter((window) => window.weekday === weekday);
  if (windows.length === 0) return [];
  const clock = localDayClock(date, doctor.timeZone);
  const slots: Slot[] = [];
  for (const window of windows) {
    const end = minuteOfDay(window.end);
    for (let from = minuteOfDay(window.start); from + window.slotMinutes <= end; from += window.slotMinutes) {
      const to = from + window.slotMinutes;
      const startsAtMs = clock(from);
      const endsAtMs = clock(to);
      // NaN (skipped time) fails this comparison too.
      if (endsAtMs - startsAtMs !== window.slotMinutes * MS_PER_MINUTE) continue;
      slots.push({
        date,
        start: formatMinuteOfDay(from),
        end: formatMinuteOfDay(to),
        startsAt: new Date(startsAtMs).toISOString(),
        endsAt: new Date(endsAtMs).toISOString(),
        timeZone: doctor.timeZone,
      });
    }
  }
  return slots;
}

/**
 * Why the slot cannot be booked, or null. A recipe for the error rather than the error: listing slots refuses
 * every booked or blocked one, and building an error (with its stack trace) for each took a sixth of a
 * portal_slots_view rebuild's time.
 */
function timeRefusal(
  doctor: OnboardedDoctor,
  ledger: SlotLedgerState,
  slot: Slot,
  now: Date,
  movingBookingId: string | null,
): (() => DomainRuleError) | null {
  const startsAtMs = Date.parse(slot.startsAt);
  const endsAtMs = Date.parse(slot.endsAt);
  const facts = () => ({
    doctorId: doctor.doctorId,
    date: slot.date,
    start: slot.start,
    startsAt: slot.startsAt,
  });
  if (startsAtMs <= now.getTime()) {
    return () => new DomainRuleError('SLOT_IN_PAST', 'the slot has already started', facts());
  }
  const blockIds = blocksOverlapping(doctor, startsAtMs, endsAtMs);
  if (blockIds.length > 0) {
    return () =>
      new DomainRuleError('SLOT_BLOCKED', 'the doctor is blocked at this time', { ...facts(), blockIds });
  }
  // The other booking's id is left out of the facts: the refusal may reach a portal user.
  if (conflictingBooking(ledger, startsAtMs, endsAtMs, movingBookingId) !== null) {
    return () =>
      new DomainRuleError('SLOT_ALREADY_BOOKED', 'the doctor is already booked at this time', facts());
  }
  return null;
}
