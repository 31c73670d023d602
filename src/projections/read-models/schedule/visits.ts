/**
 * A schedule's visits table: arrivals and their progress (arrived → started → completed) and recorded
 * no-shows. A visit without a booking is a walk-in. Its date is the local date of the arrival (of the booked
 * slot, for a no-show) on the doctor's clock. The closing notes are encrypted clinical text and never read.
 */
import {
  visitArrived,
  visitCompleted,
  visitNoShowRecorded,
  visitStarted,
} from '../../../domain/visit/events.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { localDateOf } from '../shared/calendar-dates.ts';
import { payloadOf } from '../shared/event-payload.ts';
import { RowBuffer, type Row } from '../shared/row-buffer.ts';
import { isoOrNull } from '../shared/sql-values.ts';
import type { Appointment } from './appointments.ts';
import type { DoctorRecord } from './doctors.ts';

export const VISIT_EVENT_TYPES = [
  visitArrived.type,
  visitNoShowRecorded.type,
  visitStarted.type,
  visitCompleted.type,
] as const;

export type VisitStatus = 'arrived' | 'started' | 'completed' | 'no_show';

export interface Visit {
  readonly visitId: string;
  /** Null: a walk-in. */
  readonly bookingId: string | null;
  readonly doctorId: string;
  readonly branchId: string;
  readonly patientId: string;
  readonly date: string;
  readonly tele: boolean;
  readonly status: VisitStatus;
  readonly arrivedAt: string | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly noShowRecordedAt: string | null;
}

export function visitsDdl(table: string, indexedBy: 'doctor_id' | 'branch_id'): string {
  return `create table ${table} (
    tenant_id text not null,
    visit_id text not null,
    booking_id text,
    doctor_id text not null,
    branch_id text not null,
    patient_id text not null,
    date text not null,
    tele boolean not null,
    status text not null,
    arrived_at timestamptz,
    started_at timestamptz,
    completed_at timestamptz,
    no_show_recorded_at timestamptz,
    primary key (tenant_id, visit_id)
  );
  create index on ${table} (tenant_id, ${indexedBy}, date);
  create index on ${table} (tenant_id, booking_id);`;
}

/** A row of the visits table, as applied in memory (schedule-batch.ts). */
export interface VisitRecord extends Row {
  readonly tenant_id: string;
  readonly visit_id: string;
  readonly booking_id: string | null;
  readonly doctor_id: string;
  readonly branch_id: string;
  readonly patient_id: string;
  readonly date: string;
  readonly tele: boolean;
  readonly status: VisitStatus;
  readonly arrived_at: Date | string | null;
  readonly started_at: Date | string | null;
  readonly completed_at: Date | string | null;
  readonly no_show_recorded_at: Date | string | null;
}

export function visitRows(table: string): RowBuffer<VisitRecord> {
  return new RowBuffer<VisitRecord>(
    table,
    {
      tenant_id: 'text',
      visit_id: 'text',
      booking_id: 'text',
      doctor_id: 'text',
      branch_id: 'text',
      patient_id: 'text',
      date: 'text',
      tele: 'boolean',
      status: 'text',
      arrived_at: 'timestamptz',
      started_at: 'timestamptz',
      completed_at: 'timestamptz',
      no_show_recorded_at: 'timestamptz',
    },
    ['tenant_id', 'visit_id'],
  );
}

/** The visit an event writes, and the doctor whose clock dates it: keys to load. */
export function visitKeysOf(event: RecordedEvent): {
  visit?: readonly unknown[];
  doctor?: readonly unknown[];
} {
  if (!(VISIT_EVENT_TYPES as readonly string[]).includes(event.eventType)) return {};
  const { visitId, doctorId } = event.payload as { visitId: string; doctorId?: string };
  return {
    visit: [event.tenantId, visitId],
    ...(doctorId !== undefined ? { doctor: [event.tenantId, doctorId] } : {}),
  };
}

export interface VisitRows {
  readonly visits: RowBuffer<VisitRecord>;
  /** The doctors (schedule/doctors.ts) of the same read model: the clock a visit's date is read on. */
  readonly doctors: RowBuffer<DoctorRecord>;
}

