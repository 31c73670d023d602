/**
 * What the simulation knows of the aggregates it must choose from (branches, doctors, slot ledgers, pricing
 * policies, bookings, payments): the same states the deciders use, folded from the events each accepted
 * command returned. Choosing a slot with `bookableSlots` over this view is choosing exactly what a booking
 * would accept, without reading the store back.
 */
import type { RoutedEvent } from '../commands/command-shell.ts';
import { evolveBooking, initialBookingState, type BookingState } from '../domain/booking/state.ts';
import { evolveBranch, initialBranchState, type BranchState } from '../domain/branch/state.ts';
import { evolveDoctor, initialDoctorState, type DoctorState } from '../domain/doctor/state.ts';
import { evolvePayment, initialPaymentState, type PaymentState } from '../domain/payment/state.ts';
import {
  evolvePricingPolicy,
  initialPricingPolicyState,
  type PricingPolicyState,
} from '../domain/pricing-policy/state.ts';
import {
  AGGREGATE_TYPE as SLOT_LEDGER,
  evolveSlotLedger,
  initialSlotLedgerState,
  ledgerIdOf,
  type SlotLedgerState,
} from '../domain/slot-ledger/state.ts';

class Folded<State> {
  readonly byId = new Map<string, State>();

  constructor(
    private readonly initial: () => State,
    private readonly evolve: (state: State, event: never) => State,
  ) {}

  get(id: string): State {
    return this.byId.get(id) ?? this.initial();
  }

  apply(id: string, event: RoutedEvent): void {
    this.byId.set(id, this.evolve(this.get(id), event as never));
  }
}

export class World {
  readonly branches = new Folded<BranchState>(initialBranchState, evolveBranch);
  readonly doctors = new Folded<DoctorState>(initialDoctorState, evolveDoctor);
  readonly policies = new Folded<PricingPolicyState>(initialPricingPolicyState, evolvePricingPolicy);
  readonly ledgers = new Folded<SlotLedgerState>(initialSlotLedgerState, evolveSlotLedger);
  readonly bookings = new Folded<BookingState>(initialBookingState, evolveBooking);
  readonly payments = new Folded<PaymentState>(initialPaymentState, evolvePayment);
  private readonly folds: Readonly<Record<string, Pick<Folded<unknown>, 'apply'>>> = {
    branch: this.branches,
    doctor: this.doctors,
    pricing_policy: this.policies,
    [SLOT_LEDGER]: this.ledgers,
    booking: this.bookings,
    payment: this.payments,
  };

  apply(events: readonly RoutedEvent[]): void {
    for (const event of events)
      this.folds[event.stream.aggregateType]?.apply(event.stream.aggregateId, event);
  }

  ledger(doctorId: string, date: string): SlotLedgerState {
    return this.ledgers.get(ledgerIdOf(doctorId, date));
  }

  /** Forgets ledgers of days before `date`: no booking or reschedule can reach them any more. */
  forgetLedgersBefore(date: string): void {
    for (const id of this.ledgers.byId.keys())
      if (id.slice(id.lastIndexOf(':') + 1) < date) this.ledgers.byId.delete(id);
  }

  /** Forgets a booking (if any) and a payment once the simulation will send them no more commands. */
  forget(bookingId: string | null, paymentId: string): void {
    if (bookingId !== null) this.bookings.byId.delete(bookingId);
    this.payments.byId.delete(paymentId);
  }
}
