import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doctorDecider } from '../doctor/decider.ts';
import type { DoctorState } from '../doctor/state.ts';
import { pricingPolicyDecider } from '../pricing-policy/decider.ts';
import { definitionProblems, given } from '../shared/testing/decider-harness.ts';
import { ledgerIdOf } from '../slot-ledger/state.ts';
import type { BookingCommand } from './commands.ts';
import { bookingDecider } from './decider.ts';
import { events } from './events.ts';
import { schedulingInputs, type SchedulingEvent } from './scheduling-state.ts';
import {
  createBooking,
  doctor,
  DOCTOR,
  heldByAnotherBooking,
  MONDAY,
  pricingPolicy,
  scheduling,
  schedulingWorld,
  TUESDAY,
  WEDNESDAY,
  SATURDAY,
} from './testing/world.ts';

const at = (iso: string) => new Date(iso);
const MONDAY_0900_UTC = '2026-12-07T03:30:00.000Z';
const EARLY = at('2026-12-01T06:00:00.000Z');

const typesAndStreams = (events: readonly SchedulingEvent[]) =>
  events.map((event) => `${event.type} → ${event.stream.aggregateType}/${event.stream.aggregateId}`);

/** A booking of MONDAY 09:00 at br-1 that already happened. */
const booked = (overrides: Parameters<typeof createBooking>[0] = {}) =>
  bookingDecider.decide(
    createBooking(overrides),
    schedulingWorld({ branchId: overrides.branchId ?? 'br-1' }),
  );

function doctorWith(command: Parameters<typeof doctorDecider.decide>[0]): DoctorState {
  return doctorDecider.decide(command, doctor).reduce(doctorDecider.evolve, doctor);
}

describe('booking events', () => {
  it('are well-formed catalogue entries of the booking aggregate', () => {
    assert.deepEqual(definitionProblems(events, 'booking'), []);
  });
});

