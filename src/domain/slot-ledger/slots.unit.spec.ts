import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bookingDecider } from '../booking/decider.ts';
import {
  accepted,
  branches,
  createBooking,
  DATES,
  doctor,
  DOCTOR,
  MONDAY,
  schedulingWorld,
} from '../booking/testing/world.ts';
import { doctorDecider } from '../doctor/decider.ts';
import type { OnboardedDoctor } from '../doctor/state.ts';
import { isMyMedicError } from '../../shared/errors.ts';
import { definitionProblems } from '../shared/testing/decider-harness.ts';
import { events, type SlotLedgerEvent } from './events.ts';
import { bookableSlots, slotsOfDay } from './slots.ts';
import { evolveSlotLedger, initialSlotLedgerState, ledgerIdOf } from './state.ts';

const onboarded = (state: typeof doctor): OnboardedDoctor => {
  assert.equal(state.status, 'onboarded');
  return state as OnboardedDoctor;
};

describe('slot ledger events', () => {
  it('are well-formed catalogue entries of the slot_ledger aggregate', () => {
    assert.deepEqual(definitionProblems(events, 'slot_ledger'), []);
  });
});

describe('slotsOfDay', () => {
  it('draws the weekly grid on a date in the doctor’s zone', () => {
    const slots = slotsOfDay(onboarded(doctor), 'br-1', MONDAY);
    assert.equal(slots.length, 16);
    assert.deepEqual(slots[0], {
      date: MONDAY,
      start: '09:00',
      end: '09:15',
      startsAt: '2026-12-07T03:30:00.000Z',
      endsAt: '2026-12-07T03:45:00.000Z',
      timeZone: 'Asia/Kolkata',
    });
    assert.equal(slots.at(-1)?.start, '12:45');
    assert.deepEqual(
      slotsOfDay(onboarded(doctor), 'br-2', MONDAY).map((slot) => slot.start),
      ['14:00', '14:20', '14:40', '15:00', '15:20', '15:40', '16:00', '16:20', '16:40'],
    );
    assert.deepEqual(slotsOfDay(onboarded(doctor), 'br-2', '2026-12-08'), []);
  });

  it('leaves out slots in skipped time or straddling a clock change', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const newYorker = onboarded(
      accepted(doctorDecider, [
        {
          type: 'OnboardDoctor',
          doctorId: 'dr-ny',
          name: 'Dr. Ny',
          registrationNumber: 'NY-1',
          specialties: [],
          timeZone: 'America/New_York',
          now,
        },
        {
          type: 'AssignDoctorToBranch',
          doctorId: 'dr-ny',
          branchId: 'br-1',
          branch: branches['br-1'] ?? { status: 'none' },
          now,
        },
        {
          type: 'UpdateDoctorAvailability',
          doctorId: 'dr-ny',
          branchId: 'br-1',
          windows: [{ weekday: 7, start: '00:00', end: '05:00', slotMinutes: 60 }],
          now,
        },
      ]).state,
    );
    const starts = (date: string) =>
      slotsOfDay(newYorker, 'br-1', date).map((slot) => `${slot.start} ${slot.startsAt}`);
    // 2026-03-08: 02:00 → 03:00. The 01:00 slot would end at a time that does not exist; 02:00 does not exist.
    assert.deepEqual(starts('2026-03-08'), [
      '00:00 2026-03-08T05:00:00.000Z',
      '03:00 2026-03-08T07:00:00.000Z',
      '04:00 2026-03-08T08:00:00.000Z',
    ]);
    // 2026-11-01: 02:00 → 01:00. The 01:00 slot (first 01:00) would last two hours.
    assert.deepEqual(starts('2026-11-01'), [
      '00:00 2026-11-01T04:00:00.000Z',
      '02:00 2026-11-01T07:00:00.000Z',
      '03:00 2026-11-01T08:00:00.000Z',
      '04:00 2026-11-01T09:00:00.000Z',
    ]);
  });
});

describe('bookableSlots', () => {
  const BRANCH_IDS = ['br-1', 'br-2', 'br-3', 'br-4'];
  const candidateStarts = Array.from({ length: 40 }, (_, index) => {
    const minutes = 8 * 60 + index * 15;
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  }).concat(['09:05', '14:10']);

  it('lists exactly the slots a booking would be accepted for', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DATES),
        fc.subarray(
          candidateStarts.map((start) => ({ start, branchId: start < '13:30' ? 'br-1' : 'br-2' })),
          { maxLength: 8 },
        ),
        fc.integer({ min: 0, max: 8 * 24 * 60 }),
        fc.constantFrom(...BRANCH_IDS),
        (date, taken, nowOffsetMinutes, branchId) => {
          const now = new Date(Date.parse('2026-12-06T00:00:00Z') + nowOffsetMinutes * 60_000);
          // Other bookings made earlier, whenever they were acceptable then.
          let ledger = initialSlotLedgerState();
          for (const [index, place] of taken.entries()) {
            const world = schedulingWorld({ branchId: place.branchId });
            const state = { ...world, ledgers: { ...world.ledgers, [ledgerIdOf(DOCTOR, date)]: ledger } };
            try {
              const command = createBooking({
                bookingId: `bk-${index}`,
                branchId: place.branchId,
                slot: { date, start: place.start },
                now: new Date('2026-12-01T00:00:00Z'),
              });
              for (const event of bookingDecider.decide(command, state)) {
                if (event.stream.aggregateType === 'slot_ledger')
                  ledger = evolveSlotLedger(ledger, event as SlotLedgerEvent);
              }
            } catch (error) {
              if (!isMyMedicError(error)) throw error;
            }
          }
          const world = schedulingWorld({ branchId });
          const state = { ...world, ledgers: { ...world.ledgers, [ledgerIdOf(DOCTOR, date)]: ledger } };
          const listed = new Set(
            bookableSlots({ doctor, branch: state.branch, branchId, ledger, date, now }).map(
              (slot) => slot.start,
            ),
          );
          for (const start of candidateStarts) {
            let accepts = true;
            try {
              bookingDecider.decide(
                createBooking({ bookingId: 'bk-new', branchId, slot: { date, start }, now }),
                state,
              );
            } catch (error) {
              if (!isMyMedicError(error)) throw error;
              accepts = false;
            }
            assert.equal(listed.has(start), accepts, `${branchId} ${date} ${start}`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
