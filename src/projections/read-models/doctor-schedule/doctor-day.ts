/**
 * The doctor mobile's question to doctor_schedule_view: "my day" — across every branch the doctor works at.
 */
import { isoWeekday } from '../../../domain/doctor/local-time.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { TableNames } from '../../projection.ts';
import { liveTableNames } from '../../table-names.ts';
import { selectAppointments, type Appointment } from '../schedule/appointments.ts';
import {
  selectBlocksOnDate,
  selectWindows,
  type DayBlock,
  type DayWindow,
} from '../schedule/availability.ts';
import { selectDoctors } from '../schedule/doctors.ts';
import { selectDayVisits, visitOfAppointment, type Visit } from '../schedule/visits.ts';
import { requireDate, requireId, requireTenantId } from '../shared/query-input.ts';
import { doctorScheduleTables, doctorScheduleView } from './doctor-schedule-projection.ts';
import { NO_MOBILE_FIELDS, selectMobileFields, type MobileFields } from './mobile-fields.ts';

export interface DoctorDayQuery {
  readonly tenantId: string;
  readonly doctorId: string;
  /** The doctor's local date, YYYY-MM-DD. */
  readonly date: string;
}

export interface ScheduledAppointment extends Appointment {
  /** The booking's visit (arrival and progress, or a recorded no-show), if any. */
  readonly visit: Visit | null;
  /** The device's own fields (null until the device sets them). */
  readonly mobile: MobileFields;
}

export interface DoctorDay {
  readonly tenantId: string;
  readonly doctorId: string;
  readonly date: string;
  /** Null when the schedule does not know the doctor. */
  readonly doctor: { readonly name: string; readonly timeZone: string } | null;
  /** The weekly windows of the date's weekday at every branch, in local times. */
  readonly windows: readonly Omit<DayWindow, 'doctorId'>[];
  readonly blocks: readonly Omit<DayBlock, 'doctorId'>[];
  /** Every slot booked on the date, whatever became of it, in time order. */
  readonly appointments: readonly ScheduledAppointment[];
  /** Visits without a booking, in arrival order. */
  readonly walkIns: readonly Visit[];
}

/**
 * Reads the live tables unless given others (e.g. a rebuild's shadow). Each part is read by its own statement:
 * inside a REPEATABLE READ transaction the answer is one snapshot.
 *
 * @example
 * const day = await doctorDay(engine, { tenantId, doctorId: 'dr-1', date: '2026-12-07' });
 * @throws ValidationError for a malformed id or date.
 */
export async function doctorDay(
  sql: Sql,
  query: DoctorDayQuery,
  tables: TableNames = liveTableNames(doctorScheduleView),
): Promise<DoctorDay> {
  const tenantId = requireTenantId(query.tenantId);
  const doctorId = requireId(query.doctorId, 'doctorId');
  const date = requireDate(query.date);
  const t = doctorScheduleTables(tables);
  const doctor = (await selectDoctors(sql, t.doctors, tenantId, [doctorId])).get(doctorId);
  const windows = await selectWindows(sql, t.windows, { tenantId, weekday: isoWeekday(date), doctorId });
  const blocks = doctor
    ? await selectBlocksOnDate(sql, t.blocks, {
        tenantId,
        date,
        timeZones: new Map([[doctorId, doctor.timeZone]]),
      })
    : [];
  const appointments = await selectAppointments(sql, t.appointments, { tenantId, date, doctorId });
  const bookingIds = appointments.map((appointment) => appointment.bookingId);
  const visits = await selectDayVisits(sql, t.visits, { tenantId, date, doctorId, bookingIds });
  const mobile = await selectMobileFields(sql, { tenantId, doctorId, bookingIds });
  return {
    tenantId,
    doctorId,
    date,
    doctor: doctor ? { name: doctor.name, timeZone: doctor.timeZone } : null,
    windows: windows.map(({ doctorId: _doctorId, ...window }) => window),
    blocks: blocks.map(({ doctorId: _doctorId, ...block }) => block),
    appointments: appointments.map((appointment) => ({
      ...appointment,
      visit: visitOfAppointment(appointment, visits),
      // The device's fields, like the visit, belong to the booking's current slot.
      mobile:
        appointment.status === 'rescheduled'
          ? NO_MOBILE_FIELDS
          : (mobile.get(appointment.bookingId) ?? NO_MOBILE_FIELDS),
    })),
    walkIns: visits.walkIns,
  };
}
