/**
 * `wh_fact_visit` (one row per visit: arrival or no-show, consultation times, tele or in person, walk-in or
 * booked) and `wh_fact_followup` (one row per follow-up a completed visit asked for: due date, when and by
 * which visit it was fulfilled). A booked visit also closes its booking's row as attended or no-show.
 */
import {
  followUpCompleted,
  followUpScheduled,
  visitArrived,
  visitCompleted,
  visitNoShowRecorded,
  visitStarted,
} from '../../../domain/visit/events.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import type { TableNames } from '../../projection.ts';
import { on, type EventHandler } from '../payments/event-handlers.ts';
import { businessDateOf } from '../reconciliation/business-day.ts';
import { requireFactRow } from './require-fact-row.ts';
import { ensureDates, seePatient, type WarehouseContext } from './warehouse-dimensions.ts';
import { warehouseTables } from './warehouse-tables.ts';

async function closeBooking(
  tx: Sql,
  tables: TableNames,
  tenantId: string,
  bookingId: string,
  status: 'attended' | 'no_show',
  visitId: string,
): Promise<void> {
  const t = warehouseTables(tables);
  await tx.query(
    `update ${t.wh_fact_booking} set status = $3, visit_id = $4 where tenant_id = $1 and booking_id = $2`,
    [tenantId, bookingId, status, visitId],
  );
}

/** A visit's later stages: when each began, and the minutes since the stage before (the wait, the consult). */
const STAGES = {
  started: { atColumn: 'started_at', minutesColumn: 'wait_minutes', sinceColumn: 'arrived_at' },
  completed: { atColumn: 'completed_at', minutesColumn: 'consult_minutes', sinceColumn: 'started_at' },
} as const;

async function advanceVisit(
  tx: Sql,
  tables: TableNames,
  event: RecordedEvent,
  visitId: string,
  stage: keyof typeof STAGES,
  at: string,
): Promise<void> {
  const t = warehouseTables(tables);
  const { atColumn, minutesColumn, sinceColumn } = STAGES[stage];
  const { rowCount } = await tx.query(
    `update ${t.wh_fact_visit} set outcome = '${stage}', ${atColumn} = $3,
        ${minutesColumn} = floor(extract(epoch from $3::timestamptz - ${sinceColumn}) / 60)
      where tenant_id = $1 and visit_id = $2`,
    [event.tenantId, visitId, at],
  );
  requireFactRow(rowCount, event, 'visit');
}

export function visitHandlers(context: WarehouseContext): EventHandler[] {
  return [
    on(visitArrived, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(p.arrivedAt);
      const patientKey = context.patientKey(event.tenantId, p.patientId);
      await tx.query(
        `insert into ${t.wh_fact_visit} (tenant_id, visit_id, booking_id, branch_id, doctor_id, patient_key, tele,
            walk_in, outcome, visit_date, arrived_at)
          values ($1, $2, $3, $4, $5, $6, $7, $8, 'arrived', $9::date, $10)`,
        [
          event.tenantId,
          p.visitId,
          p.bookingId,
          p.branchId,
          p.doctorId,
          patientKey,
          p.tele,
          p.bookingId === null,
          date,
          p.arrivedAt,
        ],
      );
      if (p.bookingId !== null) {
        await closeBooking(tx, tables, event.tenantId, p.bookingId, 'attended', p.visitId);
      }
      await seePatient(tx, tables, event.tenantId, patientKey, date);
    }),
    on(visitNoShowRecorded, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(p.slotStartsAt);
      const patientKey = context.patientKey(event.tenantId, p.patientId);
      // The no-show event does not say whether the consult was tele; the booking does.
      await tx.query(
        `insert into ${t.wh_fact_visit} (tenant_id, visit_id, booking_id, branch_id, doctor_id, patient_key, tele,
            walk_in, outcome, visit_date)
          values ($1, $2, $3, $4, $5, $6,
            coalesce((select is_tele from ${t.wh_fact_booking} where tenant_id = $1 and booking_id = $3), false),
            false, 'no_show', $7::date)`,
        [event.tenantId, p.visitId, p.bookingId, p.branchId, p.doctorId, patientKey, date],
      );
      await closeBooking(tx, tables, event.tenantId, p.bookingId, 'no_show', p.visitId);
      await seePatient(tx, tables, event.tenantId, patientKey, date);
    }),
    on(visitStarted, (p, event, tx, tables) =>
      advanceVisit(tx, tables, event, p.visitId, 'started', p.startedAt),
    ),
    on(visitCompleted, (p, event, tx, tables) =>
      advanceVisit(tx, tables, event, p.visitId, 'completed', p.completedAt),
    ),
    on(followUpScheduled, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(p.scheduledAt);
      const { rowCount } = await tx.query(
        `insert into ${t.wh_fact_followup} (tenant_id, visit_id, follow_up_id, branch_id, doctor_id, patient_key,
            from_tele, scheduled_at, scheduled_date, due_date)
          select $1, $2, $3, v.branch_id, $4, $5, v.tele, $6, $7::date, $8::date
            from ${t.wh_fact_visit} v where v.tenant_id = $1 and v.visit_id = $2`,
        [
          event.tenantId,
          p.visitId,
          p.followUpId,
          p.doctorId,
          context.patientKey(event.tenantId, p.patientId),
          p.scheduledAt,
          date,
          p.dueOn,
        ],
      );
      requireFactRow(rowCount, event, 'visit');
      await ensureDates(tx, tables, event.tenantId, [date, p.dueOn]);
    }),
    on(followUpCompleted, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(p.completedAt);
      const { rowCount } = await tx.query(
        `update ${t.wh_fact_followup} set completed_at = $4, completed_date = $5::date, fulfilled_by_visit_id = $6,
            on_time = $5::date <= due_date
          where tenant_id = $1 and visit_id = $2 and follow_up_id = $3`,
        [event.tenantId, p.visitId, p.followUpId, p.completedAt, date, p.fulfilledByVisitId],
      );
      requireFactRow(rowCount, event, 'follow-up');
      await ensureDates(tx, tables, event.tenantId, [date]);
    }),
  ];
}
