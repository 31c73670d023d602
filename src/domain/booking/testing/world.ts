import { branchDecider } from '../../branch/decider.ts';
import type { BranchState } from '../../branch/state.ts';
import { doctorDecider } from '../../doctor/decider.ts';
import type { AvailabilityWindow } from '../../doctor/events.ts';
import type { DoctorState } from '../../doctor/state.ts';
import { patientDecider } from '../../patient/decider.ts';
import type { PatientState } from '../../patient/state.ts';
import { pricingPolicyDecider } from '../../pricing-policy/decider.ts';
import type { PricingPolicyState } from '../../pricing-policy/state.ts';
import type { Decider, DomainEvent } from '../../shared/decider.ts';
import { runCommands } from '../../shared/testing/decider-harness.ts';
import { initialSlotLedgerState, ledgerIdOf } from '../../slot-ledger/state.ts';
import type { BookingCommand } from '../commands.ts';
import { bookingDecider } from '../decider.ts';
import type { SchedulingEvent, SchedulingState } from '../scheduling-state.ts';
import { initialBookingState, type BookingState } from '../state.ts';

/**
 * A small clinic chain for scheduling tests, built by running real commands through the deciders:
 * - branches br-1 and br-2 active, br-3 removed, all priced by policy pp-1 (INR; in_person 800.00 with 200.00
 *   deposit, tele 500.00 fully prepaid; 24 h cancellation window);
 * - doctor dr-1 (Asia/Kolkata) at br-1 Mon–Fri 09:00–13:00 in 15-minute slots, at br-2 Mon and Wed 14:00–17:00 in
 *   20-minute slots, at br-3 Sat 09:00–12:00 in 30-minute slots, blocked Wed 2026-12-09 10:00–11:00; not
 *   assigned to br-4 (active);
 * - patient pt-1.
 */
export const TZ = 'Asia/Kolkata';
export const DOCTOR = 'dr-1';
export const PATIENT = 'pt-1';
export const POLICY = 'pp-1';
export const MONDAY = '2026-12-07';
export const TUESDAY = '2026-12-08';
export const WEDNESDAY = '2026-12-09';
export const SATURDAY = '2026-12-12';
export const DATES = [MONDAY, TUESDAY, WEDNESDAY, SATURDAY] as const;
export const SETUP_TIME = new Date('2026-11-01T00:00:00.000Z');
export const BLOCK = { startsAt: '2026-12-09T04:30:00.000Z', endsAt: '2026-12-09T05:30:00.000Z' };

const weekdays = (
  days: readonly number[],
  start: string,
  end: string,
  slotMinutes: number,
): AvailabilityWindow[] => days.map((weekday) => ({ weekday, start, end, slotMinutes }));

export const AVAILABILITY: Readonly<Record<string, readonly AvailabilityWindow[]>> = {
  'br-1': weekdays([1, 2, 3, 4, 5], '09:00', '13:00', 15),
  'br-2': weekdays([1, 3], '14:00', '17:00', 20),
  'br-3': weekdays([6], '09:00', '12:00', 30),
};

/** Runs commands that must all be accepted and returns the state (and events) they lead to. */
export function accepted<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, commands: readonly C[]) {
  const run = runCommands(decider, commands);
  const refusal = run.outcomes.find((outcome) => outcome.refusal !== null);
  if (refusal !== undefined) throw refusal.refusal;
  return run;
}

const now = SETUP_TIME;

export const pricingPolicy: PricingPolicyState = accepted(pricingPolicyDecider, [
  {
    type: 'ChangePricingRule',
    policyId: POLICY,
    effectiveFrom: now,
    currency: 'INR',
    cancellationWindowMinutes: 24 * 60,
    prices: [
      {
        consultationType: 'in_person',
        price: { amountMinor: 80_000, currency: 'INR' },
        deposit: { amountMinor: 20_000, currency: 'INR' },
      },
      {
        consultationType: 'tele',
        price: { amountMinor: 50_000, currency: 'INR' },
        deposit: { amountMinor: 50_000, currency: 'INR' },
      },
    ],
    now,
  },
]).state;

const addBranch = (branchId: string) =>
  accepted(branchDecider, [
    { type: 'AddBranch', branchId, name: `Branch ${branchId}`, pricingPolicyId: POLICY, now },
  ]).state;

