/**
 * The schedule read models over HTTP on both engines — doctor_schedule_view, clinic_calendar_view,
 * portal_slots_view — built from the scheduling scenario (tenant A) and a small clinic with the same ids
 * (tenant B): answers equal the query API's, each patient named is disclosed (and no one else), bad input is
 * a 400 naming the field, roles without the permission get 403, and B's keys never see A.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { BOOKING_TIME } from '../../commands/testing/clinic-fixture.ts';
import { branchCalendar } from '../../projections/read-models/clinic-calendar/branch-calendar.ts';
import { clinicCalendarView } from '../../projections/read-models/clinic-calendar/clinic-calendar-projection.ts';
import { doctorDay } from '../../projections/read-models/doctor-schedule/doctor-day.ts';
import { doctorScheduleView } from '../../projections/read-models/doctor-schedule/doctor-schedule-projection.ts';
import { portalSlotsView } from '../../projections/read-models/portal-slots/portal-slots-projection.ts';
import { portalSlots } from '../../projections/read-models/portal-slots/portal-slots-query.ts';
import {
  buildScheduleScenario,
  buildSmallClinic,
  MONDAY,
} from '../../projections/read-models/testing/schedule-scenario.ts';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { buildReadModels, openQueryTestbed, type QueryTestbed } from './testing/query-testbed.ts';

const A = 'sched-a';
const B = 'sched-b';
const TUESDAY = '2026-12-08';
/** What the query API answers, as it travels as JSON. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describeEachEngine('schedule read models over HTTP', (db) => {
  let testbed: QueryTestbed;

  before(async () => {
    const engine = db().engine;
    // The portal asks "now": the morning the scenario books.
    testbed = await openQueryTestbed(engine, [A, B], { clock: () => BOOKING_TIME });
    const a = await buildScheduleScenario(engine, A);
    const b = await buildSmallClinic(engine, B);
    await buildReadModels(
      engine,
      [doctorScheduleView, clinicCalendarView, portalSlotsView],
      [a.last, b.last],
    );
  });
  after(() => testbed.close());

  it("answers a doctor's day as the query API does, disclosing each patient it names", async () => {
    const response = await testbed.get(A, 'doctor', `/v1/doctors/dr-1/schedule?date=${MONDAY}`);
    assert.equal(response.statusCode, 200);
    const day = response.json();
    assert.deepEqual(
      day,
      asJson(await doctorDay(db().engine, { tenantId: A, doctorId: 'dr-1', date: MONDAY })),
    );
    assert.deepEqual(
      day.appointments.map(
        (entry: { bookingId: string; status: string }) => `${entry.bookingId} ${entry.status}`,
      ),
      [
        'b-1 booked',
        'b-2 cancelled',
        'b-3 cancelled',
        'b-4 rescheduled',
        'b-4 booked',
        'b-6 booked',
        'b-5 no_show',
      ],
    );
    assert.deepEqual(await testbed.disclosed(response), ['pt-1', 'pt-2']);

    const tuesday = await testbed.get(A, 'front_desk', `/v1/doctors/dr-1/schedule?date=${TUESDAY}`);
    assert.equal(tuesday.statusCode, 200);
    assert.deepEqual(tuesday.json().appointments, []);
    assert.deepEqual(await testbed.disclosed(tuesday), [], 'no patient, no disclosure');
  });

  it("answers a branch's days, disclosing only the patients of the rows returned", async () => {
    const range = await testbed.get(
      A,
      'front_desk',
      `/v1/branches/br-1/calendar?from=${MONDAY}&to=${TUESDAY}`,
    );
    assert.equal(range.statusCode, 200);
    const body = range.json();
    assert.deepEqual(
      body.days.map((day: { date: string }) => day.date),
      [MONDAY, TUESDAY],
    );
    assert.deepEqual(
      body.days[0],
      asJson(await branchCalendar(db().engine, { tenantId: A, branchId: 'br-1', date: MONDAY })),
    );
    assert.deepEqual(body.days[0].summary, {
      booked: 3,
      cancelled: 2,
      lateCancellations: 1,
      noShows: 0,
      rescheduledAway: 1,
      walkIns: 1,
    });
    assert.deepEqual(await testbed.disclosed(range), ['pt-1', 'pt-2']);

    // br-2 on Monday holds only b-5, pt-1's: pt-2 is not disclosed.
    const otherBranch = await testbed.get(A, 'doctor', `/v1/branches/br-2/calendar?from=${MONDAY}`);
    assert.deepEqual(
      otherBranch
        .json()
        .days.map((day: { appointments: { bookingId: string }[] }) =>
          day.appointments.map((entry) => entry.bookingId),
        ),
      [['b-5']],
    );
    assert.deepEqual(await testbed.disclosed(otherBranch), ['pt-1']);
  });

  it('lists bookable slots with their price to a patient, naming no patient', async () => {
    const response = await testbed.get(A, 'patient', `/v1/slots?date=${MONDAY}`, { actorId: 'pt-1' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(
      response.json(),
      asJson(await portalSlots(db().engine, { tenantId: A, date: MONDAY, now: BOOKING_TIME })),
    );
    assert.equal(response.json().slots.length, 12);
    assert.deepEqual(await testbed.disclosed(response), []);

    const filtered = await testbed.get(
      A,
      'integration',
      `/v1/slots?date=${MONDAY}&branchId=br-2&doctorId=dr-1&consultationType=in_person`,
    );
    assert.deepEqual(
      filtered
        .json()
        .slots.map((slot: { start: string; pricing: { options: unknown[] } }) => [
          slot.start,
          slot.pricing.options.length,
        ]),
      [
        ['14:30', 1],
        ['15:00', 1],
        ['15:30', 1],
      ],
    );
  });

  it("gives tenant B's keys B's rows only, whatever ids and parameters they send", async () => {
    const day = await testbed.get(B, 'doctor', `/v1/doctors/dr-1/schedule?date=${MONDAY}`);
    assert.deepEqual(
      day.json().appointments.map((entry: { bookingId: string }) => entry.bookingId),
      ['b-1'],
    );
    assert.equal(day.json().tenantId, B);
    assert.deepEqual(await testbed.disclosed(day), ['pt-1']);

    // br-2 exists in A only.
    const calendar = (await testbed.get(B, 'front_desk', `/v1/branches/br-2/calendar?from=${MONDAY}`)).json();
    assert.deepEqual([calendar.days[0].branch, calendar.days[0].appointments], [null, []]);
    const slots = (await testbed.get(B, 'patient', `/v1/slots?date=${MONDAY}`, { actorId: 'pt-1' })).json();
    assert.ok(slots.slots.length > 0);
    assert.ok(slots.slots.every((slot: { branchId: string }) => slot.branchId === 'br-1'));
    assert.equal(slots.slots[0].start, '09:15', "B's own booking took 09:00");

    for (const url of [
      `/v1/doctors/dr-1/schedule?date=${MONDAY}&tenantId=${A}`,
      `/v1/slots?date=${MONDAY}&tenant_id=${A}`,
    ]) {
      const crafted = await testbed.get(B, 'front_desk', url);
      assert.equal(crafted.statusCode, 400, url);
      assert.equal(crafted.json().code, 'VALIDATION_FAILED');
    }
    assert.doesNotMatch(JSON.stringify([day.json(), slots]), new RegExp(`${A}|b-[2-6]|br-2|pt-2|v-w`));
  });

  it('refuses bad input with a 400 naming the field, and discloses nothing', async () => {
    const cases: [url: string, field: string, location: string][] = [
      ['/v1/doctors/dr-1/schedule', 'date', 'query'],
      ['/v1/doctors/dr-1/schedule?date=2026-02-30', 'date', 'query'],
      ['/v1/doctors/dr-1/schedule?date=07-12-2026', 'date', 'query'],
      [`/v1/doctors/dr%20one/schedule?date=${MONDAY}`, 'doctorId', 'params'],
      [`/v1/doctors/dr-1/schedule?date=${MONDAY}&minTenantSeq=0`, 'minTenantSeq', 'query'],
      [`/v1/doctors/dr-1/schedule?date=${MONDAY}&minTenantSeq=one`, 'minTenantSeq', 'query'],
      [`/v1/branches/br-1/calendar?from=${MONDAY}&to=2026-12-06`, 'to', 'query'],
      [`/v1/branches/br-1/calendar?from=${MONDAY}&to=2027-01-07`, 'to', 'query'],
      ['/v1/branches/br-1/calendar', 'from', 'query'],
      [`/v1/slots?date=${MONDAY}&consultationType=In-Person`, 'consultationType', 'query'],
      [`/v1/slots?date=${MONDAY}&branchId=br%271`, 'branchId', 'query'],
    ];
    for (const [url, field, location] of cases) {
      const response = await testbed.get(A, 'front_desk', url);
      assert.equal(response.statusCode, 400, url);
      assert.deepEqual(
        [response.json().code, response.json().field, response.json().in],
        ['VALIDATION_FAILED', field, location],
        url,
      );
      assert.deepEqual(await testbed.disclosed(response), [], url);
    }
    // A range of exactly 31 days is accepted.
    const month = await testbed.get(
      A,
      'front_desk',
      `/v1/branches/br-1/calendar?from=${MONDAY}&to=2027-01-06`,
    );
    assert.equal(month.json().days.length, 31);
  });

  it('refuses roles without the permission with 403', async () => {
    const cases: [role: 'finance' | 'tenant_admin' | 'patient', url: string, permission: string][] = [
      ['finance', `/v1/doctors/dr-1/schedule?date=${MONDAY}`, 'visits:read'],
      ['tenant_admin', `/v1/doctors/dr-1/schedule?date=${MONDAY}`, 'visits:read'],
      ['patient', `/v1/doctors/dr-1/schedule?date=${MONDAY}`, 'visits:read'],
      ['patient', `/v1/branches/br-1/calendar?from=${MONDAY}`, 'visits:read'],
      ['finance', `/v1/slots?date=${MONDAY}`, 'bookings:read'],
    ];
    for (const [role, url, permission] of cases) {
      const response = await testbed.get(A, role, url, role === 'patient' ? { actorId: 'pt-1' } : {});
      assert.equal(response.statusCode, 403, `${role} ${url}`);
      assert.deepEqual([response.json().code, response.json().permission], ['PERMISSION_DENIED', permission]);
      assert.deepEqual(await testbed.disclosed(response), []);
    }
    const auditor = await testbed.get(A, 'auditor', `/v1/doctors/dr-1/schedule?date=${MONDAY}`);
    assert.equal(auditor.statusCode, 200);
  });
});
