/**
 * Applies events to a schedule read model (doctor_schedule_view, clinic_calendar_view): loads the rows the
 * events touch with one statement per table, applies the events in order in memory (RowBuffer keeps the
 * meaning of the SQL each change stands for), and writes each table's changes back with a few multi-row
 * statements. One event or a thousand, one code path.
 */
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { applyToBranches, branchKeyOf, branchRows } from '../clinic-calendar/branches.ts';
import { appointmentKeysOf, appointmentRows, applyToAppointments } from './appointments.ts';
import { applyToAvailability, availabilityKeysOf, availabilityRows } from './availability.ts';
import { applyToDoctors, doctorKeyOf, doctorRows } from './doctors.ts';
import { applyToVisits, visitKeysOf, visitRows } from './visits.ts';

export interface ScheduleTables {
  readonly appointments: string;
  readonly visits: string;
  readonly doctors: string;
  readonly windows: string;
  readonly blocks: string;
  /** The clinic calendar's branches; the doctor's schedule has none. */
  readonly branches?: string;
}

export async function applySchedule(
  events: readonly RecordedEvent[],
  tx: Sql,
  t: ScheduleTables,
): Promise<void> {
  const appointments = appointmentRows(t.appointments);
  const visits = visitRows(t.visits);
  const doctors = doctorRows(t.doctors);
  const availability = availabilityRows(t);
  const branches = t.branches === undefined ? undefined : branchRows(t.branches);

  const keys = {
    appointments: [] as (readonly unknown[])[],
    visits: [] as (readonly unknown[])[],
    doctors: [] as (readonly unknown[])[],
    windows: [] as (readonly unknown[])[],
    blocks: [] as (readonly unknown[])[],
    branches: [] as (readonly unknown[])[],
  };
  for (const event of events) {
    keys.appointments.push(...appointmentKeysOf(event));
    const visit = visitKeysOf(event);
    if (visit.visit) keys.visits.push(visit.visit);
    if (visit.doctor) keys.doctors.push(visit.doctor);
    const doctor = doctorKeyOf(event);
    if (doctor) keys.doctors.push(doctor);
    const { windows, block } = availabilityKeysOf(event);
    if (windows) keys.windows.push(windows);
    if (block) keys.blocks.push(block);
    const branch = branchKeyOf(event);
    if (branch) keys.branches.push(branch);
  }
  await appointments.load(tx, keys.appointments);
  await visits.load(tx, keys.visits);
  await doctors.load(tx, keys.doctors);
  await availability.windows.load(tx, keys.windows);
  await availability.blocks.load(tx, keys.blocks);
  if (branches) await branches.load(tx, keys.branches);

  for (const event of events) {
    if (branches) applyToBranches(event, branches);
    applyToDoctors(event, doctors);
    applyToAvailability(event, availability);
    applyToAppointments(event, appointments);
    applyToVisits(event, { visits, doctors });
  }

  for (const rows of [appointments, visits, doctors, availability.windows, availability.blocks, branches]) {
    await rows?.flush(tx);
  }
}
