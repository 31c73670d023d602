import { masterKeyFromBytes } from '../../compliance/master-key.ts';
import { randomBytes } from 'node:crypto';
import type { MasterKeys } from '../../compliance/index.ts';
import { uuidV7 } from '../../shared/uuid-v7.ts';
import type { Engine } from '../../store/engines/engine.ts';
import type { CommandMetadata } from '../command-metadata.ts';
import { CommandService } from '../command-service.ts';

/** A throwaway master key for tests: never from, or written to, anywhere. */
export function testMasterKeys(): MasterKeys {
  return { current: masterKeyFromBytes(randomBytes(32)), previous: [] };
}

export const SETUP_TIME = new Date('2026-11-01T00:00:00.000Z');
/** A Monday, inside dr-1's availability at br-1 (09:00–13:00 Asia/Kolkata, 15-minute slots). */
export const MONDAY = '2026-12-07';
export const BOOKING_TIME = new Date('2026-12-01T06:00:00.000Z');

export function metadataFor(
  tenantId: string,
  now: Date = SETUP_TIME,
  overrides: Partial<CommandMetadata> = {},
): CommandMetadata {
  return {
    tenantId,
    actor: { id: 'staff-1', kind: 'staff', role: 'front_desk' },
    correlationId: uuidV7(),
    causationId: uuidV7(),
    now,
    ...overrides,
  };
}

/**
 * A small clinic built through the command side (never raw events): pricing policy pp-1 (INR, in-person
 * 800.00 with a 200.00 deposit, 24 h cancellation window), branch br-1, doctor dr-1 assigned there with
 * weekday availability 09:00–13:00 Asia/Kolkata in 15-minute slots, and patient pt-1.
 */
export async function buildClinic(
  engine: Engine,
  tenantId: string,
  masterKeys = testMasterKeys(),
): Promise<CommandService> {
  const commands = CommandService.open(engine, masterKeys);
  const now = SETUP_TIME;
  const meta = metadataFor(tenantId, now);
  await commands.execute(
    'pricing_policy',
    {
      type: 'ChangePricingRule',
      policyId: 'pp-1',
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
    meta,
  );
  await commands.execute(
    'branch',
    { type: 'AddBranch', branchId: 'br-1', name: 'Indiranagar', pricingPolicyId: 'pp-1', now },
    meta,
  );
  await commands.execute(
    'doctor',
    {
      type: 'OnboardDoctor',
      doctorId: 'dr-1',
      name: 'Dr. Meera Iyer',
      registrationNumber: 'KMC-104233',
      specialties: ['general_medicine'],
      timeZone: 'Asia/Kolkata',
      now,
    },
    meta,
  );
  const branch = (await commands.state(tenantId, 'branch', 'br-1')).state;
  await commands.execute(
    'doctor',
    { type: 'AssignDoctorToBranch', doctorId: 'dr-1', branchId: 'br-1', branch, now } as never,
    meta,
  );
  await commands.execute(
    'doctor',
    {
      type: 'UpdateDoctorAvailability',
      doctorId: 'dr-1',
      branchId: 'br-1',
      windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '13:00', slotMinutes: 15 })),
      now,
    },
    meta,
  );
  await commands.execute(
    'patient',
    {
      type: 'RegisterPatient',
      patientId: 'pt-1',
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
    meta,
  );
  return commands;
}
