import { initialBranchState, type BranchState } from '../branch/state.ts';
import { initialDoctorState, type DoctorState } from '../doctor/state.ts';
import { initialPatientState, type PatientState } from '../patient/state.ts';
import { initialPricingPolicyState, type PricingPolicyState } from '../pricing-policy/state.ts';
import { MyMedicError } from '../../shared/errors.ts';
import type { SlotLedgerEvent } from '../slot-ledger/events.ts';
import {
  AGGREGATE_TYPE as SLOT_LEDGER,
  evolveSlotLedger,
  initialSlotLedgerState,
  ledgerIdOf,
  type SlotLedgerState,
} from '../slot-ledger/state.ts';
import type { BookingCommand } from './commands.ts';
import type { BookingEvent } from './events.ts';
import { evolveBooking, initialBookingState, type BookingState } from './state.ts';

/**
 * The input and output of a booking decision. A booking's own stream cannot see the other bookings of its slot,
 * so the decision also reads the doctor, branch, pricing policy, patient and the doctor's slot ledger(s) of the
 * day(s) involved, and writes to the booking stream AND the ledger stream(s). Each event says which stream it goes
 * to; the shell appends them in one multi-stream transaction, with the exact expected version of every ledger it
 * reserves in, so two racing bookings of overlapping time cannot both commit.
 *
 * Loading: see `schedulingInputs`. The pricing policy to load is the one the branch names.
 */
export interface SchedulingState {
  readonly booking: BookingState;
  readonly patient: PatientState;
  readonly doctor: DoctorState;
  readonly branch: BranchState;
  readonly pricingPolicy: PricingPolicyState;
  /** Ledger id (`ledgerIdOf`) → state; an empty stream is `initialSlotLedgerState()`, never left out. */
  readonly ledgers: Readonly<Record<string, SlotLedgerState>>;
}

export interface StreamRef<A extends string = string> {
  readonly aggregateType: A;
  readonly aggregateId: string;
}

type ToBooking = BookingEvent & { readonly stream: StreamRef<'booking'> };
type ToLedger = SlotLedgerEvent & { readonly stream: StreamRef<typeof SLOT_LEDGER> };

/** A domain event plus the stream it must be appended to. */
export type SchedulingEvent = ToBooking | ToLedger;

export const initialSchedulingState = (): SchedulingState => ({
  booking: initialBookingState(),
  patient: initialPatientState(),
  doctor: initialDoctorState(),
  branch: initialBranchState(),
  pricingPolicy: initialPricingPolicyState(),
  ledgers: {},
});

export function toBookingStream(bookingId: string, event: BookingEvent): SchedulingEvent {
  return { ...event, stream: { aggregateType: 'booking', aggregateId: bookingId } };
}

export function toLedgerStream(event: SlotLedgerEvent): SchedulingEvent {
  const aggregateId = ledgerIdOf(event.data.doctorId, event.data.date);
  return { ...event, stream: { aggregateType: SLOT_LEDGER, aggregateId } };
}

const isLedgerEvent = (event: SchedulingEvent): event is ToLedger =>
  event.stream.aggregateType === SLOT_LEDGER;

/** Applies an event to the part of the state its stream feeds; the read-only inputs never change here. */
export function evolveScheduling(state: SchedulingState, event: SchedulingEvent): SchedulingState {
  if (isLedgerEvent(event)) {
    const id = event.stream.aggregateId;
    const ledger = evolveSlotLedger(state.ledgers[id] ?? initialSlotLedgerState(), event);
    return { ...state, ledgers: { ...state.ledgers, [id]: ledger } };
  }
  return { ...state, booking: evolveBooking(state.booking, event) };
}

export function requireLedger(state: SchedulingState, ledgerId: string): SlotLedgerState {
  const ledger = state.ledgers[ledgerId];
  if (ledger === undefined) {
    // Treating a missing ledger as empty would let a double booking through: this is a caller bug.
    throw new MyMedicError('INPUT_STATE_MISSING', 'the slot ledger this decision needs was not loaded', {
      aggregateType: SLOT_LEDGER,
      aggregateId: ledgerId,
    });
  }
  return ledger;
}

/** What the shell loads before deciding `command` (besides the booking stream itself). */
export interface SchedulingInputs {
  readonly patientId: string | null;
  readonly doctorId: string | null;
  readonly branchId: string | null;
  /** Load the pricing policy the branch names (its id is in the branch state). */
  readonly pricingPolicyOfBranch: boolean;
  /**
   * Ledgers the decision reads or writes. Reservations must be appended with the exact version loaded; a ledger
   * that only receives a release may be appended with any version (a release can never create a conflict).
   */
  readonly ledgerIds: readonly string[];
}

export function schedulingInputs(command: BookingCommand, booking: BookingState): SchedulingInputs {
  const none: SchedulingInputs = {
    patientId: null,
    doctorId: null,
    branchId: null,
    pricingPolicyOfBranch: false,
    ledgerIds: [],
  };
  if (command.type === 'CreateBooking') {
    return {
      patientId: command.patientId,
      doctorId: command.doctorId,
      branchId: command.branchId,
      pricingPolicyOfBranch: true,
      ledgerIds: [ledgerIdOf(command.doctorId, command.slot.date)],
    };
  }
  if (booking.status === 'none') return none;
  const current = ledgerIdOf(booking.doctorId, booking.slot.date);
  switch (command.type) {
    case 'CancelBooking':
      return { ...none, ledgerIds: [current] };
    case 'CompleteReschedule': {
      const target = ledgerIdOf(booking.doctorId, command.slot.date);
      return {
        ...none,
        doctorId: booking.doctorId,
        branchId: booking.branchId,
        ledgerIds: target === current ? [current] : [current, target],
      };
    }
    default:
      return none;
  }
}
