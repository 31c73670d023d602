/**
 * The answers' shapes shared by the schedule read models (doctor_schedule_view, clinic_calendar_view), for the
 * OpenAPI document: a booked slot, a visit, availability windows and blocks. Patients appear as ids only.
 */
import { z } from 'zod';

const instant = z.string().describe('ISO 8601');
const localTime = z.string().describe('HH:MM, local to the doctor');

export const visitSchema = z.object({
  visitId: z.string(),
  bookingId: z.string().nullable().describe('null for a walk-in'),
  doctorId: z.string(),
  branchId: z.string(),
  patientId: z.string(),
  date: z.string(),
  tele: z.boolean(),
  status: z.enum(['arrived', 'started', 'completed', 'no_show']),
  arrivedAt: instant.nullable(),
  startedAt: instant.nullable(),
  completedAt: instant.nullable(),
  noShowRecordedAt: instant.nullable(),
});

export const appointmentSchema = z.object({
  bookingId: z.string(),
  doctorId: z.string(),
  branchId: z.string(),
  patientId: z.string().describe('a reference; the patient record is read (and disclosed) elsewhere'),
  date: z.string(),
  start: localTime,
  end: localTime,
  startsAt: instant,
  endsAt: instant,
  timeZone: z.string(),
  channel: z.string(),
  consultationType: z.string(),
  status: z.enum(['booked', 'rescheduled', 'cancelled', 'no_show']),
  bookedAt: instant,
  rescheduledFrom: instant.nullable(),
  movedTo: instant.nullable().describe('status rescheduled: where the booking moved'),
  rescheduleRequestedBy: z.enum(['patient', 'clinic']).nullable(),
  cancellation: z
    .object({
      initiatedBy: z.enum(['patient', 'clinic']),
      reasonCode: z.string(),
      late: z.boolean().describe('inside the cancellation window: the deposit is forfeited'),
      minutesBeforeStart: z.number().int(),
    })
    .nullable(),
  closedAt: instant.nullable(),
  visit: visitSchema.nullable(),
});

export const windowSchema = z.object({
  branchId: z.string(),
  start: localTime,
  end: localTime,
  slotMinutes: z.number().int(),
});

export const blockSchema = z.object({
  blockId: z.string(),
  startsAt: instant,
  endsAt: instant,
  reasonCode: z.string(),
});

/** Every patient a list of appointments and walk-ins names. */
export function patientsOfDay(day: {
  readonly appointments: readonly {
    readonly patientId: string;
    readonly visit: { readonly patientId: string } | null;
  }[];
  readonly walkIns: readonly { readonly patientId: string }[];
}): string[] {
  return [
    ...day.appointments.flatMap((appointment) => [
      appointment.patientId,
      ...(appointment.visit ? [appointment.visit.patientId] : []),
    ]),
    ...day.walkIns.map((visit) => visit.patientId),
  ];
}
