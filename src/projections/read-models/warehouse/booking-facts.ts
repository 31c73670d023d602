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
import { on, type EventHandler } from '../payments/event-handlers.ts';
import { businessDateOf } from '../reconciliation/business-day.ts';
import { requireFactRow } from './require-fact-row.ts';
import { ensureDates, seePatient, type WarehouseContext } from './warehouse-dimensions.ts';
import { warehouseTables } from './warehouse-tables.ts';

export function bookingHandlers(context: WarehouseContext): EventHandler[] {
  return [
    on(bookingCreated, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const bookedDate = businessDateOf(event.occurredAt);
      const patientKey = context.patientKey(event.tenantId, p.patientId);
      await tx.query(
        `insert into ${t.wh_fact_booking} (tenant_id, booking_id, branch_id, doctor_id, patient_key, channel,
            consultation_type, is_tele, booked_at, booked_date, slot_date, slot_starts_at, lead_days,
            pricing_policy_id, pricing_version, currency, price_minor, deposit_required_minor,
            cancellation_window_minutes, status)
          values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::date, $11::date, $12, $11::date - $10::date,
            $13, $14, $15, $16, $17, $18, 'booked')`,
        [
          event.tenantId,
          p.bookingId,
          p.branchId,
          p.doctorId,
          patientKey,
          p.channel,
          p.consultationType,
          p.channel === 'tele_prepay' || p.consultationType === 'tele',
          event.occurredAt,
          bookedDate,
          p.slot.date,
          p.slot.startsAt,
          p.pricing.policyId,
          p.pricing.version,
          p.pricing.price.currency,
          p.pricing.price.amountMinor,
          p.pricing.deposit.amountMinor,
          p.pricing.cancellationWindowMinutes,
        ],
      );
      await seePatient(tx, tables, event.tenantId, patientKey, bookedDate);
      await ensureDates(tx, tables, event.tenantId, [p.slot.date]);
    }),
    on(rescheduleCompleted, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const { rowCount } = await tx.query(
        `update ${t.wh_fact_booking} set slot_date = $3::date, slot_starts_at = $4,
            lead_days = $3::date - booked_date, reschedules = reschedules + 1
          where tenant_id = $1 and booking_id = $2`,
        [event.tenantId, p.bookingId, p.to.date, p.to.startsAt],
      );
      requireFactRow(rowCount, event, 'booking');
      await ensureDates(tx, tables, event.tenantId, [p.to.date]);
    }),
    on(bookingCancelled, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(event.occurredAt);
      const { rowCount } = await tx.query(
        `update ${t.wh_fact_booking} set status = 'cancelled', cancelled_at = $3, cancelled_date = $4::date,
            cancelled_by = $5, cancellation_reason = $6, late_cancellation = $7, minutes_before_start = $8
          where tenant_id = $1 and booking_id = $2`,
        [
          event.tenantId,
          p.bookingId,
          event.occurredAt,
          date,
          p.initiatedBy,
          p.reasonCode,
          p.late,
          p.minutesBeforeStart,
        ],
      );
      requireFactRow(rowCount, event, 'booking');
      await ensureDates(tx, tables, event.tenantId, [date]);
    }),
    on(bookingNoShow, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const { rowCount } = await tx.query(
        `update ${t.wh_fact_booking} set status = 'no_show' where tenant_id = $1 and booking_id = $2`,
        [event.tenantId, p.bookingId],
      );
      requireFactRow(rowCount, event, 'booking');
    }),
  ];
}
