/**
 * One tenant's simulation: its layout, random stream, simulated clock, view of the aggregates and the
 * bookkeeping the flows share (patients, bookings in flight, the day's takings per branch, occupied beds).
 * The flows (setup, patients, bookings, visits, payments, ...) are functions over this object.
 */
import type { CommandService } from '../commands/command-service.ts';
import type { BOOKING_CHANNELS } from '../domain/booking/events.ts';
import type { Booking } from '../domain/booking/state.ts';
import type { OnboardedDoctor } from '../domain/doctor/state.ts';
import type { PaymentMethod } from '../domain/payment/payment-method.ts';
import { priceFor, ruleAt } from '../domain/pricing-policy/applicable-rule.ts';
import type { Money } from '../domain/shared/money.ts';
import type { Actor } from '../store/envelope.ts';
import { addDays, DEMO_START_DATE, localDateOf, localInstant } from './calendar.ts';
import { DemoCommands } from './demo-commands.ts';
import type { Random } from './random.ts';
import { Scheduler } from './scheduler.ts';
import type { Tally } from './tally.ts';
import type { ConsultationType, DoctorPlan, TenantLayout } from './tenant-layout.ts';
import { World } from './world.ts';

export const CURRENCY = 'INR';

export type BookingChannel = (typeof BOOKING_CHANNELS)[number];

export interface SimPatient {
  readonly patientId: string;
  readonly branchId: string;
  readonly insurance: { readonly payerId: string; readonly policyNumber: string } | null;
  /** Consents in force, by id; revoked ones are removed. */
  readonly consentIds: string[];
}

/** A follow-up a later booking is meant to fulfil. */
export interface FollowUpLink {
  readonly visitId: string;
  readonly followUpId: string;
  /** Whether keeping it counts towards adherence (it fell due well inside the period). */
  readonly countsForAdherence: boolean;
  /** Whether keeping it counts as a tele visit converted to an in-person one. */
  readonly countsForTeleConversion: boolean;
}

/** What the simulation remembers of a booking beside its domain state (see `World.bookings`). */
export interface BookingPlan {
  readonly bookingId: string;
  readonly paymentId: string;
  readonly patient: SimPatient;
  readonly channel: BookingChannel;
  readonly correlationId: string;
  readonly followUp: FollowUpLink | null;
  /** Bumped by every completed reschedule: actions planned for the old slot see it and stand down. */
  generation: number;
}

export interface Retiree {
  readonly bookingId: string | null;
  readonly paymentId: string;
}

export interface SimOptions {
  readonly seed: number;
  readonly days: number;
  /** Demand multiplier: 1 is a busy chain, below 1 a quieter (and faster to build) history. */
  readonly scale: number;
}

export class TenantSim {
  readonly clock: Scheduler;
  readonly world = new World();
  readonly commands: DemoCommands;
  readonly patients: SimPatient[] = [];
  readonly bookings = new Map<string, BookingPlan>();
  readonly occupiedBeds = new Set<string>();
  /** `branchId|date` → method → minor units taken that day. */
  readonly takings = new Map<string, Map<PaymentMethod, number>>();
  /** Date → bookings and payments to forget that morning (their last possible command is behind them). */
  private readonly retirements = new Map<string, Retiree[]>();
  private readonly serials = new Map<string, number>();

  constructor(
    readonly layout: TenantLayout,
    readonly random: Random,
    service: CommandService,
    readonly tally: Tally,
    readonly options: SimOptions,
  ) {
    this.clock = new Scheduler(localInstant(DEMO_START_DATE, 0));
    this.commands = new DemoCommands(service, layout.tenantId, options.seed, this.clock, this.world, tally);
  }

  get tenantId(): string {
    return this.layout.tenantId;
  }

  now(): Date {
    return this.clock.now();
  }

  today(): string {
    return localDateOf(this.clock.nowMs());
  }

  dayDate(day: number): string {
    return addDays(DEMO_START_DATE, day);
  }

