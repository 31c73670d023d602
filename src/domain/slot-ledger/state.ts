import type { SlotLedgerEvent } from './events.ts';

/**
 * The slot ledger has no commands of its own: booking decisions write to it (see booking/decider.ts). This is its
 * state, rebuilt from its stream, and the one question asked of it.
 */
export interface Reservation {
  readonly branchId: string;
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface SlotLedgerState {
  /** Booking id → the time it holds. */
  readonly reservations: Readonly<Record<string, Reservation>>;
}

export const AGGREGATE_TYPE = 'slot_ledger';

/** Stream id of a doctor's ledger for a local date. */
export const ledgerIdOf = (doctorId: string, date: string): string => `${doctorId}:${date}`;

export const initialSlotLedgerState = (): SlotLedgerState => ({ reservations: {} });

export function evolveSlotLedger(state: SlotLedgerState, event: SlotLedgerEvent): SlotLedgerState {
  switch (event.type) {
    case 'slot.reserved': {
      const { bookingId, branchId, startsAt, endsAt } = event.data;
      return { reservations: { ...state.reservations, [bookingId]: { branchId, startsAt, endsAt } } };
    }
    case 'slot.released': {
      const { [event.data.bookingId]: _released, ...reservations } = state.reservations;
      return { reservations };
    }
  }
}

/** The first booking (other than `exceptBookingId`) whose time overlaps [startsAtMs, endsAtMs), or null. */
export function conflictingBooking(
  ledger: SlotLedgerState,
  startsAtMs: number,
  endsAtMs: number,
  exceptBookingId: string | null,
): string | null {
  for (const [bookingId, held] of Object.entries(ledger.reservations)) {
    if (bookingId === exceptBookingId) continue;
    if (Date.parse(held.startsAt) < endsAtMs && startsAtMs < Date.parse(held.endsAt)) return bookingId;
  }
  return null;
}
