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
import type { RecordedEvent } from '../../../store/envelope.ts';
import { businessDateOf } from '../reconciliation/business-day.ts';
import { requireFactRow } from './require-fact-row.ts';
import type { WarehouseContext } from './warehouse-dimensions.ts';
import {
  handle,
  minutesBetween,
  type Needed,
  type WarehouseHandler,
  type WarehouseRows,
} from './warehouse-rows.ts';

function closeBooking(
  rows: WarehouseRows,
  tenantId: string,
  bookingId: string,
  status: 'attended' | 'no_show',
  visitId: string,
): void {
  rows.table('wh_fact_booking').update([tenantId, bookingId], { status, visit_id: visitId });
}

const visit = (tenantId: string, visitId: string): Needed => ['wh_fact_visit', [tenantId, visitId]];

/** A stage of a visit after arrival: its outcome, the column of its time, and the minutes since the stage before. */
interface VisitStage {
  readonly outcome: 'started' | 'completed';
  readonly at: 'started_at' | 'completed_at';
  readonly since: 'arrived_at' | 'started_at';
  readonly minutes: 'wait_minutes' | 'consult_minutes';
}
const STARTED: VisitStage = {
  outcome: 'started',
  at: 'started_at',
  since: 'arrived_at',
  minutes: 'wait_minutes',
};
const COMPLETED: VisitStage = {
  outcome: 'completed',
  at: 'completed_at',
  since: 'started_at',
  minutes: 'consult_minutes',
};

function advanceVisit(
  rows: WarehouseRows,
  event: RecordedEvent,
  visitId: string,
  stage: VisitStage,
  at: string,
): void {
  const visits = rows.table('wh_fact_visit');
  const row = visits.get([event.tenantId, visitId]);
  requireFactRow(row === undefined ? 0 : 1, event, 'visit');
  visits.update([event.tenantId, visitId], {
    outcome: stage.outcome,
    [stage.at]: at,
    [stage.minutes]: minutesBetween(row![stage.since], at),
  });
}

export function visitHandlers(context: WarehouseContext): WarehouseHandler[] {
  const patient = (tenantId: string, patientId: string): Needed => [
    'wh_dim_patient',
    [tenantId, context.patientKey(tenantId, patientId)],
  ];
  return [
    handle(
      visitArrived,
      (p, event) => [
        visit(event.tenantId, p.visitId),
        patient(event.tenantId, p.patientId),
        ...(p.bookingId !== null ? [['wh_fact_booking', [event.tenantId, p.bookingId]] as const] : []),
      ],
      (p, event, rows) => {
        const date = businessDateOf(p.arrivedAt);
        const patientKey = context.patientKey(event.tenantId, p.patientId);
        rows.table('wh_fact_visit').insert({
          tenant_id: event.tenantId,
          visit_id: p.visitId,
          booking_id: p.bookingId,
          branch_id: p.branchId,
          doctor_id: p.doctorId,
          patient_key: patientKey,
          tele: p.tele,
          walk_in: p.bookingId === null,
          outcome: 'arrived',
          visit_date: date,
          arrived_at: p.arrivedAt,
          started_at: null,
          completed_at: null,
          wait_minutes: null,
          consult_minutes: null,
        });
        if (p.bookingId !== null) closeBooking(rows, event.tenantId, p.bookingId, 'attended', p.visitId);
        rows.seePatient(event.tenantId, patientKey, date);
      },
    ),
    handle(
      visitNoShowRecorded,
      (p, event) => [
        visit(event.tenantId, p.visitId),
        patient(event.tenantId, p.patientId),
        ['wh_fact_booking', [event.tenantId, p.bookingId]],
      ],
      (p, event, rows) => {
        const date = businessDateOf(p.slotStartsAt);
        const patientKey = context.patientKey(event.tenantId, p.patientId);
        // The no-show event does not say whether the consult was tele; the booking does.
        const booking = rows.table('wh_fact_booking').get([event.tenantId, p.bookingId]);
        rows.table('wh_fact_visit').insert({
          tenant_id: event.tenantId,
          visit_id: p.visitId,
          booking_id: p.bookingId,
          branch_id: p.branchId,
          doctor_id: p.doctorId,
          patient_key: patientKey,
          tele: (booking?.['is_tele'] as boolean | undefined) ?? false,
          walk_in: false,
          outcome: 'no_show',
          visit_date: date,
          arrived_at: null,
          started_at: null,
          completed_at: null,
          wait_minutes: null,
          consult_minutes: null,
        });
        closeBooking(rows, event.tenantId, p.bookingId, 'no_show', p.visitId);
        rows.seePatient(event.tenantId, patientKey, date);
      },
    ),
    handle(
      visitStarted,
      (p, event) => [visit(event.tenantId, p.visitId)],
      (p, event, rows) => advanceVisit(rows, event, p.visitId, STARTED, p.startedAt),
    ),
    handle(
      visitCompleted,
      (p, event) => [visit(event.tenantId, p.visitId)],
      (p, event, rows) => advanceVisit(rows, event, p.visitId, COMPLETED, p.completedAt),
    ),
    handle(
      followUpScheduled,
      (p, event) => [
        visit(event.tenantId, p.visitId),
        ['wh_fact_followup', [event.tenantId, p.visitId, p.followUpId]],
      ],
      (p, event, rows) => {
        const date = businessDateOf(p.scheduledAt);
        const from = rows.table('wh_fact_visit').get([event.tenantId, p.visitId]);
        requireFactRow(from === undefined ? 0 : 1, event, 'visit');
        rows.table('wh_fact_followup').insert({
          tenant_id: event.tenantId,
          visit_id: p.visitId,
          follow_up_id: p.followUpId,
          branch_id: from!['branch_id'],
          doctor_id: p.doctorId,
          patient_key: context.patientKey(event.tenantId, p.patientId),
          from_tele: from!['tele'],
          scheduled_at: p.scheduledAt,
          scheduled_date: date,
          due_date: p.dueOn,
          completed_at: null,
          completed_date: null,
          fulfilled_by_visit_id: null,
          on_time: null,
        });
        rows.ensureDates(event.tenantId, [date, p.dueOn]);
      },
    ),
    handle(
      followUpCompleted,
      (p, event) => [['wh_fact_followup', [event.tenantId, p.visitId, p.followUpId]]],
      (p, event, rows) => {
        const date = businessDateOf(p.completedAt);
        const followUps = rows.table('wh_fact_followup');
        const key = [event.tenantId, p.visitId, p.followUpId];
        const row = followUps.get(key);
        requireFactRow(row === undefined ? 0 : 1, event, 'follow-up');
        followUps.update(key, {
          completed_at: p.completedAt,
          completed_date: date,
          fulfilled_by_visit_id: p.fulfilledByVisitId,
          on_time: date <= (row!['due_date'] as string),
        });
        rows.ensureDates(event.tenantId, [date]);
      },
    ),
  ];
}
