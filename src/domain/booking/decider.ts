import { requireActiveBranch } from '../branch/guards.ts';
import { requireDoctor } from '../doctor/guards.ts';
import type { PatientState } from '../patient/state.ts';
import { priceFor, ruleAt } from '../pricing-policy/applicable-rule.ts';
import type { PricingPolicyState } from '../pricing-policy/state.ts';
import type { Decider } from '../shared/decider.ts';
import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { requireSameInstance } from '../shared/input-state-mismatch.ts';
import { invalidTransition } from '../shared/invalid-transition.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import { slotReleased, slotReserved } from '../slot-ledger/events.ts';
import { guardSlot, type Slot } from '../slot-ledger/slots.ts';
import { ledgerIdOf } from '../slot-ledger/state.ts';
import type { BookingCommand } from './commands.ts';
import {
  bookingCancelled,
  bookingCreated,
  bookingNoShow,
  bookingUpdated,
  rescheduleCompleted,
  rescheduleRefused,
  rescheduleRequested,
  type AppliedPricing,
} from './events.ts';
import {
  evolveScheduling,
  initialSchedulingState,
  requireLedger,
  toBookingStream,
  toLedgerStream,
  type SchedulingEvent,
  type SchedulingState,
} from './scheduling-state.ts';
import type { Booking } from './state.ts';

const MS_PER_MINUTE = 60_000;

/**
 * Booking decisions over the composite scheduling state. Every new or moved slot passes the same guard whatever
 * the channel: active branch, doctor assigned there, inside the weekly availability grid, in the future, outside
 * every block, and free in the doctor's ledger of that day. A booking is active until cancelled (before its slot)
 * or marked no-show (after its start); at most one reschedule request is open at a time.
 */
function decideScheduling(command: BookingCommand, state: SchedulingState): readonly SchedulingEvent[] {
  switch (command.type) {
    case 'CreateBooking':
      return createBooking(command, state);
    case 'UpdateBooking': {
      const booking = requireActive(state, command);
      const event = emit(bookingUpdated, {
        bookingId: booking.bookingId,
        patientId: booking.patientId,
        reasonForVisit:
          command.reasonForVisit === undefined ? booking.reasonForVisit : command.reasonForVisit,
        notes: command.notes === undefined ? booking.notes : command.notes,
      });
      if (event.data.reasonForVisit === booking.reasonForVisit && event.data.notes === booking.notes) {
        throw new DomainRuleError('BOOKING_UPDATE_NO_CHANGE', 'the update changes nothing', {
          bookingId: booking.bookingId,
        });
      }
      return [toBookingStream(booking.bookingId, event)];
    }
    case 'CancelBooking': {
      const booking = requireActive(state, command);
      const msBeforeStart = requireNotStarted(booking, command.now);
      const window = booking.pricing.cancellationWindowMinutes;
      const cancelled = emit(bookingCancelled, {
        ...partiesOf(booking),
        initiatedBy: command.initiatedBy,
        reasonCode: command.reasonCode,
        slotStartsAt: booking.slot.startsAt,
        minutesBeforeStart: Math.floor(msBeforeStart / MS_PER_MINUTE),
        cancellationWindowMinutes: window,
        late: command.initiatedBy === 'patient' && msBeforeStart < window * MS_PER_MINUTE,
        deposit: booking.pricing.deposit,
        portalRequestId: command.portalRequestId,
      });
      return [
        ...closePendingReschedule(booking, 'BOOKING_CANCELLED'),
        toBookingStream(booking.bookingId, cancelled),
        release(booking, 'cancelled'),
      ];
    }
    case 'MarkBookingNoShow': {
      const booking = requireActive(state, command);
      if (command.now.getTime() < Date.parse(booking.slot.startsAt)) {
        throw new DomainRuleError(
          'BOOKING_NOT_STARTED',
          'a no-show is recorded only once the slot has started',
          {
            bookingId: booking.bookingId,
            slotStartsAt: booking.slot.startsAt,
          },
        );
      }
      const noShow = emit(bookingNoShow, {
        ...partiesOf(booking),
        slotStartsAt: booking.slot.startsAt,
        deposit: booking.pricing.deposit,
      });
      return [
        ...closePendingReschedule(booking, 'BOOKING_NO_SHOW'),
        toBookingStream(booking.bookingId, noShow),
      ];
    }
    case 'RequestReschedule': {
      const booking = requireActive(state, command);
      requireNotStarted(booking, command.now);
      if (booking.pendingRescheduleId !== null) {
        throw new DomainRuleError('RESCHEDULE_ALREADY_PENDING', 'a reschedule request is already open', {
          bookingId: booking.bookingId,
          requestId: booking.pendingRescheduleId,
        });
      }
      const { requestId, requestedBy, preferredSlot, portalRequestId } = command;
      const requested = emit(rescheduleRequested, {
        bookingId: booking.bookingId,
        patientId: booking.patientId,
        requestId,
        requestedBy,
        preferredSlot: preferredSlot === null ? null : { ...preferredSlot },
        portalRequestId,
      });
      return [toBookingStream(booking.bookingId, requested)];
    }
    case 'CompleteReschedule':
      return completeReschedule(command, state);
    case 'RefuseReschedule': {
      const booking = requireActive(state, command);
      requirePending(booking, command.requestId);
      return closePendingReschedule(booking, command.reasonCode);
    }
  }
}