describe('CreateBooking', () => {
  it('writes the booking and reserves its time in the doctor’s ledger of that day', () => {
    const decided = given(scheduling(), []).when(createBooking());
    assert.deepEqual(typesAndStreams(decided), [
      'booking.created → booking/bk-1',
      `slot.reserved → slot_ledger/${DOCTOR}:${MONDAY}`,
    ]);
    const [created, reserved] = decided;
    assert.equal(created?.type, 'booking.created');
    if (created?.type !== 'booking.created') return;
    assert.deepEqual(created.data.slot, {
      date: MONDAY,
      start: '09:00',
      end: '09:15',
      startsAt: MONDAY_0900_UTC,
      endsAt: '2026-12-07T03:45:00.000Z',
      timeZone: 'Asia/Kolkata',
    });
    assert.deepEqual(created.data.pricing, {
      policyId: 'pp-1',
      version: 1,
      effectiveFrom: '2026-11-01T00:00:00.000Z',
      price: { amountMinor: 80_000, currency: 'INR' },
      deposit: { amountMinor: 20_000, currency: 'INR' },
      cancellationWindowMinutes: 1440,
    });
    assert.deepEqual(reserved?.data, {
      doctorId: DOCTOR,
      date: MONDAY,
      bookingId: 'bk-1',
      branchId: 'br-1',
      startsAt: MONDAY_0900_UTC,
      endsAt: '2026-12-07T03:45:00.000Z',
    });
  });

  it('refuses a slot another booking holds, whichever channel asks', () => {
    const history = heldByAnotherBooking({ channel: 'staff_console' });
    for (const channel of ['portal', 'staff_console', 'tele_prepay', 'chain_override'] as const) {
      const command = createBooking({ channel, portalRequestId: channel === 'portal' ? 'pr-1' : null });
      assert.throws(
        () => given(scheduling(), history).when(command),
        { code: 'SLOT_ALREADY_BOOKED' },
        channel,
      );
    }
  });

  it('refuses time that overlaps a booking made under an older slot grid', () => {
    // Booked 09:15–09:30 on 15-minute slots; the grid is now 20 minutes, so 09:00–09:20 overlaps it.
    const history = heldByAnotherBooking({ slot: { date: MONDAY, start: '09:15' } });
    const regridded = doctorWith({
      type: 'UpdateDoctorAvailability',
      doctorId: DOCTOR,
      branchId: 'br-1',
      windows: [{ weekday: 1, start: '09:00', end: '13:00', slotMinutes: 20 }],
      now: EARLY,
    });
    assert.throws(() => given(scheduling({ doctor: regridded }), history).when(createBooking()), {
      code: 'SLOT_ALREADY_BOOKED',
    });
    const free = given(scheduling({ doctor: regridded }), history).when(
      createBooking({ slot: { date: MONDAY, start: '09:40' } }),
    );
    assert.equal(free.length, 2);
  });

  it('refuses time the doctor already spends at another branch', () => {
    // Booked at br-2 Monday 14:00–14:20; the doctor then moves Monday afternoons to br-1.
    const history = heldByAnotherBooking({ branchId: 'br-2', slot: { date: MONDAY, start: '14:00' } });
    const cleared = doctorWith({
      type: 'UpdateDoctorAvailability',
      doctorId: DOCTOR,
      branchId: 'br-2',
      windows: [],
      now: EARLY,
    });
    const moved = doctorDecider
      .decide(
        {
          type: 'UpdateDoctorAvailability',
          doctorId: DOCTOR,
          branchId: 'br-1',
          windows: [{ weekday: 1, start: '14:00', end: '15:00', slotMinutes: 15 }],
          now: EARLY,
        },
        cleared,
      )
      .reduce(doctorDecider.evolve, cleared);
    const command = createBooking({ slot: { date: MONDAY, start: '14:15' } });
    assert.throws(() => given(scheduling({ doctor: moved }), history).when(command), {
      code: 'SLOT_ALREADY_BOOKED',
    });
  });

  it('refuses slots outside the weekly availability grid', () => {
    const cases: [string, string, string][] = [
      ['br-1', MONDAY, '13:00'], // the window ends at 13:00
      ['br-1', MONDAY, '09:05'], // not on the 15-minute grid
      ['br-1', '2026-12-13', '09:00'], // Sunday
      ['br-2', TUESDAY, '14:00'], // br-2 only on Mondays and Wednesdays
      ['br-2', MONDAY, '16:50'], // the last 20-minute slot starts 16:40
    ];
    for (const [branchId, date, start] of cases) {
      const world = schedulingWorld({ branchId });
      const state = {
        ...world,
        ledgers: { ...world.ledgers, [ledgerIdOf(DOCTOR, date)]: { reservations: {} } },
      };
      assert.throws(
        () => bookingDecider.decide(createBooking({ branchId, slot: { date, start } }), state),
        { code: 'SLOT_OUTSIDE_AVAILABILITY' },
        `${branchId} ${date} ${start}`,
      );
    }
  });

  it('refuses slots overlapping a doctor block, and accepts the one that ends as the block starts', () => {
    assert.throws(
      () => given(scheduling(), []).when(createBooking({ slot: { date: WEDNESDAY, start: '10:45' } })),
      {
        code: 'SLOT_BLOCKED',
      },
    );
    assert.equal(
      given(scheduling(), []).when(createBooking({ slot: { date: WEDNESDAY, start: '09:45' } })).length,
      2,
    );
  });

  it('refuses removed, unknown and unassigned branches', () => {
    const saturday = { date: SATURDAY, start: '09:00' };
    assert.throws(
      () =>
        given(scheduling({ branchId: 'br-3' }), []).when(createBooking({ branchId: 'br-3', slot: saturday })),
      {
        code: 'BRANCH_REMOVED',
      },
    );
    assert.throws(
      () => given(scheduling({ branchId: 'br-unknown' }), []).when(createBooking({ branchId: 'br-unknown' })),
      {
        code: 'BRANCH_NOT_FOUND',
      },
    );
    assert.throws(
      () => given(scheduling({ branchId: 'br-4' }), []).when(createBooking({ branchId: 'br-4' })),
      {
        code: 'DOCTOR_NOT_ASSIGNED_TO_BRANCH',
      },
    );
  });

  it('refuses a slot that has started, an unknown doctor or patient, and an existing booking id', () => {
    assert.throws(() => given(scheduling(), []).when(createBooking({ now: at(MONDAY_0900_UTC) })), {
      code: 'SLOT_IN_PAST',
    });
    assert.throws(() => given(scheduling({ doctor: { status: 'none' } }), []).when(createBooking()), {
      code: 'DOCTOR_NOT_FOUND',
    });
    assert.throws(() => given(scheduling({ patient: { status: 'none' } }), []).when(createBooking()), {
      code: 'PATIENT_NOT_REGISTERED',
    });
    assert.throws(
      () => given(scheduling(), booked()).when(createBooking({ slot: { date: MONDAY, start: '10:00' } })),
      {
        code: 'INVALID_TRANSITION',
      },
    );
  });

  it('names a caller that passes the wrong or missing input state', () => {
    assert.throws(() => given(scheduling(), []).when(createBooking({ doctorId: 'dr-9' })), {
      code: 'INPUT_STATE_MISMATCH',
    });
    const otherPolicy =
      pricingPolicy.status === 'active' ? { ...pricingPolicy, policyId: 'pp-9' } : pricingPolicy;
    assert.throws(() => given(scheduling({ pricingPolicy: otherPolicy }), []).when(createBooking()), {
      code: 'INPUT_STATE_MISMATCH',
    });
    const { ledgers: _ledgers, ...rest } = schedulingWorld();
    assert.throws(() => bookingDecider.decide(createBooking(), { ...rest, ledgers: {} }), {
      code: 'INPUT_STATE_MISSING',
    });
  });

  it('prices by the policy version in force at booking time and refuses unpriced consultations', () => {
    const raised = pricingPolicyDecider
      .decide(
        {
          type: 'ChangePricingRule',
          policyId: 'pp-1',
          effectiveFrom: at('2026-12-03T00:00:00.000Z'),
          currency: 'INR',
          cancellationWindowMinutes: 12 * 60,
          prices: [
            {
              consultationType: 'in_person',
              price: { amountMinor: 90_000, currency: 'INR' },
              deposit: { amountMinor: 30_000, currency: 'INR' },
            },
          ],
          now: EARLY,
        },
        pricingPolicy,
      )
      .reduce(pricingPolicyDecider.evolve, pricingPolicy);
    const pricingOf = (now: Date) => {
      const [created] = given(scheduling({ pricingPolicy: raised }), []).when(createBooking({ now }));
      return created?.type === 'booking.created' ? created.data.pricing : null;
    };
    assert.equal(pricingOf(EARLY)?.version, 1);
    assert.deepEqual(pricingOf(at('2026-12-03T00:00:00.000Z')), {
      policyId: 'pp-1',
      version: 2,
      effectiveFrom: '2026-12-03T00:00:00.000Z',
      price: { amountMinor: 90_000, currency: 'INR' },
      deposit: { amountMinor: 30_000, currency: 'INR' },
      cancellationWindowMinutes: 720,
    });
    assert.throws(
      () =>
        given(scheduling({ pricingPolicy: raised }), []).when(
          createBooking({ consultationType: 'tele', now: at('2026-12-04T00:00:00.000Z') }),
        ),
      {
        code: 'CONSULTATION_TYPE_NOT_PRICED',
      },
    );
    assert.throws(() => given(scheduling({ pricingPolicy: { status: 'none' } }), []).when(createBooking()), {
      code: 'PRICING_RULE_NOT_IN_EFFECT',
    });
  });

  it('links a portal booking to its request, and only a portal booking', () => {
    assert.throws(() => given(scheduling(), []).when(createBooking({ channel: 'portal' })), {
      code: 'VALIDATION_FAILED',
    });
    assert.throws(() => given(scheduling(), []).when(createBooking({ portalRequestId: 'pr-1' })), {
      code: 'VALIDATION_FAILED',
    });
    const [created] = given(scheduling(), []).when(
      createBooking({ channel: 'portal', portalRequestId: 'pr-1' }),
    );
    assert.equal(created?.type === 'booking.created' && created.data.portalRequestId, 'pr-1');
  });
});

