/**
 * What Chain analytics asks `reconciliation_view` (the HTTP layer calls these): one branch's business day
 * with its figures per method, a range of branch days, and the chain roll-up across branches. Dates are
 * business days (`YYYY-MM-DD`, Asia/Kolkata), ranges inclusive; every query is scoped to one tenant.
 * `tables` defaults to the live tables.
 */
import type { Sql } from '../../../store/engines/engine.ts';
import { toSafeInteger } from '../../../store/event-row.ts';
import type { TableNames } from '../../projection.ts';
import { liveTableNames } from '../../table-names.ts';
import { tableSet } from '../payments/table-set.ts';
import { optionalId, requireDate, requireId, requireTenantId } from '../shared/query-input.ts';
import { RECONCILIATION_TABLES } from './reconciliation-tables.ts';
import { reconciliationView } from './reconciliation-view.ts';

/** Money that moved on the day according to the payment streams, minor units of `currency`. */
export interface DayMovements {
  readonly currency: string;
  readonly depositsCount: number;
  readonly depositsMinor: number;
  readonly balancesCount: number;
  readonly balancesMinor: number;
  readonly refundsCount: number;
  readonly refundsMinor: number;
  readonly forfeitsCount: number;
  readonly forfeitsMinor: number;
  readonly disputesOpenedCount: number;
  readonly disputesOpenedMinor: number;
  readonly disputesResolvedCount: number;
  readonly disputesResolvedMinor: number;
  readonly disputesReturnedMinor: number;
  /** Deposits + balances − refunds − amounts returned by disputes: what the log says stayed in. */
  readonly ledgerNetMinor: number;
}

export interface BranchDay extends DayMovements {
  readonly branchId: string;
  readonly businessDate: string;
  readonly reconciliationId: string | null;
  readonly reconciliationStatus: 'none' | 'open' | 'settled';
  /** The reconciliation's totals over its methods; null before any figures. */
  readonly expectedMinor: number | null;
  readonly collectedMinor: number | null;
  /** collected − expected. */
  readonly varianceMinor: number | null;
  readonly varianceReason: string | null;
  readonly settledAt: string | null;
}

export interface MethodFigures {
  readonly method: string;
  readonly expectedMinor: number;
  readonly collectedMinor: number;
}

export interface ChainRollupRow extends DayMovements {
  /** Null when rolled up over the whole period. */
  readonly businessDate: string | null;
  /** Branches with any movement or reconciliation, and how many of them settled / only opened the day. */
  readonly branches: number;
  readonly settledBranches: number;
  readonly openBranches: number;
  /** Over the branches with figures. */
  readonly expectedMinor: number;
  readonly collectedMinor: number;
  readonly varianceMinor: number;
  /** Σ |variance| per branch day: shortfalls and surpluses do not cancel out. */
  readonly absoluteVarianceMinor: number;
}

const live = () => liveTableNames(reconciliationView);

const MOVEMENT_COLUMNS = [
  'deposits_count',
  'deposits_minor',
  'balances_count',
  'balances_minor',
  'refunds_count',
  'refunds_minor',
  'forfeits_count',
  'forfeits_minor',
  'disputes_opened_count',
  'disputes_opened_minor',
  'disputes_resolved_count',
  'disputes_resolved_minor',
  'disputes_returned_minor',
] as const;

type MovementRow = Record<(typeof MOVEMENT_COLUMNS)[number], string | number> & { currency: string };

function movementsOf(row: MovementRow): DayMovements {
  const n = (column: (typeof MOVEMENT_COLUMNS)[number]) => toSafeInteger(row[column]);
  return {
    currency: row.currency,
    depositsCount: n('deposits_count'),
    depositsMinor: n('deposits_minor'),
    balancesCount: n('balances_count'),
    balancesMinor: n('balances_minor'),
    refundsCount: n('refunds_count'),
    refundsMinor: n('refunds_minor'),
    forfeitsCount: n('forfeits_count'),
    forfeitsMinor: n('forfeits_minor'),
    disputesOpenedCount: n('disputes_opened_count'),
    disputesOpenedMinor: n('disputes_opened_minor'),
    disputesResolvedCount: n('disputes_resolved_count'),
    disputesResolvedMinor: n('disputes_resolved_minor'),
    disputesReturnedMinor: n('disputes_returned_minor'),
    ledgerNetMinor:
      n('deposits_minor') + n('balances_minor') - n('refunds_minor') - n('disputes_returned_minor'),
  };
}

type BranchDayRow = MovementRow & {
  branch_id: string;
  business_date: string;
  reconciliation_id: string | null;
  reconciliation_status: BranchDay['reconciliationStatus'];
  expected_minor: string | null;
  collected_minor: string | null;
  variance_reason: string | null;
  settled_at: Date | null;
};

function toBranchDay(row: BranchDayRow): BranchDay {
  const expected = row.expected_minor === null ? null : toSafeInteger(row.expected_minor);
  const collected = row.collected_minor === null ? null : toSafeInteger(row.collected_minor);
  return {
    branchId: row.branch_id,
    businessDate: row.business_date,
    ...movementsOf(row),
    reconciliationId: row.reconciliation_id,
    reconciliationStatus: row.reconciliation_status,
    expectedMinor: expected,
    collectedMinor: collected,
    varianceMinor: expected === null || collected === null ? null : collected - expected,
    varianceReason: row.variance_reason,
    settledAt: row.settled_at?.toISOString() ?? null,
  };
}