function createBooking(
  command: Extract<BookingCommand, { type: 'CreateBooking' }>,
  state: SchedulingState,
): SchedulingEvent[] {
  if (state.booking.status !== 'none') throw invalidTransition('booking', state.booking.status, command.type);
  requirePatient(state.patient, command.patientId);
  const branch = requireActiveBranch(state.branch, command.branchId);
  const doctor = requireDoctor(state.doctor, command.doctorId);
  const slot = guardSlot({
    doctor,
    branch,
    branchId: command.branchId,
    ledger: requireLedger(state, ledgerIdOf(doctor.doctorId, command.slot.date)),
    date: command.slot.date,
    start: command.slot.start,
    now: command.now,
    movingBookingId: null,
  });
  const created = emit(bookingCreated, {
    bookingId: command.bookingId,
    patientId: command.patientId,
    doctorId: command.doctorId,
    branchId: command.branchId,
    channel: command.channel,
    consultationType: command.consultationType,
    slot,
    pricing: applicablePricing(
      branch.pricingPolicyId,
      state.pricingPolicy,
      command.consultationType,
      command.now,
    ),
    reasonForVisit: command.reasonForVisit,
    portalRequestId: command.portalRequestId,
  });
  return [toBookingStream(command.bookingId, created), reserve(created.data, slot)];
}

function completeReschedule(
  command: Extract<BookingCommand, { type: 'CompleteReschedule' }>,
  state: SchedulingState,
): SchedulingEvent[] {
  const booking = requireActive(state, command);
  requirePending(booking, command.requestId);
  if (command.slot.date === booking.slot.date && command.slot.start === booking.slot.start) {
    throw new DomainRuleError('RESCHEDULE_SAME_SLOT', 'the booking already holds this slot', {
      bookingId: booking.bookingId,
      ...command.slot,
    });
  }
  const doctor = requireDoctor(state.doctor, booking.doctorId);
  const slot = guardSlot({
    doctor,
    branch: state.branch,
    branchId: booking.branchId,
    ledger: requireLedger(state, ledgerIdOf(doctor.doctorId, command.slot.date)),
    date: command.slot.date,
    start: command.slot.start,
    now: command.now,
    movingBookingId: booking.bookingId,
  });
  const completed = emit(rescheduleCompleted, {
    bookingId: booking.bookingId,
    patientId: booking.patientId,
    requestId: command.requestId,
    doctorId: booking.doctorId,
    branchId: booking.branchId,
    from: booking.slot,
    to: slot,
  });
  // Release before reserve: when both land in the same ledger, the booking must not hold two slots at once.
  return [
    release(booking, 'rescheduled'),
    reserve(booking, slot),
    toBookingStream(booking.bookingId, completed),
  ];
}