  /** Whether `date` is a day of the simulated period (or before it). */
  withinPeriod(date: string): boolean {
    return date < this.dayDate(this.options.days);
  }

  nextId(prefix: string): string {
    const serial = (this.serials.get(prefix) ?? 0) + 1;
    this.serials.set(prefix, serial);
    return `${prefix}-${serial}`;
  }

  /** Runs `action` at a random minute between `from` and `to` (`HH:MM`) of `date`. */
  atRandomTime(date: string, from: string, to: string, action: () => Promise<void>): void {
    const start = localInstant(date, from);
    const end = localInstant(date, to);
    this.clock.at(start + Math.floor(this.random.next() * (end - start)), action);
  }

  doctor(doctorId: string): OnboardedDoctor | null {
    const state = this.world.doctors.get(doctorId);
    return state.status === 'onboarded' ? state : null;
  }

  /** Doctors onboarded and assigned to the branch (with their plan). */
  doctorsAt(branchId: string): DoctorPlan[] {
    return this.layout.doctors.filter((plan) => this.doctor(plan.doctorId)?.branchIds.includes(branchId));
  }

  branchIsActive(branchId: string): boolean {
    return this.world.branches.get(branchId).status === 'active';
  }

  activeBooking(bookingId: string): Booking | null {
    const state = this.world.bookings.get(bookingId);
    return state.status === 'active' ? state : null;
  }

  /** The consultation price in force now at the branch (walk-ins pay it; bookings carry their own). */
  priceNow(branchId: string, type: ConsultationType): Money | null {
    const branch = this.world.branches.get(branchId);
    if (branch.status === 'none') return null;
    const rule = ruleAt(this.world.policies.get(branch.pricingPolicyId), this.now());
    return rule === null ? null : (priceFor(rule, type)?.price ?? null);
  }

  patientAt(branchId: string): SimPatient {
    const local = this.patients.filter((patient) => patient.branchId === branchId);
    return this.random.chance(0.75) && local.length > 0
      ? this.random.pick(local)
      : this.random.pick(this.patients);
  }

  recordTakings(branchId: string, method: PaymentMethod, amountMinor: number): void {
    const key = `${branchId}|${this.today()}`;
    const day = this.takings.get(key) ?? new Map<PaymentMethod, number>();
    day.set(method, (day.get(method) ?? 0) + amountMinor);
    this.takings.set(key, day);
  }

  /** Forget a booking (and its payment), or a walk-in's payment, on `date`. */
  retireOn(date: string, retiree: Retiree): void {
    const list = this.retirements.get(date) ?? [];
    list.push(retiree);
    this.retirements.set(date, list);
  }

  /** Forgets what no command can touch any more from `date` on (the memory of a long run stays flat). */
  forgetBefore(date: string): void {
    for (const { bookingId, paymentId } of this.retirements.get(date) ?? []) {
      this.world.forget(bookingId, paymentId);
      if (bookingId !== null) this.bookings.delete(bookingId);
    }
    this.retirements.delete(date);
    this.world.forgetLedgersBefore(date);
  }

  readonly actors = {
    frontDesk: (branchId: string): Actor => ({
      id: `staff.${branchId}.front-desk`,
      kind: 'staff',
      role: 'front_desk',
    }),
    doctor: (doctorId: string): Actor => ({ id: doctorId, kind: 'doctor', role: 'doctor' }),
    patient: (patientId: string): Actor => ({ id: patientId, kind: 'patient', role: 'patient' }),
    finance: (): Actor => ({ id: 'staff.finance', kind: 'finance', role: 'finance' }),
    admin: (): Actor => ({ id: 'staff.admin', kind: 'staff', role: 'tenant_admin' }),
    gateway: (): Actor => ({ id: 'payment-gateway', kind: 'integration', role: 'integration' }),
    payer: (payerId: string): Actor => ({ id: payerId, kind: 'integration', role: 'integration' }),
  };
}
