import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isMyMedicError } from '../../shared/errors.ts';
import type { DomainEvent } from '../shared/decider.ts';
import { throughStore } from '../shared/testing/decider-harness.ts';
import { events as slotLedgerEvents, type SlotLedgerEvent } from '../slot-ledger/events.ts';
import {
  evolveSlotLedger,
  initialSlotLedgerState,
  ledgerIdOf,
  type SlotLedgerState,
} from '../slot-ledger/state.ts';
import type { BookingCommand } from './commands.ts';
import { bookingDecider } from './decider.ts';
import { events as bookingEvents, type BookingEvent } from './events.ts';
import { schedulingInputs, type SchedulingState } from './scheduling-state.ts';
import { evolveBooking, initialBookingState, type BookingState } from './state.ts';
import {
  AVAILABILITY,
  BLOCK,
  branches,
  DOCTOR,
  doctor,
  MONDAY,
  patient,
  PATIENT,
  pricingPolicy,
  SATURDAY,
  TUESDAY,
  WEDNESDAY,
} from './testing/world.ts';

/**
 * Many bookings of one doctor, driven by arbitrary commands from every channel over a week of advancing time.
 * After every command: no two reservations overlap, reservations are exactly the live bookings' slots, every
 * accepted slot satisfies an oracle written independently of the implementation, and each booking stream follows
 * the booking life cycle. At the end, replaying every stream from its stored events gives the live state.
 */

const START = Date.parse('2026-12-06T12:00:00.000Z');
const PENDING = '(the open request)';

// Mostly slots the doctor really offers, few enough that bookings compete for them; then the refusals:
// blocked, off the grid, after the window, a removed branch, a branch the doctor is not assigned to.
const PLACES: { branchId: string; date: string; start: string }[] = [
  { branchId: 'br-1', date: MONDAY, start: '09:00' },
  { branchId: 'br-1', date: MONDAY, start: '09:15' },
  { branchId: 'br-1', date: TUESDAY, start: '09:00' },
  { branchId: 'br-1', date: TUESDAY, start: '12:45' },
  { branchId: 'br-1', date: WEDNESDAY, start: '09:45' },
  { branchId: 'br-2', date: MONDAY, start: '14:00' },
  { branchId: 'br-2', date: MONDAY, start: '14:20' },
  { branchId: 'br-2', date: WEDNESDAY, start: '14:00' },
  { branchId: 'br-1', date: WEDNESDAY, start: '10:00' },
  { branchId: 'br-1', date: MONDAY, start: '09:05' },
  { branchId: 'br-1', date: TUESDAY, start: '13:00' },
  { branchId: 'br-3', date: SATURDAY, start: '09:00' },
  { branchId: 'br-4', date: MONDAY, start: '09:00' },
];

const placeArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PLACES.slice(0, 8)) },
  { weight: 1, arbitrary: fc.constantFrom(...PLACES.slice(8)) },
);
const slotArb = placeArb.map(({ date, start }) => ({ date, start }));
// Commands other than create act on an existing booking, chosen by `pick`; creates take a fresh id, or now and then
// an existing one (which must be refused).
const pick = fc.nat();

type Intent =
  | {
      kind: 'create';
      reuse: boolean;
      pick: number;
      place: { branchId: string; date: string; start: string };
      channel: string;
      consultationType: string;
    }
  | { kind: 'cancel'; pick: number; initiatedBy: 'patient' | 'clinic' }
  | { kind: 'request'; pick: number }
  | { kind: 'complete'; pick: number; requestId: string; slot: { date: string; start: string } }
  | { kind: 'refuse'; pick: number; requestId: string }
  | { kind: 'noShow'; pick: number }
  | { kind: 'update'; pick: number; notes: string | null };

const intentArb: fc.Arbitrary<Intent> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      reuse: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      pick,
      place: placeArb,
      channel: fc.constantFrom('portal', 'staff_console', 'tele_prepay', 'chain_override'),
      consultationType: fc.constantFrom('in_person', 'in_person', 'in_person', 'tele', 'xray'),
    }),
  },
  fc.record({
    kind: fc.constant('cancel' as const),
    pick,
    initiatedBy: fc.constantFrom('patient' as const, 'clinic' as const),
  }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('request' as const), pick }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('complete' as const),
      pick,
      requestId: fc.constantFrom(PENDING, PENDING, PENDING, 'rs-9'),
      slot: slotArb,
    }),
  },
  fc.record({ kind: fc.constant('refuse' as const), pick, requestId: fc.constantFrom(PENDING, 'rs-9') }),
  fc.record({ kind: fc.constant('noShow' as const), pick }),
  fc.record({
    kind: fc.constant('update' as const),
    pick,
    notes: fc.constantFrom(null, 'wheelchair', 'interpreter'),
  }),
);

const stepsArb = fc.array(
  fc.record({ intent: intentArb, advanceMinutes: fc.integer({ min: 0, max: 150 }) }),
  {
    minLength: 10,
    maxLength: 40,
  },
);

