/**
 * clinic_calendar_view (seed §8, staff console): a branch's calendar — every doctor working there that day,
 * bookings, reschedules (the slot left and the slot taken, and open requests), cancellations (late or not),
 * no-shows, arrivals with their progress, and walk-ins (visits without a booking).
 */
import type { Projection, TableNames } from '../../projection.ts';
import { APPOINTMENT_EVENT_TYPES, appointmentsDdl } from '../schedule/appointments.ts';
import { AVAILABILITY_EVENT_TYPES, blocksDdl, windowsDdl } from '../schedule/availability.ts';
import { DOCTOR_EVENT_TYPES, doctorsDdl } from '../schedule/doctors.ts';
import { applySchedule } from '../schedule/schedule-batch.ts';
import { VISIT_EVENT_TYPES, visitsDdl } from '../schedule/visits.ts';
import { tablesByRole } from '../shared/table-roles.ts';
import { BRANCH_EVENT_TYPES, branchesDdl } from './branches.ts';

export const CLINIC_CALENDAR_TABLES = {
  appointments: 'clinic_calendar_view',
  visits: 'clinic_calendar_visits',
  doctors: 'clinic_calendar_doctors',
  windows: 'clinic_calendar_windows',
  blocks: 'clinic_calendar_blocks',
  branches: 'clinic_calendar_branches',
} as const;

/** The concrete names of the model's tables, by role. */
export const clinicCalendarTables = (tables: TableNames) => tablesByRole(CLINIC_CALENDAR_TABLES, tables);

export const clinicCalendarView: Projection = {
  name: 'clinic_calendar_view',
  version: 1,
  tables: Object.values(CLINIC_CALENDAR_TABLES),
  eventTypes: [
    ...BRANCH_EVENT_TYPES,
    ...DOCTOR_EVENT_TYPES,
    ...AVAILABILITY_EVENT_TYPES,
    ...APPOINTMENT_EVENT_TYPES,
    ...VISIT_EVENT_TYPES,
  ],
  createTables(tables) {
    const t = clinicCalendarTables(tables);
    return [
      appointmentsDdl(t.appointments, 'branch_id'),
      visitsDdl(t.visits, 'branch_id'),
      doctorsDdl(t.doctors),
      windowsDdl(t.windows),
      blocksDdl(t.blocks),
      branchesDdl(t.branches),
    ].join('\n');
  },
  apply: (event, tx, tables) => applySchedule([event], tx, clinicCalendarTables(tables)),
  applyBatch: (events, tx, tables) => applySchedule(events, tx, clinicCalendarTables(tables)),
};
