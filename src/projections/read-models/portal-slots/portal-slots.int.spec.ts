/**
 * portal_slots_view on both engines, fed by the runtime in small batches from histories written through the
 * command side: bookable slots with the price in force when the portal asks, the horizon, slots leaving and
 * returning as bookings, cancellations, blocks and branches change, redelivery, and rebuilds against
 * incremental processing.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { CommandResult } from '../../../commands/command-service.ts';
import { BOOKING_TIME, metadataFor, SETUP_TIME } from '../../../commands/testing/clinic-fixture.ts';
import { DomainRuleError } from '../../../domain/shared/domain-rule-error.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { describeEachEngine } from '../../../store/testing/test-engines.ts';
import { ProjectionRuntime } from '../../projection-runtime.ts';
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
  PRICING_V2_FROM,
  type Scenario,
} from '../testing/schedule-scenario.ts';
import { PORTAL_HORIZON_DAYS } from './horizon.ts';
import { portalSlotsView } from './portal-slots-projection.ts';
import { portalSlots, type PortalSlotsQuery } from './portal-slots-query.ts';

const TENANT = 'clinic-a';
const OTHER = 'clinic-b';
const INR = (amountMinor: number) => ({ amountMinor, currency: 'INR' });

describeEachEngine('portal_slots_view', (db) => {
  let runtime: ProjectionRuntime;
  let scenario: Scenario;
  let other: Scenario;

  before(async () => {
    scenario = await buildScheduleScenario(db().engine, TENANT);
    other = await buildSmallClinic(db().engine, OTHER);
    runtime = await consumeUntil(db().engine, portalSlotsView, [scenario.last, other.last]);
  });

  const slots = (query: Omit<PortalSlotsQuery, 'tenantId'> & { tenantId?: string }) =>
    portalSlots(db().engine, { tenantId: TENANT, ...query });
  const starts = async (query: Omit<PortalSlotsQuery, 'tenantId'> & { tenantId?: string }) =>
    (await slots(query)).slots.map((slot) => `${slot.branchId} ${slot.start}`);

  it('lists the slots inside availability, outside blocks and not taken, priced by the version in force', async () => {
    const week = await slots({ date: MONDAY, now: BOOKING_TIME });
    assert.deepEqual(
      week.slots.map((slot) => `${slot.branchId} ${slot.start}`),
      [
        // 09:00 is b-1's, 11:00 b-4's (moved there from 10:30), 11:30 b-6's; 12:00–13:00 is blocked; the
        // cancelled 09:30 and 10:00 are free again.
        ...['09:15', '09:30', '09:45', '10:00', '10:15', '10:30', '10:45', '11:15', '11:45'].map(
          (t) => `br-1 ${t}`,
        ),
        // 14:00 stays consumed by the no-show.
        ...['14:30', '15:00', '15:30'].map((t) => `br-2 ${t}`),
      ],
    );
    const [first] = week.slots;
    assert.deepEqual(first, {
      doctorId: 'dr-1',
      doctorName: 'Dr. Meera Iyer',
      branchId: 'br-1',
      branchName: 'Indiranagar',
      date: MONDAY,
      start: '09:15',
      end: '09:30',
      startsAt: '2026-12-07T03:45:00.000Z',
      endsAt: '2026-12-07T04:00:00.000Z',
      timeZone: 'Asia/Kolkata',
      pricing: {
        policyId: 'pp-1',
        version: 1,
        effectiveFrom: SETUP_TIME.toISOString(),
        cancellationWindowMinutes: 1440,
        options: [
          { consultationType: 'in_person', price: INR(80_000), deposit: INR(20_000) },
          { consultationType: 'tele', price: INR(50_000), deposit: INR(50_000) },
        ],
      },
    });
    assert.deepEqual(week.horizon, { firstDate: '2026-12-05', lastDate: '2027-02-04' });

    // On the morning itself: slots already started are gone, and version 2 prices them.
    const morning = await slots({
      date: MONDAY,
      branchId: 'br-1',
      consultationType: 'in_person',
      now: new Date('2026-12-07T04:00:00.000Z'),
    });
    assert.deepEqual(
      morning.slots.map((slot) => slot.start),
      ['09:45', '10:00', '10:15', '10:30', '10:45', '11:15', '11:45'],
    );
    assert.ok(PRICING_V2_FROM < new Date('2026-12-07T04:00:00.000Z'));
    assert.deepEqual(morning.slots[0]?.pricing.version, 2);
    assert.deepEqual(morning.slots[0]?.pricing.options, [
      { consultationType: 'in_person', price: INR(90_000), deposit: INR(25_000) },
    ]);
    assert.deepEqual(await starts({ date: MONDAY, consultationType: 'surgery', now: BOOKING_TIME }), []);
    assert.deepEqual(await starts({ date: MONDAY, doctorId: 'dr-9', now: BOOKING_TIME }), []);
    assert.equal((await starts({ date: MONDAY, branchId: 'br-2', now: BOOKING_TIME })).length, 3);
    // The other tenant's clinic: same ids, its own bookings.
    assert.equal((await starts({ tenantId: OTHER, date: MONDAY, now: BOOKING_TIME })).length, 15);
    await assert.rejects(slots({ date: MONDAY, consultationType: 'Bad Type' }), ValidationError);
  });

  it('lists only the horizon: dates behind it are dropped, dates after it not yet listed', async () => {
    // Friday 4 December had slots until the tenant's clock reached 6 December.
    assert.deepEqual(await starts({ date: '2026-12-04', now: SETUP_TIME }), []);
    const lastDate = '2027-02-04';
    assert.equal(PORTAL_HORIZON_DAYS, 60);
    assert.equal((await starts({ date: lastDate, now: BOOKING_TIME })).length, 16);
    assert.deepEqual(await starts({ date: '2027-02-05', now: BOOKING_TIME }), []);
  });

  it('takes slots off the list and puts them back as bookings, blocks and branches change', async () => {
    const live = new ProjectionRuntime(db().engine, { projections: [portalSlotsView], pollIntervalMs: 100 });
    await live.start();
    const { commands } = other;
    const meta = metadataFor(OTHER, BOOKING_TIME);
    const step = async (result: Promise<CommandResult>) => {
      const { appended } = await result;
      if (appended) await live.waitFor(appended);
    };
    const monday = () => starts({ tenantId: OTHER, date: MONDAY, branchId: 'br-1', now: BOOKING_TIME });
    try {
      assert.equal((await monday())[0], 'br-1 09:15');
      await step(
        commands.book(
          {
            type: 'CreateBooking',
            bookingId: 'b-2',
            patientId: 'pt-1',
            doctorId: 'dr-1',
            branchId: 'br-1',
            channel: 'portal',
            consultationType: 'in_person',
            slot: { date: MONDAY, start: '09:15' },
            reasonForVisit: null,
            portalRequestId: 'pr-1',
            now: BOOKING_TIME,
          },
          meta,
        ),
      );
      assert.equal((await monday())[0], 'br-1 09:30');
      await step(
        commands.book(
          {
            type: 'CancelBooking',
            bookingId: 'b-2',
            initiatedBy: 'patient',
            reasonCode: 'patient_request',
            portalRequestId: null,
            now: BOOKING_TIME,
          },
          meta,
        ),
      );
      assert.equal((await monday()).length, 15);

      // 10:00–11:00 blocked, then unblocked.
      const block = {
        doctorId: 'dr-1',
        blockId: 'blk-b',
        startsAt: new Date('2026-12-07T04:30:00.000Z'),
        endsAt: new Date('2026-12-07T05:30:00.000Z'),
        reasonCode: 'conference',
        now: BOOKING_TIME,
      } as const;
      await step(commands.execute('doctor', { type: 'AddDoctorBlock', ...block }, meta));
      assert.equal((await monday()).length, 11);
      await assert.rejects(
        commands.book(
          {
            type: 'CreateBooking',
            bookingId: 'b-3',
            patientId: 'pt-1',
            doctorId: 'dr-1',
            branchId: 'br-1',
            channel: 'staff_console',
            consultationType: 'in_person',
            slot: { date: MONDAY, start: '10:15' },
            reasonForVisit: null,
            portalRequestId: null,
            now: BOOKING_TIME,
          },
          meta,
        ),
        (error) => error instanceof DomainRuleError && error.code === 'SLOT_BLOCKED',
      );
      await step(
        commands.execute(
          'doctor',
          { type: 'RemoveDoctorBlock', doctorId: 'dr-1', blockId: 'blk-b', now: BOOKING_TIME },
          meta,
        ),
      );
      assert.equal((await monday()).length, 15);

      // A branch opens on Tuesday afternoons, then closes.
      const tuesday = () =>
        starts({ tenantId: OTHER, date: '2026-12-08', branchId: 'br-9', now: BOOKING_TIME });
      await step(
        commands.execute(
          'branch',
          {
            type: 'AddBranch',
            branchId: 'br-9',
            name: 'Jayanagar',
            pricingPolicyId: 'pp-1',
            now: BOOKING_TIME,
          },
          meta,
        ),
      );
      const branch = (await commands.state(OTHER, 'branch', 'br-9')).state;
      await step(
        commands.execute(
          'doctor',
          {
            type: 'AssignDoctorToBranch',
            doctorId: 'dr-1',
            branchId: 'br-9',
            branch,
            now: BOOKING_TIME,
          } as never,
          meta,
        ),
      );
      await step(
        commands.execute(
          'doctor',
          {
            type: 'UpdateDoctorAvailability',
            doctorId: 'dr-1',
            branchId: 'br-9',
            windows: [{ weekday: 2, start: '14:00', end: '15:00', slotMinutes: 30 }],
            now: BOOKING_TIME,
          },
          meta,
        ),
      );
      assert.deepEqual(await tuesday(), ['br-9 14:00', 'br-9 14:30']);
      await step(
        commands.execute(
          'branch',
          { type: 'RemoveBranch', branchId: 'br-9', reasonCode: 'closed', now: BOOKING_TIME },
          meta,
        ),
      );
      assert.deepEqual(await tuesday(), []);
    } finally {
      await live.stop();
    }
  });

  it('holds no patient data', async () => {
    assert.deepEqual(plaintextIn(await liveRows(db().engine, portalSlotsView), PATIENT_PLAINTEXT), []);
  });

  it('leaves identical tables when every event is delivered twice', async () => {
    const before = await liveRows(db().engine, portalSlotsView);
    assert.ok(before['portal_slots_view']!.length > 1_000);
    await deliverEverythingAgain(db().engine, portalSlotsView, [scenario.last, other.last]);
    assert.deepEqual(await liveRows(db().engine, portalSlotsView), before);
  });

  it('rebuilds into the same tables as incremental processing', async () => {
    await assertRebuildsIdentically(db().engine, runtime, portalSlotsView, OTHER);
  });
});
