/** The staff console's question to clinic_calendar_view: "this branch's day". */
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
import { selectBranch, type CalendarBranch } from './branches.ts';
import { clinicCalendarTables, clinicCalendarView } from './clinic-calendar-projection.ts';

export interface BranchCalendarQuery {
  readonly tenantId: string;
  readonly branchId: string;
  /** The local date, YYYY-MM-DD. */
  readonly date: string;
}

export interface CalendarDoctor {
  readonly doctorId: string;
  /** Null when the calendar never saw the doctor onboarded. */
  readonly name: string | null;
  readonly timeZone: string | null;
  /** The doctor's windows at this branch on the date's weekday. */
  readonly windows: readonly Omit<DayWindow, 'doctorId' | 'branchId'>[];
  /** Blocks hold at every branch. */
  readonly blocks: readonly Omit<DayBlock, 'doctorId'>[];
}

export interface CalendarAppointment extends Appointment {
  readonly visit: Visit | null;
}

export interface BranchCalendar {
  readonly tenantId: string;
  readonly branchId: string;
  readonly date: string;
  readonly branch: CalendarBranch | null;
  /** Doctors with windows here that weekday, or with appointments or walk-ins here that day. */
  readonly doctors: readonly CalendarDoctor[];
  /** Every slot booked at the branch on the date, whatever became of it, in time order. */
  readonly appointments: readonly CalendarAppointment[];
  readonly walkIns: readonly Visit[];
  readonly summary: {
    readonly booked: number;
    readonly cancelled: number;
    readonly lateCancellations: number;
    readonly noShows: number;
    /** Slots a booking left for another slot. */
    readonly rescheduledAway: number;
    readonly walkIns: number;
  };
}

/**
 * Reads the live tables unless given others. Each part is read by its own statement: inside a REPEATABLE READ
 * transaction the answer is one snapshot.
 *
 * @example
 * const day = await branchCalendar(engine, { tenantId, branchId: 'br-1', date: '2026-12-07' });
 * @throws ValidationError for a malformed id or date.
 */
export async function branchCalendar(
  sql: Sql,
  query: BranchCalendarQuery,
  tables: TableNames = liveTableNames(clinicCalendarView),
): Promise<BranchCalendar> {
  const tenantId = requireTenantId(query.tenantId);
  const branchId = requireId(query.branchId, 'branchId');
  const date = requireDate(query.date);
  const t = clinicCalendarTables(tables);
  const branch = await selectBranch(sql, t.branches, tenantId, branchId);
  const windows = await selectWindows(sql, t.windows, { tenantId, weekday: isoWeekday(date), branchId });
  const appointments = await selectAppointments(sql, t.appointments, { tenantId, date, branchId });
  const bookingIds = appointments.map((appointment) => appointment.bookingId);
  const visits = await selectDayVisits(sql, t.visits, { tenantId, date, branchId, bookingIds });

  const doctorIds = [
    ...new Set([...windows, ...appointments, ...visits.walkIns].map((entry) => entry.doctorId)),
  ].sort();
  const known = await selectDoctors(sql, t.doctors, tenantId, doctorIds);
  const timeZones = new Map([...known.values()].map((doctor) => [doctor.doctorId, doctor.timeZone]));
  const blocks = await selectBlocksOnDate(sql, t.blocks, { tenantId, date, timeZones });
  const byStatus = (status: Appointment['status']) =>
    appointments.filter((appointment) => appointment.status === status);

  return {
    tenantId,
    branchId,
    date,
    branch,
    doctors: doctorIds.map((doctorId) => ({
      doctorId,
      name: known.get(doctorId)?.name ?? null,
      timeZone: known.get(doctorId)?.timeZone ?? null,
      windows: windows
        .filter((window) => window.doctorId === doctorId)
        .map(({ start, end, slotMinutes }) => ({ start, end, slotMinutes })),
      blocks: blocks
        .filter((block) => block.doctorId === doctorId)
        .map(({ doctorId: _doctorId, ...block }) => block),
    })),
    appointments: appointments.map((appointment) => ({
      ...appointment,
      visit: visitOfAppointment(appointment, visits),
    })),
    walkIns: visits.walkIns,
    summary: {
      booked: byStatus('booked').length,
      cancelled: byStatus('cancelled').length,
      lateCancellations: byStatus('cancelled').filter((appointment) => appointment.cancellation?.late).length,
      noShows: byStatus('no_show').length,
      rescheduledAway: byStatus('rescheduled').length,
      walkIns: visits.walkIns.length,
    },
  };
}
