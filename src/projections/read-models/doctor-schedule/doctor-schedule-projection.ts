/**
 * doctor_schedule_view (seed §8, doctor mobile): a doctor's day across branches — availability windows, blocks,
 * booked slots with the patient's id and the booking's status, arrivals and visit progress. Built only from
 * events; the doctor mobile's own fields live beside it (mobile-fields.ts) and survive every rebuild.
 */
import type { Projection, TableNames } from '../../projection.ts';
import { APPOINTMENT_EVENT_TYPES, appointmentsDdl } from '../schedule/appointments.ts';
import { AVAILABILITY_EVENT_TYPES, blocksDdl, windowsDdl } from '../schedule/availability.ts';
import { DOCTOR_EVENT_TYPES, doctorsDdl } from '../schedule/doctors.ts';
import { applySchedule } from '../schedule/schedule-batch.ts';
import { VISIT_EVENT_TYPES, visitsDdl } from '../schedule/visits.ts';
import { tablesByRole } from '../shared/table-roles.ts';

export const DOCTOR_SCHEDULE_TABLES = {
  appointments: 'doctor_schedule_view',
  visits: 'doctor_schedule_visits',
  doctors: 'doctor_schedule_doctors',
  windows: 'doctor_schedule_windows',
  blocks: 'doctor_schedule_blocks',
} as const;

/** The concrete names of the model's tables, by role. */
export const doctorScheduleTables = (tables: TableNames) => tablesByRole(DOCTOR_SCHEDULE_TABLES, tables);

export const doctorScheduleView: Projection = {
  name: 'doctor_schedule_view',
  version: 1,
  tables: Object.values(DOCTOR_SCHEDULE_TABLES),
  eventTypes: [
    ...DOCTOR_EVENT_TYPES,
    ...AVAILABILITY_EVENT_TYPES,
    ...APPOINTMENT_EVENT_TYPES,
    ...VISIT_EVENT_TYPES,
  ],
  createTables(tables) {
    const t = doctorScheduleTables(tables);
    return [
      appointmentsDdl(t.appointments, 'doctor_id'),
      visitsDdl(t.visits, 'doctor_id'),
      doctorsDdl(t.doctors),
      windowsDdl(t.windows),
      blocksDdl(t.blocks),
    ].join('\n');
  },
  apply: (event, tx, tables) => applySchedule([event], tx, doctorScheduleTables(tables)),
  applyBatch: (events, tx, tables) => applySchedule(events, tx, doctorScheduleTables(tables)),
};