describe('CancelBooking', () => {
  const cancel = (now: string, initiatedBy: 'patient' | 'clinic' = 'patient'): BookingCommand => ({
    type: 'CancelBooking',
    bookingId: 'bk-1',
    initiatedBy,
    reasonCode: initiatedBy === 'patient' ? 'patient_request' : 'doctor_unavailable',
    portalRequestId: null,
    now: at(now),
  });

  it('releases the slot; outside the window it is not late', () => {
    const decided = given(scheduling(), booked()).when(cancel('2026-12-05T03:30:00.000Z'));
    assert.deepEqual(typesAndStreams(decided), [
      'booking.cancelled → booking/bk-1',
      `slot.released → slot_ledger/${DOCTOR}:${MONDAY}`,
    ]);
    assert.deepEqual(decided[0]?.data, {
      bookingId: 'bk-1',
      patientId: 'pt-1',
      doctorId: DOCTOR,
      branchId: 'br-1',
      initiatedBy: 'patient',
      reasonCode: 'patient_request',
      slotStartsAt: MONDAY_0900_UTC,
      minutesBeforeStart: 2 * 24 * 60,
      cancellationWindowMinutes: 1440,
      late: false,
      deposit: { amountMinor: 20_000, currency: 'INR' },
      portalRequestId: null,
    });
  });

  it('marks a patient cancellation inside the window late, and a clinic one never', () => {
    const lateByPatient = given(scheduling(), booked()).when(cancel('2026-12-06T03:30:00.001Z'))[0];
    assert.equal(lateByPatient?.type === 'booking.cancelled' && lateByPatient.data.late, true);
    const onTheEdge = given(scheduling(), booked()).when(cancel('2026-12-06T03:30:00.000Z'))[0];
    assert.equal(onTheEdge?.type === 'booking.cancelled' && onTheEdge.data.late, false);
    const byClinic = given(scheduling(), booked()).when(cancel('2026-12-07T03:00:00.000Z', 'clinic'))[0];
    assert.equal(byClinic?.type === 'booking.cancelled' && byClinic.data.late, false);
  });

  it('frees the slot for the next booking', () => {
    const cancelled = given(scheduling(), booked()).when(cancel('2026-12-05T00:00:00.000Z'));
    const ledgerOnly = [...booked(), ...cancelled].filter(
      (event) => event.stream.aggregateType === 'slot_ledger',
    );
    const rebooked = given(scheduling(), ledgerOnly).when(
      createBooking({ bookingId: 'bk-2', now: at('2026-12-05T00:00:00.000Z') }),
    );
    assert.equal(rebooked.length, 2);
  });

  it('refuses once the slot has started, and a second time', () => {
    assert.throws(() => given(scheduling(), booked()).when(cancel(MONDAY_0900_UTC)), {
      code: 'BOOKING_ALREADY_STARTED',
    });
    const history = [...booked(), ...given(scheduling(), booked()).when(cancel('2026-12-05T00:00:00.000Z'))];
    assert.throws(() => given(scheduling(), history).when(cancel('2026-12-05T01:00:00.000Z')), {
      code: 'INVALID_TRANSITION',
    });
  });
});

