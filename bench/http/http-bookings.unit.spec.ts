import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Sample } from '../measurement.ts';
import { dayAfter, planBookings } from './booking-plan.ts';
import type { HttpLoadResult } from './http-load.ts';
import { bookingsPerSecond, summariseHttpBookings } from './http-summary.ts';

describe('planBookings', () => {
  it('walks each doctor through consecutive slots, the doctors taking turns', () => {
    const plan = planBookings({
      bookings: 5,
      doctors: 2,
      slotMinutes: 720,
      firstDate: '2026-12-31',
      idPrefix: 'bk',
    });
    assert.deepEqual(
      plan.map(({ bookingId, doctorId, patientId, date, start }) => [
        bookingId,
        doctorId,
        patientId,
        date,
        start,
      ]),
      [
        ['bk-0', 'dr-0', 'pt-0', '2026-12-31', '00:00'],
        ['bk-1', 'dr-1', 'pt-1', '2026-12-31', '00:00'],
        ['bk-2', 'dr-0', 'pt-0', '2026-12-31', '12:00'],
        ['bk-3', 'dr-1', 'pt-1', '2026-12-31', '12:00'],
        ['bk-4', 'dr-0', 'pt-0', '2027-01-01', '00:00'],
      ],
    );
    assert.equal(dayAfter(plan, '2026-12-31'), '2027-01-02');
    assert.equal(dayAfter([], '2026-12-31'), '2027-01-01');
  });

  it('never gives two bookings one slot, and any `doctors` consecutive bookings go to different doctors', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom(5, 15, 30, 60),
        (bookings, doctors, slotMinutes) => {
          const plan = planBookings({
            bookings,
            doctors,
            slotMinutes,
            firstDate: '2026-12-01',
            idPrefix: 'x',
          });
          assert.equal(plan.length, bookings);
          const slots = new Set(plan.map((b) => `${b.doctorId} ${b.date} ${b.start}`));
          assert.equal(slots.size, bookings);
          assert.equal(new Set(plan.map((b) => b.bookingId)).size, bookings);
          for (let i = 0; i + doctors <= plan.length; i++) {
            const window = plan.slice(i, i + doctors).map((b) => b.doctorId);
            assert.equal(new Set(window).size, doctors);
          }
          for (const booking of plan) {
            const [hours, minutes] = booking.start.split(':').map(Number) as [number, number];
            assert.equal((hours * 60 + minutes) % slotMinutes, 0);
            assert.ok(booking.date >= '2026-12-01');
          }
        },
      ),
    );
  });

  it('refuses slots that do not divide a day, no doctors, and a malformed date', () => {
    const shape = { bookings: 1, doctors: 1, slotMinutes: 15, firstDate: '2026-12-01', idPrefix: 'x' };
    assert.throws(() => planBookings({ ...shape, slotMinutes: 7 }), RangeError);
    assert.throws(() => planBookings({ ...shape, doctors: 0 }), RangeError);
    assert.throws(() => planBookings({ ...shape, firstDate: 'tomorrow' }), RangeError);
  });
});

describe('summariseHttpBookings', () => {
  const load = (
    seconds: number,
    latenciesMs: number[],
    statuses: Record<number, number>,
  ): HttpLoadResult => ({
    seconds,
    latenciesMs,
    statuses,
    failures: Object.keys(statuses)
      .filter((status) => status !== '201')
      .map((status) => `${status} SLOT_ALREADY_BOOKED`),
  });
  const store = (events: number, seconds: number): Sample => ({
    events,
    seconds,
    ops: events,
    queries: events,
    p50Ms: 1,
    p99Ms: 4.567,
  });

  it('counts only 2xx answers as bookings', () => {
    assert.equal(bookingsPerSecond(load(2, [1, 1, 1, 1], { 201: 3, 409: 1 })), 1.5);
  });

  it('reports the median run with its own latencies, beside the median store rate', () => {
    const slow = load(4, [10, 20, 30, 40], { 201: 4 }); // 1/s
    const middle = load(2, [1, 2, 3, 400], { 201: 4 }); // 2/s
    const fast = load(1, [5, 5, 5, 5], { 201: 4 }); // 4/s
    const line = summariseHttpBookings(16, [
      { load: fast, storeAppends: store(300, 1), projectionLagEvents: 3 },
      { load: slow, storeAppends: store(100, 1), projectionLagEvents: 0 },
      { load: middle, storeAppends: store(200, 1), projectionLagEvents: 7 },
    ]);
    assert.deepEqual(line, {
      workload: 'http-bookings',
      engine: 'postgres',
      system: 'mymedic',
      clients: 16,
      bookings: 4,
      bookings_per_s: 2,
      samples_bookings_per_s: [4, 1, 2],
      p50_ms: 2,
      p99_ms: 400,
      non_2xx: 0,
      store_appends_per_s: 200,
      store_append_p99_ms: 4.57,
      ratio_vs_store_appends: 0.01,
      projection_lag_events: 7,
    });
  });

  it('marks any refusal as an error, naming what came back', () => {
    const line = summariseHttpBookings(16, [
      { load: load(1, [1, 1], { 201: 1, 409: 1 }), storeAppends: store(10, 1), projectionLagEvents: 0 },
    ]);
    assert.equal(line.non_2xx, 1);
    assert.match(line.error ?? '', /1 answers outside 2xx, e\.g\. 409 SLOT_ALREADY_BOOKED/);
  });
});
