/**
 * doctor_schedule_view on both engines, fed by the runtime in small batches from a history written through the
 * command side: the doctor's day across branches, redelivery, rebuilds against incremental processing, and the
 * doctor mobile's last-write-wins fields, which a rebuild neither erases nor reinterprets.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import fc from 'fast-check';
import { ValidationError } from '../../../shared/errors.ts';
import { describeEachEngine } from '../../../store/testing/test-engines.ts';
import { tenantScopedEngine } from '../../../tenancy/scoped-engine.ts';
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
import { doctorDay } from './doctor-day.ts';
import { doctorScheduleView } from './doctor-schedule-projection.ts';
import {
  applyMobileUpdate,
  MAX_CLIENT_CLOCK_LEAD_MS,
  ScheduleEntryNotFoundError,
  type MobileUpdate,
} from './mobile-fields.ts';

const TENANT = 'clinic-a';
const OTHER = 'clinic-b';
const at = (iso: string) => new Date(iso);
/** The server's clock when the devices write: Monday evening. */
const SERVER_NOW = at('2026-12-07T14:00:00Z');

describeEachEngine('doctor_schedule_view', (db) => {
  let runtime: ProjectionRuntime;
  let scenario: Scenario;
  let other: Scenario;

  before(async () => {
    scenario = await buildScheduleScenario(db().engine, TENANT);
    other = await buildSmallClinic(db().engine, OTHER);
    runtime = await consumeUntil(db().engine, doctorScheduleView, [scenario.last, other.last]);
  });

  const monday = () => doctorDay(db().engine, { tenantId: TENANT, doctorId: 'dr-1', date: MONDAY });

  it("shows the doctor's day across branches: windows, blocks, bookings by status, visits, walk-ins", async () => {
    const day = await monday();
    assert.deepEqual(day.doctor, { name: 'Dr. Meera Iyer', timeZone: 'Asia/Kolkata' });
    assert.deepEqual(day.windows, [
      { branchId: 'br-1', start: '09:00', end: '13:00', slotMinutes: 15 },
      { branchId: 'br-2', start: '14:00', end: '16:00', slotMinutes: 30 },
    ]);
    assert.deepEqual(day.blocks, [
      {
        blockId: 'blk-1',
        startsAt: '2026-12-07T06:30:00.000Z',
        endsAt: '2026-12-07T07:30:00.000Z',
        reasonCode: 'personal',
      },
    ]);
    assert.deepEqual(
      day.appointments.map((entry) => [
        entry.bookingId,
        entry.start,
        entry.branchId,
        entry.patientId,
        entry.status,
        entry.visit?.status ?? null,
      ]),
      [
        ['b-1', '09:00', 'br-1', 'pt-1', 'booked', 'completed'],
        ['b-2', '09:30', 'br-1', 'pt-1', 'cancelled', null],
        ['b-3', '10:00', 'br-1', 'pt-2', 'cancelled', null],
        ['b-4', '10:30', 'br-1', 'pt-2', 'rescheduled', null],
        ['b-4', '11:00', 'br-1', 'pt-2', 'booked', null],
        ['b-6', '11:30', 'br-1', 'pt-2', 'booked', null],
        ['b-5', '14:00', 'br-2', 'pt-1', 'no_show', 'no_show'],
      ],
    );
    const [b1, b2, b3, moved, b4, b6, b5] = day.appointments;
    assert.deepEqual(b1?.visit, {
      visitId: 'v-1',
      bookingId: 'b-1',
      doctorId: 'dr-1',
      branchId: 'br-1',
      patientId: 'pt-1',
      date: MONDAY,
      tele: false,
      status: 'completed',
      arrivedAt: '2026-12-07T03:25:00.000Z',
      startedAt: '2026-12-07T03:31:00.000Z',
      completedAt: '2026-12-07T03:50:00.000Z',
      noShowRecordedAt: null,
    });
    assert.deepEqual(b2?.cancellation, {
      initiatedBy: 'patient',
      reasonCode: 'patient_request',
      late: true,
      minutesBeforeStart: 480,
    });
    assert.equal(b3?.cancellation?.late, false);
    assert.equal(b3?.rescheduleRequestedBy, null, 'the cancellation closed the open request');
    assert.equal(moved?.movedTo, '2026-12-07T05:30:00.000Z');
    assert.equal(b4?.rescheduledFrom, '2026-12-07T05:00:00.000Z');
    assert.equal(b4?.consultationType, 'tele');
    assert.equal(b6?.rescheduleRequestedBy, 'patient');
    assert.equal(b5?.closedAt, '2026-12-07T09:00:00.000Z');
    assert.deepEqual(
      day.walkIns.map((visit) => [
        visit.visitId,
        visit.patientId,
        visit.branchId,
        visit.status,
        visit.startedAt,
      ]),
      [['v-w', 'pt-2', 'br-1', 'started', '2026-12-07T05:15:00.000Z']],
    );

    const tuesday = await doctorDay(db().engine, { tenantId: TENANT, doctorId: 'dr-1', date: '2026-12-08' });
    assert.deepEqual(tuesday.windows, [{ branchId: 'br-1', start: '09:00', end: '13:00', slotMinutes: 15 }]);
    assert.deepEqual([tuesday.blocks, tuesday.appointments, tuesday.walkIns], [[], [], []]);
    const otherDay = await doctorDay(db().engine, { tenantId: OTHER, doctorId: 'dr-1', date: MONDAY });
    assert.deepEqual(
      otherDay.appointments.map((entry) => entry.bookingId),
      ['b-1'],
    );
    assert.deepEqual(otherDay.blocks, []);
    await assert.rejects(
      doctorDay(db().engine, { tenantId: TENANT, doctorId: 'dr-1', date: '07-12-2026' }),
      ValidationError,
    );
  });

  it('holds patient references only, never patient plaintext', async () => {
    assert.deepEqual(plaintextIn(await liveRows(db().engine, doctorScheduleView), PATIENT_PLAINTEXT), []);
  });

  /** The doctor's device writing its own fields, with the server's clock on Monday evening. */
  const device = (
    bookingId: string,
    fields: MobileUpdate['fields'],
    clientTimestamp: Date,
    tenantId = TENANT,
  ) =>
    applyMobileUpdate(
      db().engine,
      { tenantId, doctorId: 'dr-1', bookingId, fields, clientTimestamp },
      { now: SERVER_NOW },
    );

  it('keeps each mobile field last-write-wins on the client clock, for the doctor’s own bookings only', async () => {
    const newer = await device(
      'b-1',
      { noteFlag: true, seenAt: at('2026-12-07T03:40:00Z') },
      at('2026-12-07T03:41:00Z'),
    );
    assert.deepEqual(newer.applied, ['noteFlag', 'seenAt']);
    const older = await device('b-1', { noteFlag: false }, at('2026-12-07T03:35:00Z'));
    assert.deepEqual([older.applied, older.superseded], [[], ['noteFlag']]);
    assert.deepEqual(older.fields, { noteFlag: true, seenAt: '2026-12-07T03:40:00.000Z' });
    const cleared = await device('b-1', { seenAt: null }, at('2026-12-07T03:42:00Z'));
    assert.deepEqual(cleared.fields, { noteFlag: true, seenAt: null });
    const [b1] = (await monday()).appointments;
    assert.deepEqual(b1?.mobile, { noteFlag: true, seenAt: null });

    await assert.rejects(
      device('b-4', { noteFlag: true }, at('2026-12-07T03:41:00Z'), OTHER),
      ScheduleEntryNotFoundError,
    );
    await assert.rejects(
      device('b-1', { noteFlag: false }, new Date(SERVER_NOW.getTime() + MAX_CLIENT_CLOCK_LEAD_MS + 1)),
      (error) => error instanceof ValidationError && error.field === 'clientTimestamp',
    );
    await assert.rejects(device('b-1', {}, at('2026-12-07T03:41:00Z')), ValidationError);
  });

  it('serves the request path: its tenant’s day, and its own device fields, through row-level security', async () => {
    const asClinic = tenantScopedEngine(db().engine, TENANT);
    const written = await applyMobileUpdate(
      asClinic,
      {
        tenantId: TENANT,
        doctorId: 'dr-1',
        bookingId: 'b-6',
        fields: { seenAt: at('2026-12-07T05:00:00Z') },
        clientTimestamp: at('2026-12-07T05:00:00Z'),
      },
      { now: SERVER_NOW },
    );
    assert.deepEqual(written.applied, ['seenAt']);
    const day = await doctorDay(asClinic, { tenantId: TENANT, doctorId: 'dr-1', date: MONDAY });
    assert.deepEqual(day, await monday());
    assert.equal(
      day.appointments.find((entry) => entry.bookingId === 'b-6')?.mobile.seenAt,
      '2026-12-07T05:00:00.000Z',
    );
    // Another tenant's session asking for this tenant's day sees nothing of it.
    const intruder = await doctorDay(tenantScopedEngine(db().engine, OTHER), {
      tenantId: TENANT,
      doctorId: 'dr-1',
      date: MONDAY,
    });
    assert.deepEqual([intruder.doctor, intruder.windows, intruder.appointments], [null, [], []]);
  });

  it('converges to the same fields whatever order the updates arrive in', async () => {
    // Few distinct clocks, so that equal timestamps (the tie-break) are common.
    const clock = fc.constantFrom('04:00', '04:01', '04:02').map((time) => at(`${MONDAY}T${time}:00Z`));
    const update = fc.record({
      fields: fc.oneof(
        fc.record({ noteFlag: fc.boolean() }),
        fc.record({ seenAt: fc.option(clock, { nil: null }) }),
        fc.record({ noteFlag: fc.boolean(), seenAt: clock }),
      ),
      clientTimestamp: clock,
    });
    const twoOrders = fc
      .array(update, { minLength: 1, maxLength: 6 })
      .chain((updates) =>
        fc.tuple(
          fc.constant(updates),
          fc.shuffledSubarray(updates, { minLength: updates.length, maxLength: updates.length }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(twoOrders, async (orders) => {
        const outcomes: unknown[] = [];
        for (const order of orders) {
          await db().engine.query(
            'delete from read.doctor_schedule_mobile where tenant_id = $1 and booking_id = $2',
            [TENANT, 'b-6'],
          );
          let fields: unknown;
          for (const { fields: given, clientTimestamp } of order) {
            ({ fields } = await device('b-6', given, clientTimestamp));
          }
          outcomes.push(fields);
        }
        assert.deepEqual(outcomes[0], outcomes[1]);
      }),
      { numRuns: 15 },
    );
  });

  it('leaves identical tables when every event is delivered twice', async () => {
    const before = await liveRows(db().engine, doctorScheduleView);
    assert.ok(before['doctor_schedule_view']!.length >= 8);
    await deliverEverythingAgain(db().engine, doctorScheduleView, [scenario.last, other.last]);
    assert.deepEqual(await liveRows(db().engine, doctorScheduleView), before);
  });

  it('rebuilds into the same tables as incremental processing, and the mobile fields survive unchanged', async () => {
    await device('b-4', { noteFlag: true }, at('2026-12-07T04:10:00Z'));
    const dayBefore = await monday();
    await assertRebuildsIdentically(db().engine, runtime, doctorScheduleView, TENANT);

    const dayAfter = await monday();
    assert.deepEqual(dayAfter, dayBefore);
    const moved = dayAfter.appointments.find(
      (entry) => entry.bookingId === 'b-4' && entry.status === 'booked',
    );
    assert.deepEqual(moved?.mobile, { noteFlag: true, seenAt: null });
    // The clocks survived too: an older write still loses after the rebuild.
    const stale = await device('b-4', { noteFlag: false }, at('2026-12-07T04:05:00Z'));
    assert.deepEqual(stale.superseded, ['noteFlag']);
  });
});