interface World {
  bookings: Record<string, BookingState>;
  ledgers: Record<string, SlotLedgerState>;
  streams: Record<string, DomainEvent[]>;
}

function commandOf(intent: Intent, world: World, now: Date): BookingCommand {
  const ids = Object.keys(world.bookings);
  const existing = ids[intent.pick % Math.max(ids.length, 1)] ?? 'bk-none';
  const bookingId = intent.kind !== 'create' || intent.reuse ? existing : `bk-${ids.length + 1}`;
  const booking = world.bookings[bookingId];
  const pending = booking?.status === 'active' ? (booking.pendingRescheduleId ?? 'rs-none') : 'rs-none';
  const requestId = (chosen: string) => (chosen === PENDING ? pending : chosen);
  switch (intent.kind) {
    case 'create':
      return {
        type: 'CreateBooking',
        bookingId,
        patientId: PATIENT,
        doctorId: DOCTOR,
        branchId: intent.place.branchId,
        channel: intent.channel as 'portal',
        consultationType: intent.consultationType,
        slot: { date: intent.place.date, start: intent.place.start },
        reasonForVisit: null,
        portalRequestId: intent.channel === 'portal' ? `pr-${bookingId}` : null,
        now,
      };
    case 'cancel':
      return {
        type: 'CancelBooking',
        bookingId,
        initiatedBy: intent.initiatedBy,
        reasonCode: 'other',
        portalRequestId: null,
        now,
      };
    case 'request':
      return {
        type: 'RequestReschedule',
        bookingId,
        requestId: `rs-${now.getTime()}`,
        requestedBy: 'patient',
        preferredSlot: null,
        portalRequestId: null,
        now,
      };
    case 'complete':
      return {
        type: 'CompleteReschedule',
        bookingId,
        requestId: requestId(intent.requestId),
        slot: intent.slot,
        now,
      };
    case 'refuse':
      return {
        type: 'RefuseReschedule',
        bookingId,
        requestId: requestId(intent.requestId),
        reasonCode: 'DOCTOR_UNAVAILABLE',
        now,
      };
    case 'noShow':
      return { type: 'MarkBookingNoShow', bookingId, now };
    case 'update':
      return { type: 'UpdateBooking', bookingId, notes: intent.notes, now };
  }
}

/** Loads what `schedulingInputs` asks for, the way the shell will. */
function loadState(world: World, command: BookingCommand): SchedulingState {
  const booking = world.bookings[command.bookingId] ?? initialBookingState();
  const inputs = schedulingInputs(command, booking);
  return {
    booking,
    patient,
    doctor,
    branch: branches[inputs.branchId ?? 'br-unknown'] ?? { status: 'none' },
    pricingPolicy,
    ledgers: Object.fromEntries(
      inputs.ledgerIds.map((id) => [id, world.ledgers[id] ?? initialSlotLedgerState()]),
    ),
  };
}

// The oracle: the fixture's rules restated from scratch (IST is UTC+05:30, no DST).
function oracleAllows(branchId: string, date: string, start: string, nowMs: number): boolean {
  if (branchId !== 'br-1' && branchId !== 'br-2') return false;
  const [hours, minutes] = start.split(':').map(Number) as [number, number];
  const from = hours * 60 + minutes;
  const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  const fits = (AVAILABILITY[branchId] ?? []).some((window) => {
    const [sh, sm] = window.start.split(':').map(Number) as [number, number];
    const [eh, em] = window.end.split(':').map(Number) as [number, number];
    return (
      window.weekday === weekday &&
      from >= sh * 60 + sm &&
      (from - sh * 60 - sm) % window.slotMinutes === 0 &&
      from + window.slotMinutes <= eh * 60 + em
    );
  });
  const startsAtMs = Date.parse(`${date}T00:00:00Z`) + (from - 330) * 60_000;
  const length = branchId === 'br-1' ? 15 : 20;
  const blocked =
    startsAtMs < Date.parse(BLOCK.endsAt) && Date.parse(BLOCK.startsAt) < startsAtMs + length * 60_000;
  return fits && !blocked && startsAtMs > nowMs;
}

function checkInvariants(world: World): void {
  const held = Object.entries(world.ledgers).flatMap(([ledgerId, ledger]) =>
    Object.entries(ledger.reservations).map(([bookingId, r]) => ({
      ledgerId,
      bookingId,
      from: Date.parse(r.startsAt),
      to: Date.parse(r.endsAt),
    })),
  );
  for (const [index, a] of held.entries()) {
    for (const b of held.slice(index + 1)) {
      assert.ok(!(a.from < b.to && b.from < a.to), `double booking: ${a.bookingId} and ${b.bookingId}`);
    }
  }
  const live = Object.values(world.bookings).filter(
    (booking) => booking.status === 'active' || booking.status === 'no_show',
  );
  assert.equal(held.length, live.length, 'one reservation per live booking');
  for (const booking of live) {
    if (booking.status === 'none') continue;
    const reservation = world.ledgers[ledgerIdOf(DOCTOR, booking.slot.date)]?.reservations[booking.bookingId];
    assert.deepEqual(reservation, {
      branchId: booking.branchId,
      startsAt: booking.slot.startsAt,
      endsAt: booking.slot.endsAt,
    });
  }
}