export function applyToVisits(event: RecordedEvent, rows: VisitRows): void {
  const tenantId = event.tenantId;
  const notYet = { started_at: null, completed_at: null } as const;
  switch (event.eventType) {
    case visitArrived.type: {
      const visit = payloadOf(event, visitArrived);
      rows.visits.insert({
        tenant_id: tenantId,
        visit_id: visit.visitId,
        booking_id: visit.bookingId,
        doctor_id: visit.doctorId,
        branch_id: visit.branchId,
        patient_id: visit.patientId,
        date: localDateOf(visit.arrivedAt, timeZoneOf(rows.doctors, tenantId, visit.doctorId)),
        tele: visit.tele,
        status: 'arrived',
        arrived_at: visit.arrivedAt,
        no_show_recorded_at: null,
        ...notYet,
      });
      return;
    }
    case visitNoShowRecorded.type: {
      const noShow = payloadOf(event, visitNoShowRecorded);
      rows.visits.insert({
        tenant_id: tenantId,
        visit_id: noShow.visitId,
        booking_id: noShow.bookingId,
        doctor_id: noShow.doctorId,
        branch_id: noShow.branchId,
        patient_id: noShow.patientId,
        date: localDateOf(noShow.slotStartsAt, timeZoneOf(rows.doctors, tenantId, noShow.doctorId)),
        tele: false,
        status: 'no_show',
        arrived_at: null,
        no_show_recorded_at: noShow.recordedAt,
        ...notYet,
      });
      return;
    }
    case visitStarted.type: {
      const { visitId, startedAt } = payloadOf(event, visitStarted);
      rows.visits.update([tenantId, visitId], { status: 'started', started_at: startedAt });
      return;
    }
    case visitCompleted.type: {
      const { visitId, completedAt } = payloadOf(event, visitCompleted);
      rows.visits.update([tenantId, visitId], { status: 'completed', completed_at: completedAt });
      return;
    }
  }
}

/** The doctor's zone; UTC for a doctor the model never saw onboarded (the visit decision does not check). */
function timeZoneOf(doctors: RowBuffer<DoctorRecord>, tenantId: string, doctorId: string): string {
  return doctors.get([tenantId, doctorId])?.time_zone ?? 'UTC';
}

interface VisitRow {
  visit_id: string;
  booking_id: string | null;
  doctor_id: string;
  branch_id: string;
  patient_id: string;
  date: string;
  tele: boolean;
  status: VisitStatus;
  arrived_at: Date | null;
  started_at: Date | null;
  completed_at: Date | null;
  no_show_recorded_at: Date | null;
}

export interface DayVisits {
  /** The visit of each given booking, whatever its date (an arrival outranks a recorded no-show). */
  readonly byBooking: ReadonlyMap<string, Visit>;
  /** Visits without a booking on the date, in arrival order. */
  readonly walkIns: readonly Visit[];
}

/** The visits of `bookingIds`, and the walk-ins of one doctor or at one branch on `date`. */
export async function selectDayVisits(
  sql: Sql,
  table: string,
  filter: {
    tenantId: string;
    date: string;
    bookingIds: readonly string[];
    doctorId?: string;
    branchId?: string;
  },
): Promise<DayVisits> {
  const { rows } = await sql.query<VisitRow>(
    `select * from ${table}
      where tenant_id = $1 and (booking_id = any($2::text[]) or (booking_id is null and date = $3
        and ($4::text is null or doctor_id = $4) and ($5::text is null or branch_id = $5)))
      order by arrived_at nulls first, visit_id`,
    [filter.tenantId, filter.bookingIds, filter.date, filter.doctorId ?? null, filter.branchId ?? null],
  );
  const visits = rows.map(toVisit);
  return {
    byBooking: new Map(
      visits.flatMap((visit) => (visit.bookingId === null ? [] : [[visit.bookingId, visit]])),
    ),
    walkIns: visits.filter((visit) => visit.bookingId === null),
  };
}

/**
 * The visit shown with an appointment: the booking's visit on the row of its current slot. A slot the booking
 * moved away from is history and shows none.
 */
export function visitOfAppointment(appointment: Appointment, visits: DayVisits): Visit | null {
  return appointment.status === 'rescheduled' ? null : (visits.byBooking.get(appointment.bookingId) ?? null);
}

function toVisit(row: VisitRow): Visit {
  return {
    visitId: row.visit_id,
    bookingId: row.booking_id,
    doctorId: row.doctor_id,
    branchId: row.branch_id,
    patientId: row.patient_id,
    date: row.date,
    tele: row.tele,
    status: row.status,
    arrivedAt: isoOrNull(row.arrived_at),
    startedAt: isoOrNull(row.started_at),
    completedAt: isoOrNull(row.completed_at),
    noShowRecordedAt: isoOrNull(row.no_show_recorded_at),
  };
}