describe('reschedule', () => {
  const NOW = at('2026-12-02T00:00:00.000Z');
  const request: BookingCommand = {
    type: 'RequestReschedule',
    bookingId: 'bk-1',
    requestId: 'rs-1',
    requestedBy: 'patient',
    preferredSlot: { date: WEDNESDAY, start: '14:00' },
    portalRequestId: null,
    now: NOW,
  };
  const complete = (date: string, start: string, requestId = 'rs-1'): BookingCommand => ({
    type: 'CompleteReschedule',
    bookingId: 'bk-1',
    requestId,
    slot: { date, start },
    now: NOW,
  });
  const requested = () => [...booked(), ...given(scheduling(), booked()).when(request)];

  it('moves the booking: release the old time, reserve the new, record both slots', () => {
    const decided = given(scheduling(), requested()).when(complete(TUESDAY, '11:00'));
    assert.deepEqual(typesAndStreams(decided), [
      `slot.released → slot_ledger/${DOCTOR}:${MONDAY}`,
      `slot.reserved → slot_ledger/${DOCTOR}:${TUESDAY}`,
      'reschedule.completed → booking/bk-1',
    ]);
    const completed = decided[2];
    assert.equal(
      completed?.type === 'reschedule.completed' && completed.data.to.startsAt,
      '2026-12-08T05:30:00.000Z',
    );
    assert.equal(completed?.type === 'reschedule.completed' && completed.data.from.startsAt, MONDAY_0900_UTC);
  });

  it('may move within the same day’s ledger', () => {
    const decided = given(scheduling(), requested()).when(complete(MONDAY, '09:15'));
    assert.deepEqual(
      decided.map((event) => event.stream.aggregateId),
      [`${DOCTOR}:${MONDAY}`, `${DOCTOR}:${MONDAY}`, 'bk-1'],
    );
  });

  it('passes the same guards as a new booking', () => {
    const taken = [...requested(), ...heldByAnotherBooking({ slot: { date: TUESDAY, start: '11:00' } })];
    assert.throws(() => given(scheduling(), taken).when(complete(TUESDAY, '11:00')), {
      code: 'SLOT_ALREADY_BOOKED',
    });
    assert.throws(() => given(scheduling(), requested()).when(complete(WEDNESDAY, '10:00')), {
      code: 'SLOT_BLOCKED',
    });
    assert.throws(() => given(scheduling(), requested()).when(complete(TUESDAY, '13:00')), {
      code: 'SLOT_OUTSIDE_AVAILABILITY',
    });
    assert.throws(() => given(scheduling(), requested()).when(complete(MONDAY, '09:00')), {
      code: 'RESCHEDULE_SAME_SLOT',
    });
    assert.throws(
      () => given(scheduling({ branchId: 'br-unknown' }), requested()).when(complete(TUESDAY, '11:00')),
      {
        code: 'BRANCH_NOT_FOUND',
      },
    );
  });

  it('needs an open request, and allows one at a time', () => {
    assert.throws(() => given(scheduling(), booked()).when(complete(TUESDAY, '11:00')), {
      code: 'RESCHEDULE_NOT_PENDING',
    });
    assert.throws(() => given(scheduling(), requested()).when(complete(TUESDAY, '11:00', 'rs-9')), {
      code: 'RESCHEDULE_NOT_PENDING',
    });
    assert.throws(() => given(scheduling(), requested()).when({ ...request, requestId: 'rs-2' }), {
      code: 'RESCHEDULE_ALREADY_PENDING',
    });
  });

  it('can be refused with the rule’s code; the booking keeps its slot', () => {
    const refused = given(scheduling(), requested()).when({
      type: 'RefuseReschedule',
      bookingId: 'bk-1',
      requestId: 'rs-1',
      reasonCode: 'SLOT_ALREADY_BOOKED',
      now: NOW,
    });
    assert.deepEqual(typesAndStreams(refused), ['reschedule.refused → booking/bk-1']);
    const again = given(scheduling(), [...requested(), ...refused]).when({ ...request, requestId: 'rs-2' });
    assert.equal(again[0]?.type, 'reschedule.requested');
  });

  it('is closed as refused when the booking is cancelled first', () => {
    const decided = given(scheduling(), requested()).when({
      type: 'CancelBooking',
      bookingId: 'bk-1',
      initiatedBy: 'patient',
      reasonCode: 'patient_request',
      portalRequestId: null,
      now: NOW,
    });
    assert.deepEqual(
      decided.map((event) => event.type),
      ['reschedule.refused', 'booking.cancelled', 'slot.released'],
    );
    assert.equal(
      decided[0]?.type === 'reschedule.refused' && decided[0].data.reasonCode,
      'BOOKING_CANCELLED',
    );
  });
});

