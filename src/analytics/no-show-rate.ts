/**
 * BI: no-show rate by doctor (seed §12) — of the bookings whose slot falls in the period and that reached
 * their slot (the patient came or was recorded as a no-show; cancelled bookings do not count), the share of
 * no-shows, per doctor.
 */
import type { Sql } from '../store/engines/engine.ts';
import type { TableNames } from '../projections/projection.ts';
import { analyticsTables, inPeriod, periodParams, ratio, type Period } from './analytics-query.ts';

export interface NoShowRate {
  readonly doctorId: string;
  readonly doctorName: string | null;
  /** Bookings that reached their slot: attended + no-shows. */
  readonly appointments: number;
  readonly noShows: number;
  readonly noShowRate: number | null;
}

export async function noShowRateByDoctor(
  sql: Sql,
  period: Period,
  tables?: TableNames,
): Promise<NoShowRate[]> {
  const t = analyticsTables(tables);
  const { rows } = await sql.query<{
    doctor_id: string;
    doctor_name: string | null;
    appointments: number;
    no_shows: number;
  }>(
    `select b.doctor_id, d.doctor_name,
        count(*) filter (where b.status in ('attended', 'no_show'))::int as appointments,
        count(*) filter (where b.status = 'no_show')::int as no_shows
      from ${t.wh_fact_booking} b
      left join ${t.wh_dim_doctor} d on d.tenant_id = b.tenant_id and d.doctor_id = b.doctor_id
      where b.tenant_id = $1 and ${inPeriod('b.slot_date')}
      group by b.doctor_id, d.doctor_name
      order by b.doctor_id`,
    periodParams(period),
  );
  return rows.map((row) => ({
    doctorId: row.doctor_id,
    doctorName: row.doctor_name,
    appointments: row.appointments,
    noShows: row.no_shows,
    noShowRate: ratio(row.no_shows, row.appointments),
  }));
}