// Dates as text in a fixed format: node-postgres would turn a `date` into a Date at local midnight.
const BRANCH_DAY_COLUMNS = `branch_id, to_char(business_date, 'YYYY-MM-DD') as business_date, currency,
  ${MOVEMENT_COLUMNS.join(', ')}, reconciliation_id, reconciliation_status, expected_minor, collected_minor,
  variance_reason, settled_at`;

/** Branch days of a period, by date then branch; optionally of one branch. */
export async function branchDays(
  sql: Sql,
  query: {
    readonly tenantId: string;
    readonly from: string;
    readonly to: string;
    readonly branchId?: string;
  },
  tables: TableNames = live(),
): Promise<BranchDay[]> {
  const t = tableSet(RECONCILIATION_TABLES, tables);
  const { rows } = await sql.query<BranchDayRow>(
    `select ${BRANCH_DAY_COLUMNS} from ${t.recon_branch_day}
      where tenant_id = $1 and business_date between $2::date and $3::date and ($4::text is null or branch_id = $4)
      order by business_date, branch_id, currency`,
    [
      requireTenantId(query.tenantId),
      requireDate(query.from, 'from'),
      requireDate(query.to, 'to'),
      optionalId(query.branchId, 'branchId'),
    ],
  );
  return rows.map(toBranchDay);
}

/** One branch's business day (one entry per currency, usually one) with the reconciliation's figures per method. */
export async function branchDay(
  sql: Sql,
  query: { readonly tenantId: string; readonly branchId: string; readonly businessDate: string },
  tables: TableNames = live(),
): Promise<(BranchDay & { readonly figures: readonly MethodFigures[] })[]> {
  const t = tableSet(RECONCILIATION_TABLES, tables);
  const days = await branchDays(
    sql,
    {
      tenantId: query.tenantId,
      from: requireDate(query.businessDate, 'businessDate'),
      to: query.businessDate,
      branchId: requireId(query.branchId, 'branchId'),
    },
    tables,
  );
  return Promise.all(
    days.map(async (day) => {
      if (day.reconciliationId === null) return { ...day, figures: [] };
      const { rows } = await sql.query<{ method: string; expected_minor: string; collected_minor: string }>(
        `select method, expected_minor, collected_minor from ${t.recon_figures}
          where tenant_id = $1 and reconciliation_id = $2 order by method`,
        [query.tenantId, day.reconciliationId],
      );
      const figures = rows.map((row) => ({
        method: row.method,
        expectedMinor: toSafeInteger(row.expected_minor),
        collectedMinor: toSafeInteger(row.collected_minor),
      }));
      return { ...day, figures };
    }),
  );
}

/**
 * The chain across its branches: per business day and currency (`by: 'day'`, the default) or per currency
 * over the whole period (`by: 'period'`).
 */
export async function chainRollup(
  sql: Sql,
  query: {
    readonly tenantId: string;
    readonly from: string;
    readonly to: string;
    readonly by?: 'day' | 'period';
  },
  tables: TableNames = live(),
): Promise<ChainRollupRow[]> {
  const t = tableSet(RECONCILIATION_TABLES, tables);
  const { rows } = await sql.query<
    MovementRow & {
      business_date: string | null;
      branches: number;
      settled_branches: number;
      open_branches: number;
      expected_minor: string;
      collected_minor: string;
      absolute_variance_minor: string;
    }
  >(
    `select case when $4 then null else to_char(business_date, 'YYYY-MM-DD') end as business_date, currency,
        count(distinct branch_id)::int as branches,
        count(distinct branch_id) filter (where reconciliation_status = 'settled')::int as settled_branches,
        count(distinct branch_id) filter (where reconciliation_status = 'open')::int as open_branches,
        ${MOVEMENT_COLUMNS.map((column) => `sum(${column}) as ${column}`).join(', ')},
        coalesce(sum(expected_minor), 0) as expected_minor,
        coalesce(sum(collected_minor), 0) as collected_minor,
        coalesce(sum(abs(collected_minor - expected_minor)), 0) as absolute_variance_minor
      from ${t.recon_branch_day}
      where tenant_id = $1 and business_date between $2::date and $3::date
      group by 1, currency
      order by 1, currency`,
    [
      requireTenantId(query.tenantId),
      requireDate(query.from, 'from'),
      requireDate(query.to, 'to'),
      query.by === 'period',
    ],
  );
  return rows.map((row) => {
    const expectedMinor = toSafeInteger(row.expected_minor);
    const collectedMinor = toSafeInteger(row.collected_minor);
    return {
      businessDate: row.business_date,
      ...movementsOf(row),
      branches: row.branches,
      settledBranches: row.settled_branches,
      openBranches: row.open_branches,
      expectedMinor,
      collectedMinor,
      varianceMinor: collectedMinor - expectedMinor,
      absoluteVarianceMinor: toSafeInteger(row.absolute_variance_minor),
    };
  });
}
