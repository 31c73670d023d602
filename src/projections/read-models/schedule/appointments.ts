/**
 * A schedule's appointments table: one row per slot a booking held. A reschedule leaves the old slot's row as
 * `rescheduled` (with where it moved to) and adds a row for the new slot (with where it came from), so the
 * day a booking left and the day it arrived both show it. Rows carry the patient's id only: the booking's
 * free-text fields are encrypted patient data and are never read.
 */
import {
  bookingCancelled,
  bookingCreated,
  bookingNoShow,
  rescheduleCompleted,
  rescheduleRefused,
  rescheduleRequested,
} from '../../../domain/booking/events.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { payloadOf } from '../shared/event-payload.ts';
import { isoOf, isoOrNull } from '../shared/sql-values.ts';

export const APPOINTMENT_EVENT_TYPES = [
  bookingCreated.type,
  bookingCancelled.type,
  bookingNoShow.type,
  rescheduleRequested.type,
  rescheduleCompleted.type,
  rescheduleRefused.type,
] as const;

/** booked: holds the slot; rescheduled: moved to another slot (see movedTo); cancelled; no_show. */
export type AppointmentStatus = 'booked' | 'rescheduled' | 'cancelled' | 'no_show';

export interface Appointment {
  readonly bookingId: string;
  readonly doctorId: string;
  readonly branchId: string;
  /** A reference only; the patient's details live (encrypted) in the patient's stream. */
  readonly patientId: string;
  /** The doctor's local date and times, and the instants. */
  readonly date: string;
  readonly start: string;
  readonly end: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly timeZone: string;
  readonly channel: string;
  readonly consultationType: string;
  readonly status: AppointmentStatus;
  readonly bookedAt: string;
  /** This slot replaced the booking's slot starting then. */
  readonly rescheduledFrom: string | null;
  /** Status rescheduled: the booking's new slot starts then. */
  readonly movedTo: string | null;
  /** An open reschedule request, and who asked. */
  readonly rescheduleRequestedBy: 'patient' | 'clinic' | null;
  readonly cancellation: {
    readonly initiatedBy: 'patient' | 'clinic';
    readonly reasonCode: string;
    /** A patient cancelling inside the policy's window: the deposit is forfeited. */
    readonly late: boolean;
    readonly minutesBeforeStart: number;
  } | null;
  /** When the row stopped holding its slot: cancelled, no-show recorded or moved (business time). */
  readonly closedAt: string | null;
}

/** `indexedBy`: the column the read model's queries select a day by, besides the date. */
export function appointmentsDdl(table: string, indexedBy: 'doctor_id' | 'branch_id'): string {
  return `create table ${table} (
    tenant_id text not null,
    booking_id text not null,
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    date text not null,
    start_time text not null,
    end_time text not null,
    time_zone text not null,
    doctor_id text not null,
    branch_id text not null,
    patient_id text not null,
    channel text not null,
    consultation_type text not null,
    status text not null,
    booked_at timestamptz not null,
    rescheduled_from timestamptz,
    moved_to timestamptz,
    reschedule_requested_by text,
    cancelled_by text,
    cancellation_reason text,
    cancelled_late boolean,
    minutes_before_start integer,
    closed_at timestamptz,
    primary key (tenant_id, booking_id, starts_at)
  );
  create index on ${table} (tenant_id, ${indexedBy}, date);`;
}

const COPIED_COLUMNS =
  'tenant_id, booking_id, doctor_id, branch_id, patient_id, channel, consultation_type, booked_at';

