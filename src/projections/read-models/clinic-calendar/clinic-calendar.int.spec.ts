/**
 * clinic_calendar_view on both engines, fed by the runtime in small batches from a history written through the
 * command side: a branch's day for the staff console (doctors, bookings, reschedules, cancellations late or not,
 * no-shows, walk-ins), redelivery, and rebuilds against incremental processing.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { ValidationError } from '../../../shared/errors.ts';
import { describeEachEngine } from '../../../store/testing/test-engines.ts';
import type { ProjectionRuntime } from '../../projection-runtime.ts';
import {
  assertRebuildsIdentically,
  consumeUntil,
  deliverEverythingAgain,
  liveRows,
  plaintextIn,
} from '../testing/read-model-checks.ts';
import {
  buildScheduleScenario,
  buildSmallClinic,
  MONDAY,
  PATIENT_PLAINTEXT,
  type Scenario,
} from '../testing/schedule-scenario.ts';
import { branchCalendar } from './branch-calendar.ts';
import { clinicCalendarView } from './clinic-calendar-projection.ts';

const TENANT = 'clinic-a';
const OTHER = 'clinic-b';

describeEachEngine('clinic_calendar_view', (db) => {
  let runtime: ProjectionRuntime;
  let scenario: Scenario;
  let other: Scenario;

  before(async () => {
    scenario = await buildScheduleScenario(db().engine, TENANT);
    other = await buildSmallClinic(db().engine, OTHER);
    runtime = await consumeUntil(db().engine, clinicCalendarView, [scenario.last, other.last]);
  });

  const calendar = (branchId: string, date = MONDAY, tenantId = TENANT) =>
    branchCalendar(db().engine, { tenantId, branchId, date });

  it("shows a branch's day: doctors, bookings, reschedules, cancellations, no-shows and walk-ins", async () => {
    const main = await calendar('br-1');
    assert.deepEqual(main.branch, { name: 'Indiranagar', status: 'active' });
    assert.deepEqual(main.doctors, [
      {
        doctorId: 'dr-1',
        name: 'Dr. Meera Iyer',
        timeZone: 'Asia/Kolkata',
        windows: [{ start: '09:00', end: '13:00', slotMinutes: 15 }],
        blocks: [
          {
            blockId: 'blk-1',
            startsAt: '2026-12-07T06:30:00.000Z',
            endsAt: '2026-12-07T07:30:00.000Z',
            reasonCode: 'personal',
          },
        ],
      },
    ]);
    assert.deepEqual(
      main.appointments.map((entry) => [
        entry.bookingId,
        entry.start,
        entry.patientId,
        entry.status,
        entry.cancellation?.late ?? null,
        entry.rescheduleRequestedBy,
        entry.visit?.status ?? null,
      ]),
      [
        ['b-1', '09:00', 'pt-1', 'booked', null, null, 'completed'],
        ['b-2', '09:30', 'pt-1', 'cancelled', true, null, null],
        ['b-3', '10:00', 'pt-2', 'cancelled', false, null, null],
        ['b-4', '10:30', 'pt-2', 'rescheduled', null, null, null],
        ['b-4', '11:00', 'pt-2', 'booked', null, null, null],
        ['b-6', '11:30', 'pt-2', 'booked', null, 'patient', null],
      ],
    );
    assert.deepEqual(main.appointments[2]?.cancellation, {
      initiatedBy: 'clinic',
      reasonCode: 'doctor_unavailable',
      late: false,
      minutesBeforeStart: 2790,
    });
    assert.deepEqual(
      main.walkIns.map((visit) => [
        visit.visitId,
        visit.doctorId,
        visit.patientId,
        visit.status,
        visit.arrivedAt,
      ]),
      [['v-w', 'dr-1', 'pt-2', 'started', '2026-12-07T05:10:00.000Z']],
    );
    assert.deepEqual(main.summary, {
      booked: 3,
      cancelled: 2,
      lateCancellations: 1,
      noShows: 0,
      rescheduledAway: 1,
      walkIns: 1,
    });

    const second = await calendar('br-2');
    assert.deepEqual(second.branch, { name: 'Koramangala', status: 'active' });
    assert.deepEqual(
      second.doctors.map((doctor) => [doctor.doctorId, doctor.windows]),
      [['dr-1', [{ start: '14:00', end: '16:00', slotMinutes: 30 }]]],
    );
    assert.deepEqual(
      second.appointments.map((entry) => [entry.bookingId, entry.status, entry.visit?.status ?? null]),
      [['b-5', 'no_show', 'no_show']],
    );
    assert.equal(second.summary.noShows, 1);

    // Tuesday: dr-1 works at br-1 only.
    const tuesday = await calendar('br-2', '2026-12-08');
    assert.deepEqual([tuesday.doctors, tuesday.appointments, tuesday.walkIns], [[], [], []]);
    const elsewhere = await calendar('br-1', MONDAY, OTHER);
    assert.deepEqual(
      elsewhere.appointments.map((entry) => entry.bookingId),
      ['b-1'],
    );
    assert.deepEqual(elsewhere.walkIns, []);
    assert.equal((await calendar('br-7')).branch, null);
    await assert.rejects(calendar('', MONDAY), ValidationError);
  });

  it('holds patient references only, never patient plaintext', async () => {
    assert.deepEqual(plaintextIn(await liveRows(db().engine, clinicCalendarView), PATIENT_PLAINTEXT), []);
  });

  it('leaves identical tables when every event is delivered twice', async () => {
    const before = await liveRows(db().engine, clinicCalendarView);
    assert.ok(before['clinic_calendar_view']!.length >= 8);
    await deliverEverythingAgain(db().engine, clinicCalendarView, [scenario.last, other.last]);
    assert.deepEqual(await liveRows(db().engine, clinicCalendarView), before);
  });

  it('rebuilds into the same tables as incremental processing', async () => {
    await assertRebuildsIdentically(db().engine, runtime, clinicCalendarView, TENANT);
  });
});
