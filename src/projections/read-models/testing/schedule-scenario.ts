/**
 * Test history for the scheduling read models, built through the command side (never raw events) on top of the
 * clinic fixture (pricing policy pp-1, branch br-1, doctor dr-1 at br-1 weekdays 09:00–13:00 Asia/Kolkata in
 * 15-minute slots, patient pt-1). For Monday 2026-12-07 it adds a second branch (br-2, Mondays 14:00–16:00 in
 * 30-minute slots), a second patient, a later pricing version, a block, six bookings — kept, cancelled late by
 * the patient, cancelled by the clinic, rescheduled, pending a reschedule, no-show — a completed visit and a
 * walk-in. Times in the comments are the doctor's (IST, UTC+5:30).
 */
import type { CommandMetadata } from '../../../commands/command-metadata.ts';
import type { CommandResult, CommandService } from '../../../commands/command-service.ts';
import {
  BOOKING_TIME,
  buildClinic,
  metadataFor,
  MONDAY,
  SETUP_TIME,
  testMasterKeys,
} from '../../../commands/testing/clinic-fixture.ts';
import type { BookingCommand } from '../../../domain/booking/commands.ts';
import type { VisitCommand } from '../../../domain/visit/commands.ts';
import type { Engine } from '../../../store/engines/engine.ts';
import type { AppendResult } from '../../../store/event-store.ts';

export { MONDAY };

/** The plaintext of patient fields the scenario writes: none of it may reach a read table. */
export const PATIENT_PLAINTEXT = ['Asha', 'Ravi', '9812345678', 'Recovered well', 'Chest pain'] as const;

/** Pricing version 2 of pp-1 takes effect then (in_person 900.00, deposit 250.00). */
export const PRICING_V2_FROM = new Date('2026-12-03T00:00:00.000Z');

export interface Scenario {
  readonly tenantId: string;
  readonly commands: CommandService;
  /** The last append: wait for it and the projections hold the whole scenario. */
  readonly last: AppendResult;
}

/** Runs commands in order, remembering the last append. */
class Script {
  last: AppendResult | undefined;

  constructor(
    readonly tenantId: string,
    readonly commands: CommandService,
  ) {}

  meta(now: Date): CommandMetadata {
    return metadataFor(this.tenantId, now);
  }

  async run(result: Promise<CommandResult>): Promise<void> {
    const { appended } = await result;
    if (appended) this.last = appended;
  }

  book(command: BookingCommand): Promise<void> {
    return this.run(this.commands.book(command, this.meta(command.now)));
  }

  create(
    bookingId: string,
    patientId: string,
    branchId: string,
    start: string,
    consultationType = 'in_person',
  ) {
    return this.book({
      type: 'CreateBooking',
      bookingId,
      patientId,
      doctorId: 'dr-1',
      branchId,
      channel: consultationType === 'tele' ? 'tele_prepay' : 'staff_console',
      consultationType,
      slot: { date: MONDAY, start },
      reasonForVisit: consultationType === 'tele' ? 'Chest pain' : null,
      portalRequestId: null,
      now: BOOKING_TIME,
    });
  }

  done(): Scenario {
    if (!this.last) throw new Error('the scenario appended nothing');
    return { tenantId: this.tenantId, commands: this.commands, last: this.last };
  }
}

export async function registerPatient(
  commands: CommandService,
  tenantId: string,
  patientId: string,
  name: string,
): Promise<CommandResult> {
  return commands.execute(
    'patient',
    {
      type: 'RegisterPatient',
      patientId,
      name,
      phone: '+919800000002',
      email: null,
      birthDate: '1990-01-01',
      gender: 'male',
      address: null,
      abhaNumber: null,
      abhaAddress: null,
      notes: null,
      now: SETUP_TIME,
    },
    metadataFor(tenantId, SETUP_TIME),
  );
}