const removedBranch = accepted(branchDecider, [
  { type: 'AddBranch', branchId: 'br-3', name: 'Branch br-3', pricingPolicyId: POLICY, now },
  { type: 'RemoveBranch', branchId: 'br-3', reasonCode: 'closed', now },
]).state;

export const branches: Readonly<Record<string, BranchState>> = {
  'br-1': addBranch('br-1'),
  'br-2': addBranch('br-2'),
  'br-3': removedBranch,
  'br-4': addBranch('br-4'),
  'br-unknown': { status: 'none' },
};

export const doctor: DoctorState = accepted(doctorDecider, [
  {
    type: 'OnboardDoctor',
    doctorId: DOCTOR,
    name: 'Dr. Meera Iyer',
    registrationNumber: 'KMC-104233',
    specialties: ['general_medicine'],
    timeZone: TZ,
    now,
  },
  ...(['br-1', 'br-2', 'br-3'] as const).flatMap((branchId) => [
    { type: 'AssignDoctorToBranch' as const, doctorId: DOCTOR, branchId, branch: addBranch(branchId), now },
    {
      type: 'UpdateDoctorAvailability' as const,
      doctorId: DOCTOR,
      branchId,
      windows: AVAILABILITY[branchId] ?? [],
      now,
    },
  ]),
  {
    type: 'AddDoctorBlock',
    doctorId: DOCTOR,
    blockId: 'blk-1',
    startsAt: new Date(BLOCK.startsAt),
    endsAt: new Date(BLOCK.endsAt),
    reasonCode: 'conference',
    now,
  },
]).state;

export const patient: PatientState = accepted(patientDecider, [
  {
    type: 'RegisterPatient',
    patientId: PATIENT,
    name: 'Asha Rao',
    phone: '+919812345678',
    email: null,
    birthDate: '1988-04-12',
    gender: 'female',
    address: null,
    abhaNumber: '91-2345-6789-0123',
    abhaAddress: null,
    notes: null,
    now,
  },
]).state;

/** The composite state a booking decision sees, with every test date's ledger present (empty). */
export function schedulingWorld(
  overrides: {
    booking?: BookingState;
    branchId?: string;
    doctor?: DoctorState;
    patient?: PatientState;
    pricingPolicy?: PricingPolicyState;
  } = {},
): SchedulingState {
  return {
    booking: overrides.booking ?? initialBookingState(),
    patient: overrides.patient ?? patient,
    doctor: overrides.doctor ?? doctor,
    branch: branches[overrides.branchId ?? 'br-1'] ?? { status: 'none' },
    pricingPolicy: overrides.pricingPolicy ?? pricingPolicy,
    ledgers: Object.fromEntries(DATES.map((date) => [ledgerIdOf(DOCTOR, date), initialSlotLedgerState()])),
  };
}

/** The booking decider starting from `schedulingWorld(overrides)`, for given/when/then. */
export function scheduling(overrides: Parameters<typeof schedulingWorld>[0] = {}) {
  return { ...bookingDecider, initialState: () => schedulingWorld(overrides) };
}

export type CreateBooking = Extract<BookingCommand, { type: 'CreateBooking' }>;

export function createBooking(overrides: Partial<CreateBooking> = {}): CreateBooking {
  return {
    type: 'CreateBooking',
    bookingId: 'bk-1',
    patientId: PATIENT,
    doctorId: DOCTOR,
    branchId: 'br-1',
    channel: 'staff_console',
    consultationType: 'in_person',
    slot: { date: MONDAY, start: '09:00' },
    reasonForVisit: 'persistent cough',
    portalRequestId: null,
    now: new Date('2026-12-01T06:00:00.000Z'),
    ...overrides,
  };
}

/** The ledger events of another booking holding a slot: what a booking stream of its own cannot see. */
export function heldByAnotherBooking(overrides: Partial<CreateBooking>): SchedulingEvent[] {
  const command = createBooking({ bookingId: 'bk-other', ...overrides });
  const events = bookingDecider.decide(command, schedulingWorld({ branchId: command.branchId }));
  return events.filter((event) => event.stream.aggregateType === 'slot_ledger');
}
