/**
 * `wh_fact_booking`: one row per booking (an accumulating snapshot) — who, where, which channel and
 * consultation, the slot and the pricing that applied, then how it ended: cancelled (late or not),
 * no-show or attended. Visit and payment events fill in the visit and the deposit paid and kept.
 */
import {
  bookingCancelled,
  bookingCreated,
  bookingNoShow,
  rescheduleCompleted,
} from '../../../domain/booking/events.ts';
import { businessDateOf } from '../reconciliation/business-day.ts';
import { requireFactRow } from './require-fact-row.ts';
import type { WarehouseContext } from './warehouse-dimensions.ts';
import { daysBetween, handle, type WarehouseHandler } from './warehouse-rows.ts';

export function bookingHandlers(context: WarehouseContext): WarehouseHandler[] {
  const booking = (tenantId: string, bookingId: string) =>
    ['wh_fact_booking', [tenantId, bookingId]] as const;
  return [
    handle(
      bookingCreated,
      (p, event) => [
        booking(event.tenantId, p.bookingId),
        ['wh_dim_patient', [event.tenantId, context.patientKey(event.tenantId, p.patientId)]],
      ],
      (p, event, rows) => {
        const bookedDate = businessDateOf(event.occurredAt);
        const patientKey = context.patientKey(event.tenantId, p.patientId);
        rows.table('wh_fact_booking').insert({
          tenant_id: event.tenantId,
          booking_id: p.bookingId,
          branch_id: p.branchId,
          doctor_id: p.doctorId,
          patient_key: patientKey,
          channel: p.channel,
          consultation_type: p.consultationType,
          is_tele: p.channel === 'tele_prepay' || p.consultationType === 'tele',
          booked_at: event.occurredAt,
          booked_date: bookedDate,
          slot_date: p.slot.date,
          slot_starts_at: p.slot.startsAt,
          lead_days: daysBetween(bookedDate, p.slot.date),
          pricing_policy_id: p.pricing.policyId,
          pricing_version: p.pricing.version,
          currency: p.pricing.price.currency,
          price_minor: p.pricing.price.amountMinor,
          deposit_required_minor: p.pricing.deposit.amountMinor,
          cancellation_window_minutes: p.pricing.cancellationWindowMinutes,
          status: 'booked',
          reschedules: 0,
          cancelled_at: null,
          cancelled_date: null,
          cancelled_by: null,
          cancellation_reason: null,
          late_cancellation: false,
          minutes_before_start: null,
          visit_id: null,
          deposit_payment_id: null,
          deposit_paid_minor: 0,
          deposit_forfeited_minor: 0,
        });
        rows.seePatient(event.tenantId, patientKey, bookedDate);
        rows.ensureDates(event.tenantId, [p.slot.date]);
      },
    ),
    handle(
      rescheduleCompleted,
      (p, event) => [booking(event.tenantId, p.bookingId)],
      (p, event, rows) => {
        const bookings = rows.table('wh_fact_booking');
        const row = bookings.get([event.tenantId, p.bookingId]);
        requireFactRow(row === undefined ? 0 : 1, event, 'booking');
        bookings.update([event.tenantId, p.bookingId], {
          slot_date: p.to.date,
          slot_starts_at: p.to.startsAt,
          lead_days: daysBetween(row!['booked_date'] as string, p.to.date),
          reschedules: (row!['reschedules'] as number) + 1,
        });
        rows.ensureDates(event.tenantId, [p.to.date]);
      },
    ),
    handle(
      bookingCancelled,
      (p, event) => [booking(event.tenantId, p.bookingId)],
      (p, event, rows) => {
        const date = businessDateOf(event.occurredAt);
        const updated = rows.table('wh_fact_booking').update([event.tenantId, p.bookingId], {
          status: 'cancelled',
          cancelled_at: event.occurredAt,
          cancelled_date: date,
          cancelled_by: p.initiatedBy,
          cancellation_reason: p.reasonCode,
          late_cancellation: p.late,
          minutes_before_start: p.minutesBeforeStart,
        });
        requireFactRow(updated ? 1 : 0, event, 'booking');
        rows.ensureDates(event.tenantId, [date]);
      },
    ),
    handle(
      bookingNoShow,
      (p, event) => [booking(event.tenantId, p.bookingId)],
      (p, event, rows) => {
        const updated = rows
          .table('wh_fact_booking')
          .update([event.tenantId, p.bookingId], { status: 'no_show' });
        requireFactRow(updated ? 1 : 0, event, 'booking');
      },
    ),
  ];
}