export async function buildScheduleScenario(engine: Engine, tenantId: string): Promise<Scenario> {
  const script = new Script(tenantId, await buildClinic(engine, tenantId, testMasterKeys()));
  const { commands } = script;
  const setup = script.meta(SETUP_TIME);
  await script.run(
    commands.execute(
      'branch',
      { type: 'AddBranch', branchId: 'br-2', name: 'Koramangala', pricingPolicyId: 'pp-1', now: SETUP_TIME },
      setup,
    ),
  );
  const branch = (await commands.state(tenantId, 'branch', 'br-2')).state;
  await script.run(
    commands.execute(
      'doctor',
      { type: 'AssignDoctorToBranch', doctorId: 'dr-1', branchId: 'br-2', branch, now: SETUP_TIME } as never,
      setup,
    ),
  );
  await script.run(
    commands.execute(
      'doctor',
      {
        type: 'UpdateDoctorAvailability',
        doctorId: 'dr-1',
        branchId: 'br-2',
        windows: [{ weekday: 1, start: '14:00', end: '16:00', slotMinutes: 30 }],
        now: SETUP_TIME,
      },
      setup,
    ),
  );
  await script.run(registerPatient(commands, tenantId, 'pt-2', 'Ravi Kumar'));
  const decidedAt = new Date('2026-11-20T00:00:00.000Z');
  await script.run(
    commands.execute(
      'pricing_policy',
      {
        type: 'ChangePricingRule',
        policyId: 'pp-1',
        effectiveFrom: PRICING_V2_FROM,
        currency: 'INR',
        cancellationWindowMinutes: 24 * 60,
        prices: [
          {
            consultationType: 'in_person',
            price: { amountMinor: 90_000, currency: 'INR' },
            deposit: { amountMinor: 25_000, currency: 'INR' },
          },
          {
            consultationType: 'tele',
            price: { amountMinor: 50_000, currency: 'INR' },
            deposit: { amountMinor: 50_000, currency: 'INR' },
          },
        ],
        now: decidedAt,
      },
      script.meta(decidedAt),
    ),
  );
  // 12:00–13:00 on Monday.
  await script.run(
    commands.execute(
      'doctor',
      {
        type: 'AddDoctorBlock',
        doctorId: 'dr-1',
        blockId: 'blk-1',
        startsAt: new Date('2026-12-07T06:30:00.000Z'),
        endsAt: new Date('2026-12-07T07:30:00.000Z'),
        reasonCode: 'personal',
        now: BOOKING_TIME,
      },
      script.meta(BOOKING_TIME),
    ),
  );

  await script.create('b-1', 'pt-1', 'br-1', '09:00');
  await script.create('b-2', 'pt-1', 'br-1', '09:30');
  await script.create('b-3', 'pt-2', 'br-1', '10:00');
  await script.create('b-4', 'pt-2', 'br-1', '10:30', 'tele');
  await script.create('b-5', 'pt-1', 'br-2', '14:00');
  await script.create('b-6', 'pt-2', 'br-1', '11:30');

  const requestReschedule = (bookingId: string, requestedBy: 'patient' | 'clinic', now: Date) =>
    script.book({
      type: 'RequestReschedule',
      bookingId,
      requestId: `rq-${bookingId}`,
      requestedBy,
      preferredSlot: null,
      portalRequestId: null,
      now,
    });
  // b-4 moves from 10:30 to 11:00.
  await requestReschedule('b-4', 'clinic', new Date('2026-12-01T07:00:00.000Z'));
  await script.book({
    type: 'CompleteReschedule',
    bookingId: 'b-4',
    requestId: 'rq-b-4',
    slot: { date: MONDAY, start: '11:00' },
    now: new Date('2026-12-01T07:05:00.000Z'),
  });
  await requestReschedule('b-3', 'patient', new Date('2026-12-02T06:00:00.000Z'));
  await requestReschedule('b-6', 'patient', new Date('2026-12-02T06:00:00.000Z'));
  // The clinic cancels b-3 two days ahead (its open request is refused); the patient cancels b-2 8 h ahead: late.
  await script.book({
    type: 'CancelBooking',
    bookingId: 'b-3',
    initiatedBy: 'clinic',
    reasonCode: 'doctor_unavailable',
    portalRequestId: null,
    now: new Date('2026-12-05T06:00:00.000Z'),
  });
  await script.book({
    type: 'CancelBooking',
    bookingId: 'b-2',
    initiatedBy: 'patient',
    reasonCode: 'patient_request',
    portalRequestId: null,
    now: new Date('2026-12-06T20:00:00.000Z'),
  });

  const visit = (command: VisitCommand) =>
    script.run(commands.execute('visit', command, script.meta(command.now)));
  // b-1: arrives 08:55, starts 09:01, completed 09:20.
  await visit({
    type: 'RecordArrival',
    visitId: 'v-1',
    bookingId: 'b-1',
    patientId: 'pt-1',
    doctorId: 'dr-1',
    branchId: 'br-1',
    tele: false,
    now: new Date('2026-12-07T03:25:00.000Z'),
  });
  await visit({ type: 'StartVisit', visitId: 'v-1', now: new Date('2026-12-07T03:31:00.000Z') });
  await visit({
    type: 'CompleteVisit',
    visitId: 'v-1',
    notes: 'Recovered well',
    now: new Date('2026-12-07T03:50:00.000Z'),
  });
  // A walk-in at 10:40, seen at 10:45.
  await visit({
    type: 'RecordArrival',
    visitId: 'v-w',
    bookingId: null,
    patientId: 'pt-2',
    doctorId: 'dr-1',
    branchId: 'br-1',
    tele: false,
    now: new Date('2026-12-07T05:10:00.000Z'),
  });
  await visit({ type: 'StartVisit', visitId: 'v-w', now: new Date('2026-12-07T05:15:00.000Z') });
  // b-5 (14:00 at br-2): nobody came.
  await script.book({
    type: 'MarkBookingNoShow',
    bookingId: 'b-5',
    now: new Date('2026-12-07T09:00:00.000Z'),
  });
  await visit({
    type: 'RecordNoShow',
    visitId: 'v-5',
    bookingId: 'b-5',
    patientId: 'pt-1',
    doctorId: 'dr-1',
    branchId: 'br-2',
    slotStartsAt: '2026-12-07T08:30:00.000Z',
    now: new Date('2026-12-07T09:01:00.000Z'),
  });
  return script.done();
}

/** Another tenant with the same ids: the fixture clinic and one booking (b-1 at 09:00 on Monday). */
export async function buildSmallClinic(engine: Engine, tenantId: string): Promise<Scenario> {
  const script = new Script(tenantId, await buildClinic(engine, tenantId, testMasterKeys()));
  await script.create('b-1', 'pt-1', 'br-1', '09:00');
  return script.done();
}
