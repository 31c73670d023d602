/**
 * BI: tele conversion (seed §12) — per branch, of the tele consultations completed in the period, how many
 * converted into an in-person visit: a follow-up the tele visit asked for was fulfilled by a later visit that
 * was not tele. (The demo generator's `teleConversion` rate counts the same thing.)
 */
import type { Sql } from '../store/engines/engine.ts';
import type { TableNames } from '../projections/projection.ts';
import { analyticsTables, inPeriod, periodParams, ratio, type Period } from './analytics-query.ts';

export interface TeleConversion {
  readonly branchId: string;
  readonly teleVisits: number;
  /** Tele visits with at least one follow-up scheduled. */
  readonly withFollowUp: number;
  readonly converted: number;
  readonly conversionRate: number | null;
}

export async function teleConversion(
  sql: Sql,
  period: Period,
  tables?: TableNames,
): Promise<TeleConversion[]> {
  const t = analyticsTables(tables);
  const { rows } = await sql.query<{
    branch_id: string;
    tele_visits: number;
    with_follow_up: number;
    converted: number;
  }>(
    `select v.branch_id, count(*)::int as tele_visits,
        count(*) filter (where exists (
          select 1 from ${t.wh_fact_followup} f where f.tenant_id = v.tenant_id and f.visit_id = v.visit_id
        ))::int as with_follow_up,
        count(*) filter (where exists (
          select 1 from ${t.wh_fact_followup} f
            join ${t.wh_fact_visit} later on later.tenant_id = f.tenant_id and later.visit_id = f.fulfilled_by_visit_id
          where f.tenant_id = v.tenant_id and f.visit_id = v.visit_id and not later.tele
        ))::int as converted
      from ${t.wh_fact_visit} v
      where v.tenant_id = $1 and v.tele and v.outcome = 'completed' and ${inPeriod('v.visit_date')}
      group by v.branch_id
      order by v.branch_id`,
    periodParams(period),
  );
  return rows.map((row) => ({
    branchId: row.branch_id,
    teleVisits: row.tele_visits,
    withFollowUp: row.with_follow_up,
    converted: row.converted,
    conversionRate: ratio(row.converted, row.tele_visits),
  }));
}