/** The booking life cycle as a table: phase → event → next phase. */
const LIFE_CYCLE: Record<string, Record<string, string>> = {
  none: { 'booking.created': 'active' },
  active: {
    'booking.updated': 'active',
    'reschedule.requested': 'pending',
    'booking.cancelled': 'closed',
    'booking.no_show': 'closed',
  },
  pending: { 'booking.updated': 'pending', 'reschedule.completed': 'active', 'reschedule.refused': 'active' },
  closed: {},
};

function checkLifeCycle(stream: readonly DomainEvent[]): void {
  let phase = 'none';
  for (const event of stream) {
    const next = LIFE_CYCLE[phase]?.[event.type];
    assert.ok(next !== undefined, `${event.type} in phase ${phase}`);
    phase = next;
  }
}

describe('booking invariants under arbitrary commands', () => {
  it('never double-books, keeps ledger and bookings in step, follows the life cycle, and replays to the same state', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const world: World = { bookings: {}, ledgers: {}, streams: {} };
        let nowMs = START;
        for (const { intent, advanceMinutes } of steps) {
          nowMs += advanceMinutes * 60_000;
          const now = new Date(nowMs);
          const command = commandOf(intent, world, now);
          const state = loadState(world, command);
          let decided;
          try {
            decided = bookingDecider.decide(command, state);
          } catch (error) {
            if (
              isMyMedicError(error) &&
              error.code !== 'INPUT_STATE_MISSING' &&
              error.code !== 'INPUT_STATE_MISMATCH'
            )
              continue;
            throw error;
          }
          const before = world.bookings[command.bookingId];
          for (const event of decided) {
            const key = `${event.stream.aggregateType}/${event.stream.aggregateId}`;
            const definitions = event.stream.aggregateType === 'booking' ? bookingEvents : slotLedgerEvents;
            const stored = throughStore(definitions, { type: event.type, data: event.data });
            assert.ok(
              definitions.some(
                (definition) =>
                  definition.type === event.type && definition.aggregateType === event.stream.aggregateType,
              ),
            );
            (world.streams[key] ??= []).push(stored);
            if (event.stream.aggregateType === 'booking') {
              world.bookings[event.stream.aggregateId] = evolveBooking(
                world.bookings[event.stream.aggregateId] ?? initialBookingState(),
                event as BookingEvent,
              );
            } else {
              const id = event.stream.aggregateId;
              world.ledgers[id] = evolveSlotLedger(
                world.ledgers[id] ?? initialSlotLedgerState(),
                event as SlotLedgerEvent,
              );
            }
          }
          if (command.type === 'CreateBooking' || command.type === 'CompleteReschedule') {
            const branchId =
              command.type === 'CreateBooking'
                ? command.branchId
                : before?.status === 'none' || before === undefined
                  ? ''
                  : before.branchId;
            assert.ok(
              oracleAllows(branchId, command.slot.date, command.slot.start, nowMs),
              `accepted ${JSON.stringify(command.slot)} at ${branchId}`,
            );
            assert.ok(
              command.type !== 'CreateBooking' || command.consultationType !== 'xray',
              'unpriced consultation accepted',
            );
          }
          const cancelled = decided.find((event) => event.type === 'booking.cancelled');
          if (cancelled?.type === 'booking.cancelled' && command.type === 'CancelBooking') {
            const msBefore = Date.parse(cancelled.data.slotStartsAt) - nowMs;
            assert.ok(msBefore > 0, 'cancelled after the start');
            assert.equal(
              cancelled.data.late,
              command.initiatedBy === 'patient' && msBefore < 24 * 60 * 60_000,
            );
          }
          if (decided.some((event) => event.type === 'booking.no_show') && before?.status === 'active') {
            assert.ok(Date.parse(before.slot.startsAt) <= nowMs, 'no-show before the start');
          }
          const folded = decided.reduce(bookingDecider.evolve, state);
          if (decided.length > 0) assert.deepEqual(folded.booking, world.bookings[command.bookingId]);
          for (const [id, ledger] of Object.entries(folded.ledgers))
            assert.deepEqual(ledger, world.ledgers[id] ?? initialSlotLedgerState());
          checkInvariants(world);
        }
        for (const [key, stream] of Object.entries(world.streams)) {
          const [aggregateType, aggregateId] = key.split('/') as [string, string];
          if (aggregateType === 'booking') {
            checkLifeCycle(stream);
            assert.deepEqual(
              stream.reduce((s, e) => evolveBooking(s, e as BookingEvent), initialBookingState()),
              world.bookings[aggregateId],
            );
          } else {
            assert.deepEqual(
              stream.reduce((s, e) => evolveSlotLedger(s, e as SlotLedgerEvent), initialSlotLedgerState()),
              world.ledgers[aggregateId],
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
