/**
 * BI: branch variance (seed §12, "the most powerful chain sales feature") — per branch, over the business
 * days of the period it reconciled: days settled and still open, days whose cash did not match, expected vs
 * collected, net and absolute variance, shortfalls and surpluses.
 */
import type { Sql } from '../store/engines/engine.ts';
import { toSafeInteger } from '../store/event-row.ts';
import type { TableNames } from '../projections/projection.ts';
import { analyticsTables, inPeriod, periodParams, ratio, type Period } from './analytics-query.ts';

export interface BranchVariance {
  readonly branchId: string;
  readonly branchName: string | null;
  readonly currency: string;
  readonly daysSettled: number;
  /** Reconciliations opened and not settled yet (their figures are not counted). */
  readonly daysOpen: number;
  readonly daysWithVariance: number;
  readonly expectedMinor: number;
  readonly collectedMinor: number;
  /** collected − expected over the settled days. */
  readonly varianceMinor: number;
  /** Σ |variance|: shortfalls and surpluses do not cancel out. */
  readonly absoluteVarianceMinor: number;
  /** Σ of the shortfalls (a positive amount). */
  readonly shortMinor: number;
  /** Σ of the surpluses. */
  readonly overMinor: number;
  /** Absolute variance per unit expected. */
  readonly varianceRate: number | null;
}

export async function branchVariance(
  sql: Sql,
  period: Period,
  tables?: TableNames,
): Promise<BranchVariance[]> {
  const t = analyticsTables(tables);
  const { rows } = await sql.query<{
    branch_id: string;
    branch_name: string | null;
    currency: string;
    days_settled: number;
    days_open: number;
    days_with_variance: number;
    expected_minor: string;
    collected_minor: string;
    absolute_variance_minor: string;
    short_minor: string;
    over_minor: string;
  }>(
    `select r.branch_id, b.branch_name, r.currency,
        count(*) filter (where r.status = 'settled')::int as days_settled,
        count(*) filter (where r.status = 'open')::int as days_open,
        count(*) filter (where r.status = 'settled' and r.variance_minor <> 0)::int as days_with_variance,
        coalesce(sum(r.expected_minor) filter (where r.status = 'settled'), 0) as expected_minor,
        coalesce(sum(r.collected_minor) filter (where r.status = 'settled'), 0) as collected_minor,
        coalesce(sum(abs(r.variance_minor)) filter (where r.status = 'settled'), 0) as absolute_variance_minor,
        coalesce(-sum(r.variance_minor) filter (where r.status = 'settled' and r.variance_minor < 0), 0) as short_minor,
        coalesce(sum(r.variance_minor) filter (where r.status = 'settled' and r.variance_minor > 0), 0) as over_minor
      from ${t.wh_fact_reconciliation} r
      left join ${t.wh_dim_branch} b on b.tenant_id = r.tenant_id and b.branch_id = r.branch_id
      where r.tenant_id = $1 and ${inPeriod('r.business_date')}
      group by r.branch_id, b.branch_name, r.currency
      order by r.branch_id, r.currency`,
    periodParams(period),
  );
  return rows.map((row) => {
    const expectedMinor = toSafeInteger(row.expected_minor);
    const collectedMinor = toSafeInteger(row.collected_minor);
    const absoluteVarianceMinor = toSafeInteger(row.absolute_variance_minor);
    return {
      branchId: row.branch_id,
      branchName: row.branch_name,
      currency: row.currency,
      daysSettled: row.days_settled,
      daysOpen: row.days_open,
      daysWithVariance: row.days_with_variance,
      expectedMinor,
      collectedMinor,
      varianceMinor: collectedMinor - expectedMinor,
      absoluteVarianceMinor,
      shortMinor: toSafeInteger(row.short_minor),
      overMinor: toSafeInteger(row.over_minor),
      varianceRate: ratio(absoluteVarianceMinor, expectedMinor),
    };
  });
}