/** The pricing-policy version in force at booking time and the price of the consultation type under it. */
function applicablePricing(
  policyId: string,
  policy: PricingPolicyState,
  consultationType: string,
  now: Date,
): AppliedPricing {
  if (policy.status === 'active') requireSameInstance('pricing_policy', policyId, policy.policyId);
  const rule = ruleAt(policy, now);
  if (rule === null) {
    throw new DomainRuleError('PRICING_RULE_NOT_IN_EFFECT', 'the branch has no pricing rule in force', {
      policyId,
      at: toInstant(now),
    });
  }
  const entry = priceFor(rule, consultationType);
  if (entry === null) {
    throw new DomainRuleError(
      'CONSULTATION_TYPE_NOT_PRICED',
      'the pricing rule does not price this consultation',
      {
        policyId,
        version: rule.version,
        consultationType,
      },
    );
  }
  return {
    policyId,
    version: rule.version,
    effectiveFrom: rule.effectiveFrom,
    price: entry.price,
    deposit: entry.deposit,
    cancellationWindowMinutes: rule.cancellationWindowMinutes,
  };
}

function requirePatient(patient: PatientState, patientId: string): void {
  if (patient.status === 'none') {
    throw new DomainRuleError('PATIENT_NOT_REGISTERED', 'no such patient', { patientId });
  }
  requireSameInstance('patient', patientId, patient.patientId);
}

function requireActive(state: SchedulingState, command: { type: string; bookingId: string }): Booking {
  const booking = state.booking;
  if (booking.status === 'none') throw invalidTransition('booking', 'none', command.type);
  requireSameInstance('booking', command.bookingId, booking.bookingId);
  if (booking.status !== 'active') throw invalidTransition('booking', booking.status, command.type);
  return booking;
}

/** Milliseconds left before the slot starts; none left means the booking can no longer be cancelled or moved. */
function requireNotStarted(booking: Booking, now: Date): number {
  const msBeforeStart = Date.parse(booking.slot.startsAt) - now.getTime();
  if (msBeforeStart <= 0) {
    throw new DomainRuleError(
      'BOOKING_ALREADY_STARTED',
      'the slot has started; record a no-show or a visit instead',
      {
        bookingId: booking.bookingId,
        slotStartsAt: booking.slot.startsAt,
      },
    );
  }
  return msBeforeStart;
}

function requirePending(booking: Booking, requestId: string): void {
  if (booking.pendingRescheduleId !== requestId) {
    throw new DomainRuleError('RESCHEDULE_NOT_PENDING', 'no open reschedule request with this id', {
      bookingId: booking.bookingId,
      requestId,
      pendingRequestId: booking.pendingRescheduleId,
    });
  }
}

function closePendingReschedule(booking: Booking, reasonCode: string): SchedulingEvent[] {
  if (booking.pendingRescheduleId === null) return [];
  const refused = emit(rescheduleRefused, {
    bookingId: booking.bookingId,
    patientId: booking.patientId,
    requestId: booking.pendingRescheduleId,
    reasonCode,
  });
  return [toBookingStream(booking.bookingId, refused)];
}

function reserve(
  booking: { bookingId: string; doctorId: string; branchId: string },
  slot: Slot,
): SchedulingEvent {
  const { bookingId, doctorId, branchId } = booking;
  const { date, startsAt, endsAt } = slot;
  return toLedgerStream(emit(slotReserved, { doctorId, date, bookingId, branchId, startsAt, endsAt }));
}

function release(booking: Booking, reason: 'cancelled' | 'rescheduled'): SchedulingEvent {
  const { bookingId, doctorId } = booking;
  return toLedgerStream(emit(slotReleased, { doctorId, date: booking.slot.date, bookingId, reason }));
}

const partiesOf = ({ bookingId, patientId, doctorId, branchId }: Booking) => ({
  bookingId,
  patientId,
  doctorId,
  branchId,
});

export const bookingDecider: Decider<BookingCommand, SchedulingState, SchedulingEvent> = {
  initialState: initialSchedulingState,
  decide: decideScheduling,
  evolve: evolveScheduling,
};
