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
import { isoOrNull } from '../shared/sql-values.ts';
import type { Appointment } from './appointments.ts';

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

export interface VisitTables {
  readonly visits: string;
  /** The doctors table (schedule/doctors.ts) of the same read model: the clock a visit's date is read on. */
  readonly doctors: string;
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

export async function applyToVisits(event: RecordedEvent, tx: Sql, tables: VisitTables): Promise<void> {
  const tenantId = event.tenantId;
  switch (event.eventType) {
    case visitArrived.type: {
      const visit = payloadOf(event, visitArrived);
      const date = localDateOf(
        visit.arrivedAt,
        await timeZoneOf(tx, tables.doctors, tenantId, visit.doctorId),
      );
      await tx.query(
        `insert into ${tables.visits} (tenant_id, visit_id, booking_id, doctor_id, branch_id, patient_id, date,
            tele, status, arrived_at)
          values ($1, $2, $3, $4, $5, $6, $7, $8, 'arrived', $9)`,
        [
          tenantId,
          visit.visitId,
          visit.bookingId,
          visit.doctorId,
          visit.branchId,
          visit.patientId,
          date,
          visit.tele,
          visit.arrivedAt,
        ],
      );
      return;
    }
    case visitNoShowRecorded.type: {
      const noShow = payloadOf(event, visitNoShowRecorded);
      const timeZone = await timeZoneOf(tx, tables.doctors, tenantId, noShow.doctorId);
      await tx.query(
        `insert into ${tables.visits} (tenant_id, visit_id, booking_id, doctor_id, branch_id, patient_id, date,
            tele, status, no_show_recorded_at)
          values ($1, $2, $3, $4, $5, $6, $7, false, 'no_show', $8)`,
        [
          tenantId,
          noShow.visitId,
          noShow.bookingId,
          noShow.doctorId,
          noShow.branchId,
          noShow.patientId,
          localDateOf(noShow.slotStartsAt, timeZone),
          noShow.recordedAt,
        ],
      );
      return;
    }
    case visitStarted.type: {
      const { visitId, startedAt } = payloadOf(event, visitStarted);
      await tx.query(
        `update ${tables.visits} set status = 'started', started_at = $3 where tenant_id = $1 and visit_id = $2`,
        [tenantId, visitId, startedAt],
      );
      return;
    }
    case visitCompleted.type: {
      const { visitId, completedAt } = payloadOf(event, visitCompleted);
      await tx.query(
        `update ${tables.visits} set status = 'completed', completed_at = $3 where tenant_id = $1 and visit_id = $2`,
        [tenantId, visitId, completedAt],
      );
      return;
    }
  }
}

/** The doctor's zone; UTC for a doctor the model never saw onboarded (the visit decision does not check). */
async function timeZoneOf(tx: Sql, doctors: string, tenantId: string, doctorId: string): Promise<string> {
  const { rows } = await tx.query<{ time_zone: string }>(
    `select time_zone from ${doctors} where tenant_id = $1 and doctor_id = $2`,
    [tenantId, doctorId],
  );
  return rows[0]?.time_zone ?? 'UTC';
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
