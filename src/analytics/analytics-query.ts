/**
 * What the BI questions (seed §12) share: the period they look at, the warehouse tables they read, and how
 * rates are given. Questions are plain SQL over the warehouse's tables, always filtered by tenant.
 */
import type { Sql } from '../store/engines/engine.ts';
import type { TableNames } from '../projections/projection.ts';
import { liveTableNames } from '../projections/table-names.ts';
import { requireDate, requireTenantId } from '../projections/read-models/shared/query-input.ts';
import { warehouseProjections } from '../projections/read-models/warehouse/warehouse-projections.ts';
import {
  warehouseTables,
  type WarehouseTable,
} from '../projections/read-models/warehouse/warehouse-tables.ts';

export interface Period {
  readonly tenantId: string;
  /** First business day included (`YYYY-MM-DD`); open when omitted. */
  readonly from?: string;
  /** Last business day included; open when omitted. */
  readonly to?: string;
}

/** The concrete warehouse tables: the live ones unless given (e.g. a replay's shadow). */
export function analyticsTables(tables?: TableNames): Readonly<Record<WarehouseTable, string>> {
  return warehouseTables(tables ?? liveTableNames(warehouseProjections));
}

/** SQL condition on a date column for the period bound to `$2` (from) and `$3` (to); `$1` is the tenant. */
export function inPeriod(column: string): string {
  return `(${column} >= $2::date or $2::date is null) and (${column} <= $3::date or $3::date is null)`;
}

/** The period's bound parameters `$1` (tenant), `$2` (from), `$3` (to), checked. */
export function periodParams(period: Period): [string, string | null, string | null] {
  return [
    requireTenantId(period.tenantId),
    period.from === undefined ? null : requireDate(period.from, 'from'),
    period.to === undefined ? null : requireDate(period.to, 'to'),
  ];
}

/** numerator / denominator, or null when there is nothing to divide by. Rates are ratios, never money. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Per branch and currency, the bookings whose slot falls in the period. */
export interface BranchBookings {
  readonly branch_id: string;
  readonly currency: string;
  readonly bookings: number;
}

/** Groups the period's bookings (by slot date) per branch and currency, with the question's `aggregates`. */
export async function bookingsByBranch<Aggregates extends object>(
  sql: Sql,
  period: Period,
  tables: TableNames | undefined,
  aggregates: string,
): Promise<(BranchBookings & Aggregates)[]> {
  const t = analyticsTables(tables);
  const { rows } = await sql.query<BranchBookings & Aggregates>(
    `select branch_id, currency, count(*)::int as bookings, ${aggregates}
      from ${t.wh_fact_booking}
      where tenant_id = $1 and ${inPeriod('slot_date')}
      group by branch_id, currency
      order by branch_id, currency`,
    periodParams(period),
  );
  return rows;
}