export async function applyToAppointments(event: RecordedEvent, tx: Sql, table: string): Promise<void> {
  const tenantId = event.tenantId;
  switch (event.eventType) {
    case bookingCreated.type: {
      const booking = payloadOf(event, bookingCreated);
      const { slot } = booking;
      await tx.query(
        `insert into ${table} (tenant_id, booking_id, starts_at, ends_at, date, start_time, end_time, time_zone,
            doctor_id, branch_id, patient_id, channel, consultation_type, status, booked_at)
          values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'booked', $14)`,
        [
          tenantId,
          booking.bookingId,
          slot.startsAt,
          slot.endsAt,
          slot.date,
          slot.start,
          slot.end,
          slot.timeZone,
          booking.doctorId,
          booking.branchId,
          booking.patientId,
          booking.channel,
          booking.consultationType,
          event.occurredAt,
        ],
      );
      return;
    }
    case bookingCancelled.type: {
      const cancel = payloadOf(event, bookingCancelled);
      await tx.query(
        `update ${table} set status = 'cancelled', cancelled_by = $4, cancellation_reason = $5,
            cancelled_late = $6, minutes_before_start = $7, closed_at = $8, reschedule_requested_by = null
          where tenant_id = $1 and booking_id = $2 and starts_at = $3::timestamptz`,
        [
          tenantId,
          cancel.bookingId,
          cancel.slotStartsAt,
          cancel.initiatedBy,
          cancel.reasonCode,
          cancel.late,
          cancel.minutesBeforeStart,
          event.occurredAt,
        ],
      );
      return;
    }
    case bookingNoShow.type: {
      const noShow = payloadOf(event, bookingNoShow);
      await tx.query(
        `update ${table} set status = 'no_show', closed_at = $4, reschedule_requested_by = null
          where tenant_id = $1 and booking_id = $2 and starts_at = $3::timestamptz`,
        [tenantId, noShow.bookingId, noShow.slotStartsAt, event.occurredAt],
      );
      return;
    }
    case rescheduleRequested.type: {
      const { bookingId, requestedBy } = payloadOf(event, rescheduleRequested);
      await setPendingRequest(tx, table, tenantId, bookingId, requestedBy);
      return;
    }
    case rescheduleRefused.type:
      await setPendingRequest(tx, table, tenantId, payloadOf(event, rescheduleRefused).bookingId, null);
      return;
    case rescheduleCompleted.type: {
      const { bookingId, from, to } = payloadOf(event, rescheduleCompleted);
      // The new slot's row copies the booking's facts from the row it replaces; moving back to an earlier slot
      // revives that slot's row.
      await tx.query(
        `insert into ${table} (${COPIED_COLUMNS}, starts_at, ends_at, date, start_time, end_time, time_zone,
            status, rescheduled_from)
          select ${COPIED_COLUMNS}, $4::timestamptz, $5::timestamptz, $6::text, $7::text, $8::text, $9::text,
              'booked', starts_at from ${table}
            where tenant_id = $1 and booking_id = $2 and starts_at = $3::timestamptz
          on conflict (tenant_id, booking_id, starts_at) do update set status = 'booked',
            rescheduled_from = excluded.rescheduled_from, moved_to = null, closed_at = null`,
        [tenantId, bookingId, from.startsAt, to.startsAt, to.endsAt, to.date, to.start, to.end, to.timeZone],
      );
      await tx.query(
        `update ${table} set status = 'rescheduled', moved_to = $4::timestamptz, closed_at = $5,
            reschedule_requested_by = null
          where tenant_id = $1 and booking_id = $2 and starts_at = $3::timestamptz`,
        [tenantId, bookingId, from.startsAt, to.startsAt, event.occurredAt],
      );
      return;
    }
  }
}

async function setPendingRequest(
  tx: Sql,
  table: string,
  tenantId: string,
  bookingId: string,
  requestedBy: string | null,
): Promise<void> {
  await tx.query(
    `update ${table} set reschedule_requested_by = $3
      where tenant_id = $1 and booking_id = $2 and status = 'booked'`,
    [tenantId, bookingId, requestedBy],
  );
}

interface AppointmentRow {
  booking_id: string;
  doctor_id: string;
  branch_id: string;
  patient_id: string;
  date: string;
  start_time: string;
  end_time: string;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  channel: string;
  consultation_type: string;
  status: AppointmentStatus;
  booked_at: Date;
  rescheduled_from: Date | null;
  moved_to: Date | null;
  reschedule_requested_by: 'patient' | 'clinic' | null;
  cancelled_by: 'patient' | 'clinic' | null;
  cancellation_reason: string | null;
  cancelled_late: boolean | null;
  minutes_before_start: number | null;
  closed_at: Date | null;
}

/** The appointments on a local date, of one doctor or at one branch, in time order. */
export async function selectAppointments(
  sql: Sql,
  table: string,
  filter: { tenantId: string; date: string; doctorId?: string; branchId?: string },
): Promise<Appointment[]> {
  const { rows } = await sql.query<AppointmentRow>(
    `select * from ${table}
      where tenant_id = $1 and date = $2
        and ($3::text is null or doctor_id = $3) and ($4::text is null or branch_id = $4)
      order by starts_at, doctor_id, booking_id`,
    [filter.tenantId, filter.date, filter.doctorId ?? null, filter.branchId ?? null],
  );
  return rows.map(toAppointment);
}

function toAppointment(row: AppointmentRow): Appointment {
  return {
    bookingId: row.booking_id,
    doctorId: row.doctor_id,
    branchId: row.branch_id,
    patientId: row.patient_id,
    date: row.date,
    start: row.start_time,
    end: row.end_time,
    startsAt: isoOf(row.starts_at),
    endsAt: isoOf(row.ends_at),
    timeZone: row.time_zone,
    channel: row.channel,
    consultationType: row.consultation_type,
    status: row.status,
    bookedAt: isoOf(row.booked_at),
    rescheduledFrom: isoOrNull(row.rescheduled_from),
    movedTo: isoOrNull(row.moved_to),
    rescheduleRequestedBy: row.reschedule_requested_by,
    cancellation:
      row.cancelled_by === null
        ? null
        : {
            initiatedBy: row.cancelled_by,
            reasonCode: row.cancellation_reason ?? '',
            late: row.cancelled_late ?? false,
            minutesBeforeStart: row.minutes_before_start ?? 0,
          },
    closedAt: isoOrNull(row.closed_at),
  };
}
