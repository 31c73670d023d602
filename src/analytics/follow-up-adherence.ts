/**
 * BI: follow-up adherence (seed §12) — per doctor, of the follow-ups due in the period: how many were
 * completed, how many by their due date, and, as of a given day, how many are overdue or not yet due. The
 * day is a parameter (never the clock), so the answer is reproducible.
 */
import type { Sql } from '../store/engines/engine.ts';
import type { TableNames } from '../projections/projection.ts';
import { requireDate } from '../projections/read-models/shared/query-input.ts';
import { analyticsTables, inPeriod, periodParams, ratio, type Period } from './analytics-query.ts';

export interface FollowUpAdherence {
  readonly doctorId: string;
  readonly doctorName: string | null;
  readonly scheduled: number;
  readonly completed: number;
  readonly completedOnTime: number;
  /** Not completed, due before `asOf`. */
  readonly overdue: number;
  /** Not completed, due on or after `asOf`. */
  readonly pending: number;
  /** Completed per scheduled (what the demo generator reports). */
  readonly completionRate: number | null;
  /** Completed on time per follow-up that is due or done (pending ones left out). */
  readonly onTimeRate: number | null;
}

export async function followUpAdherence(
  sql: Sql,
  query: Period & { readonly asOf: string },
  tables?: TableNames,
): Promise<FollowUpAdherence[]> {
  const t = analyticsTables(tables);
  const { rows } = await sql.query<{
    doctor_id: string;
    doctor_name: string | null;
    scheduled: number;
    completed: number;
    completed_on_time: number;
    overdue: number;
    pending: number;
  }>(
    `select f.doctor_id, d.doctor_name, count(*)::int as scheduled,
        count(*) filter (where f.completed_date is not null)::int as completed,
        count(*) filter (where f.on_time)::int as completed_on_time,
        count(*) filter (where f.completed_date is null and f.due_date < $4::date)::int as overdue,
        count(*) filter (where f.completed_date is null and f.due_date >= $4::date)::int as pending
      from ${t.wh_fact_followup} f
      left join ${t.wh_dim_doctor} d on d.tenant_id = f.tenant_id and d.doctor_id = f.doctor_id
      where f.tenant_id = $1 and ${inPeriod('f.due_date')}
      group by f.doctor_id, d.doctor_name
      order by f.doctor_id`,
    [...periodParams(query), requireDate(query.asOf, 'asOf')],
  );
  return rows.map((row) => ({
    doctorId: row.doctor_id,
    doctorName: row.doctor_name,
    scheduled: row.scheduled,
    completed: row.completed,
    completedOnTime: row.completed_on_time,
    overdue: row.overdue,
    pending: row.pending,
    completionRate: ratio(row.completed, row.scheduled),
    onTimeRate: ratio(row.completed_on_time, row.scheduled - row.pending),
  }));
}