describe('MarkBookingNoShow and UpdateBooking', () => {
  const noShow = (now: string): BookingCommand => ({
    type: 'MarkBookingNoShow',
    bookingId: 'bk-1',
    now: at(now),
  });

  it('records a no-show only once the slot has started, and closes the booking', () => {
    assert.throws(() => given(scheduling(), booked()).when(noShow('2026-12-07T03:29:59.999Z')), {
      code: 'BOOKING_NOT_STARTED',
    });
    const decided = given(scheduling(), booked()).when(noShow('2026-12-07T04:00:00.000Z'));
    assert.deepEqual(typesAndStreams(decided), ['booking.no_show → booking/bk-1']);
    assert.throws(
      () => given(scheduling(), [...booked(), ...decided]).when(noShow('2026-12-07T05:00:00.000Z')),
      {
        code: 'INVALID_TRANSITION',
      },
    );
  });

  it('updates free-text details, refusing an update that changes nothing', () => {
    const update = (fields: { reasonForVisit?: string | null; notes?: string | null }): BookingCommand => ({
      type: 'UpdateBooking',
      bookingId: 'bk-1',
      ...fields,
      now: EARLY,
    });
    const decided = given(scheduling(), booked()).when(update({ notes: 'prefers Hindi' }));
    assert.deepEqual(decided[0]?.data, {
      bookingId: 'bk-1',
      patientId: 'pt-1',
      reasonForVisit: 'persistent cough',
      notes: 'prefers Hindi',
    });
    assert.throws(() => given(scheduling(), booked()).when(update({ reasonForVisit: 'persistent cough' })), {
      code: 'BOOKING_UPDATE_NO_CHANGE',
    });
  });
});

describe('schedulingInputs', () => {
  it('lists the streams a decision reads and writes', () => {
    assert.deepEqual(schedulingInputs(createBooking(), { status: 'none' }), {
      patientId: 'pt-1',
      doctorId: DOCTOR,
      branchId: 'br-1',
      pricingPolicyOfBranch: true,
      ledgerIds: [`${DOCTOR}:${MONDAY}`],
    });
    const booking = booked().reduce(bookingDecider.evolve, schedulingWorld()).booking;
    const move: BookingCommand = {
      type: 'CompleteReschedule',
      bookingId: 'bk-1',
      requestId: 'rs-1',
      slot: { date: TUESDAY, start: '11:00' },
      now: EARLY,
    };
    assert.deepEqual(schedulingInputs(move, booking).ledgerIds, [
      `${DOCTOR}:${MONDAY}`,
      `${DOCTOR}:${TUESDAY}`,
    ]);
    assert.equal(schedulingInputs(move, booking).branchId, 'br-1');
  });
});
