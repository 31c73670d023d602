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
import { RowBuffer, type Row } from '../shared/row-buffer.ts';
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

/** A row of the appointments table, as applied in memory (schedule-batch.ts). */
export interface AppointmentRecord extends Row {
  readonly tenant_id: string;
  readonly booking_id: string;
  readonly starts_at: Date | string;
  readonly ends_at: Date | string;
  readonly date: string;
  readonly start_time: string;
  readonly end_time: string;
  readonly time_zone: string;
  readonly doctor_id: string;
  readonly branch_id: string;
  readonly patient_id: string;
  readonly channel: string;
  readonly consultation_type: string;
  readonly status: AppointmentStatus;
  readonly booked_at: Date | string;
  readonly rescheduled_from: Date | string | null;
  readonly moved_to: Date | string | null;
  readonly reschedule_requested_by: string | null;
  readonly cancelled_by: string | null;
  readonly cancellation_reason: string | null;
  readonly cancelled_late: boolean | null;
  readonly minutes_before_start: number | null;
  readonly closed_at: Date | string | null;
}

export function appointmentRows(table: string): RowBuffer<AppointmentRecord> {
  return new RowBuffer<AppointmentRecord>(
    table,
    {
      tenant_id: 'text',
      booking_id: 'text',
      starts_at: 'timestamptz',
      ends_at: 'timestamptz',
      date: 'text',
      start_time: 'text',
      end_time: 'text',
      time_zone: 'text',
      doctor_id: 'text',
      branch_id: 'text',
      patient_id: 'text',
      channel: 'text',
      consultation_type: 'text',
      status: 'text',
      booked_at: 'timestamptz',
      rescheduled_from: 'timestamptz',
      moved_to: 'timestamptz',
      reschedule_requested_by: 'text',
      cancelled_by: 'text',
      cancellation_reason: 'text',
      cancelled_late: 'boolean',
      minutes_before_start: 'integer',
      closed_at: 'timestamptz',
    },
    ['tenant_id', 'booking_id', 'starts_at'],
  );
}

/** The bookings whose rows an event reads or writes: (tenant, booking) key prefixes to load. */
export function appointmentKeysOf(event: RecordedEvent): (readonly unknown[])[] {
  if (!(APPOINTMENT_EVENT_TYPES as readonly string[]).includes(event.eventType)) return [];
  return [[event.tenantId, (event.payload as { bookingId: string }).bookingId]];
}

const NOT_CLOSED = {
  rescheduled_from: null,
  moved_to: null,
  reschedule_requested_by: null,
  cancelled_by: null,
  cancellation_reason: null,
  cancelled_late: null,
  minutes_before_start: null,
  closed_at: null,
} as const;

export function applyToAppointments(event: RecordedEvent, rows: RowBuffer<AppointmentRecord>): void {
  const tenantId = event.tenantId;
  switch (event.eventType) {
    case bookingCreated.type: {
      const booking = payloadOf(event, bookingCreated);
      const { slot } = booking;
      rows.insert({
        tenant_id: tenantId,
        booking_id: booking.bookingId,
        starts_at: slot.startsAt,
        ends_at: slot.endsAt,
        date: slot.date,
        start_time: slot.start,
        end_time: slot.end,
        time_zone: slot.timeZone,
        doctor_id: booking.doctorId,
        branch_id: booking.branchId,
        patient_id: booking.patientId,
        channel: booking.channel,
        consultation_type: booking.consultationType,
        status: 'booked',
        booked_at: event.occurredAt,
        ...NOT_CLOSED,
      });
      return;
    }
    case bookingCancelled.type: {
      const cancel = payloadOf(event, bookingCancelled);
      rows.update([tenantId, cancel.bookingId, cancel.slotStartsAt], {
        status: 'cancelled',
        cancelled_by: cancel.initiatedBy,
        cancellation_reason: cancel.reasonCode,
        cancelled_late: cancel.late,
        minutes_before_start: cancel.minutesBeforeStart,
        closed_at: event.occurredAt,
        reschedule_requested_by: null,
      });
      return;
    }
    case bookingNoShow.type: {
      const noShow = payloadOf(event, bookingNoShow);
      rows.update([tenantId, noShow.bookingId, noShow.slotStartsAt], {
        status: 'no_show',
        closed_at: event.occurredAt,
        reschedule_requested_by: null,
      });
      return;
    }
    case rescheduleRequested.type: {
      const { bookingId, requestedBy } = payloadOf(event, rescheduleRequested);
      setPendingRequest(rows, tenantId, bookingId, requestedBy);
      return;
    }
    case rescheduleRefused.type:
      setPendingRequest(rows, tenantId, payloadOf(event, rescheduleRefused).bookingId, null);
      return;
    case rescheduleCompleted.type: {
      const { bookingId, from, to } = payloadOf(event, rescheduleCompleted);
      const old = rows.get([tenantId, bookingId, from.startsAt]);
      if (old === undefined) return;
      // The new slot's row copies the booking's facts from the row it replaces; moving back to an earlier slot
      // revives that slot's row.
      const revived = rows.update([tenantId, bookingId, to.startsAt], {
        status: 'booked',
        rescheduled_from: old.starts_at,
        moved_to: null,
        closed_at: null,
      });
      if (!revived) {
        rows.insert({
          ...old,
          ...NOT_CLOSED,
          starts_at: to.startsAt,
          ends_at: to.endsAt,
          date: to.date,
          start_time: to.start,
          end_time: to.end,
          time_zone: to.timeZone,
          status: 'booked',
          rescheduled_from: old.starts_at,
        });
      }
      rows.update([tenantId, bookingId, from.startsAt], {
        status: 'rescheduled',
        moved_to: to.startsAt,
        closed_at: event.occurredAt,
        reschedule_requested_by: null,
      });
      return;
    }
  }
}

function setPendingRequest(
  rows: RowBuffer<AppointmentRecord>,
  tenantId: string,
  bookingId: string,
  requestedBy: string | null,
): void {
  for (const row of rows.where([tenantId, bookingId])) {
    if (row.status === 'booked') {
      rows.update([tenantId, bookingId, row.starts_at], { reschedule_requested_by: requestedBy });
    }
  }
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
