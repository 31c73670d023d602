/**
 * What Finance asks `payments_view` (the HTTP layer calls these): one payment with its balance and status,
 * its lifecycle, the payments of a booking, and the refunds and disputes still open. Every query is scoped
 * to one tenant. `tables` defaults to the live tables.
 */
import type { Sql } from '../../../store/engines/engine.ts';
import { toSafeInteger } from '../../../store/event-row.ts';
import type { TableNames } from '../../projection.ts';
import { liveTableNames } from '../../table-names.ts';
import { optionalId, requireId, requireTenantId } from '../shared/query-input.ts';
import { PAYMENT_CASES, type PaymentCaseKind } from './payment-cases.ts';
import { PAYMENT_TABLES } from './payments-tables.ts';
import { paymentsView } from './payments-view.ts';
import { tableSet } from './table-set.ts';

/**
 * disputed: a dispute is open; refund_pending: a refund awaits issue or refusal; returned: everything paid
 * went back; forfeited: the clinic kept (part of) the deposit; balance_paid / deposit_paid otherwise.
 */
export type PaymentStatus =
  'disputed' | 'refund_pending' | 'returned' | 'forfeited' | 'balance_paid' | 'deposit_paid';

export interface PaymentSummary {
  readonly paymentId: string;
  readonly bookingId: string | null;
  readonly patientId: string;
  readonly branchId: string;
  readonly currency: string;
  readonly pricingPolicy: { readonly policyId: string; readonly version: number } | null;
  readonly depositMinor: number;
  readonly depositMethod: string | null;
  readonly balanceMinor: number;
  readonly paidMinor: number;
  readonly forfeitedMinor: number;
  readonly forfeitCause: string | null;
  readonly refundOpenMinor: number;
  readonly refundedMinor: number;
  readonly disputeOpenMinor: number;
  readonly disputeReturnedMinor: number;
  /** Paid less everything that went back (refunds issued, disputes lost). */
  readonly netMinor: number;
  readonly status: PaymentStatus;
  readonly firstPaidAt: string;
  readonly lastEventAt: string;
  readonly version: number;
}

export interface PaymentHistoryEntry {
  readonly version: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly occurredAt: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly referenceId: string | null;
  readonly detail: string | null;
}

export interface OpenRefund {
  readonly paymentId: string;
  readonly refundId: string;
  readonly branchId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reasonCode: string;
  readonly requestedAt: string;
}

export interface OpenDispute {
  readonly paymentId: string;
  readonly disputeId: string;
  readonly branchId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reasonCode: string;
  readonly openedAt: string;
}

const live = () => liveTableNames(paymentsView);

interface PaymentRow {
  payment_id: string;
  booking_id: string | null;
  patient_id: string;
  branch_id: string;
  currency: string;
  pricing_policy_id: string | null;
  pricing_policy_version: number | null;
  deposit_minor: string;
  deposit_method: string | null;
  balance_minor: string;
  forfeited_minor: string;
  forfeit_cause: string | null;
  refund_open_minor: string;
  refunded_minor: string;
  dispute_open_minor: string;
  dispute_returned_minor: string;
  first_paid_at: Date;
  last_event_at: Date;
  version: number;
}

export function paymentStatus(
  sums: Pick<
    PaymentSummary,
    'disputeOpenMinor' | 'refundOpenMinor' | 'paidMinor' | 'netMinor' | 'forfeitedMinor' | 'balanceMinor'
  >,
): PaymentStatus {
  if (sums.disputeOpenMinor > 0) return 'disputed';
  if (sums.refundOpenMinor > 0) return 'refund_pending';
  if (sums.netMinor === 0) return 'returned';
  if (sums.forfeitedMinor > 0) return 'forfeited';
  return sums.balanceMinor > 0 ? 'balance_paid' : 'deposit_paid';
}

function toSummary(row: PaymentRow): PaymentSummary {
  const depositMinor = toSafeInteger(row.deposit_minor);
  const balanceMinor = toSafeInteger(row.balance_minor);
  const refundedMinor = toSafeInteger(row.refunded_minor);
  const disputeReturnedMinor = toSafeInteger(row.dispute_returned_minor);
  const paidMinor = depositMinor + balanceMinor;
  const sums = {
    depositMinor,
    balanceMinor,
    paidMinor,
    forfeitedMinor: toSafeInteger(row.forfeited_minor),
    refundOpenMinor: toSafeInteger(row.refund_open_minor),
    refundedMinor,
    disputeOpenMinor: toSafeInteger(row.dispute_open_minor),
    disputeReturnedMinor,
    netMinor: paidMinor - refundedMinor - disputeReturnedMinor,
  };
  return {
    paymentId: row.payment_id,
    bookingId: row.booking_id,
    patientId: row.patient_id,
    branchId: row.branch_id,
    currency: row.currency,
    pricingPolicy:
      row.pricing_policy_id === null || row.pricing_policy_version === null
        ? null
        : { policyId: row.pricing_policy_id, version: row.pricing_policy_version },
    depositMethod: row.deposit_method,
    forfeitCause: row.forfeit_cause,
    ...sums,
    status: paymentStatus(sums),
    firstPaidAt: row.first_paid_at.toISOString(),
    lastEventAt: row.last_event_at.toISOString(),
    version: row.version,
  };
}

export async function paymentById(
  sql: Sql,
  query: { readonly tenantId: string; readonly paymentId: string },
  tables: TableNames = live(),
): Promise<PaymentSummary | null> {
  const t = tableSet(PAYMENT_TABLES, tables);
  const { rows } = await sql.query<PaymentRow>(
    `select * from ${t.payments_view} where tenant_id = $1 and payment_id = $2`,
    [requireTenantId(query.tenantId), requireId(query.paymentId, 'paymentId')],
  );
  return rows[0] ? toSummary(rows[0]) : null;
}

export async function paymentsOfBooking(
  sql: Sql,
  query: { readonly tenantId: string; readonly bookingId: string },
  tables: TableNames = live(),
): Promise<PaymentSummary[]> {
  const t = tableSet(PAYMENT_TABLES, tables);
  const { rows } = await sql.query<PaymentRow>(
    `select * from ${t.payments_view} where tenant_id = $1 and booking_id = $2 order by first_paid_at, payment_id`,
    [requireTenantId(query.tenantId), requireId(query.bookingId, 'bookingId')],
  );
  return rows.map(toSummary);
}

/** The payment's events in stream order: what was paid, kept, refunded and contested, and when. */
export async function paymentHistory(
  sql: Sql,
  query: { readonly tenantId: string; readonly paymentId: string },
  tables: TableNames = live(),
): Promise<PaymentHistoryEntry[]> {
  const t = tableSet(PAYMENT_TABLES, tables);
  const { rows } = await sql.query<{
    version: number;
    event_id: string;
    event_type: string;
    occurred_at: Date;
    amount_minor: string;
    currency: string;
    reference_id: string | null;
    detail: string | null;
  }>(
    `select version, event_id, event_type, occurred_at, amount_minor, currency, reference_id, detail
      from ${t.payment_history} where tenant_id = $1 and payment_id = $2 order by version`,
    [requireTenantId(query.tenantId), requireId(query.paymentId, 'paymentId')],
  );
  return rows.map((row) => ({
    version: row.version,
    eventId: row.event_id,
    eventType: row.event_type,
    occurredAt: row.occurred_at.toISOString(),
    amountMinor: toSafeInteger(row.amount_minor),
    currency: row.currency,
    referenceId: row.reference_id,
    detail: row.detail,
  }));
}

interface OpenCaseRow {
  readonly payment_id: string;
  readonly case_id: string;
  readonly branch_id: string;
  readonly amount_minor: string;
  readonly currency: string;
  readonly reason_code: string;
  readonly opened_at: Date;
}

/** The open refunds or disputes, oldest first; optionally of one branch. */
async function openCases(
  sql: Sql,
  kind: PaymentCaseKind,
  query: { readonly tenantId: string; readonly branchId?: string },
  tables: TableNames,
): Promise<OpenCaseRow[]> {
  const t = tableSet(PAYMENT_TABLES, tables);
  const { table, idColumn, openStatus, openedAtColumn } = PAYMENT_CASES[kind];
  const { rows } = await sql.query<OpenCaseRow>(
    `select payment_id, ${idColumn} as case_id, branch_id, amount_minor, currency, reason_code,
        ${openedAtColumn} as opened_at
      from ${t[table]}
      where tenant_id = $1 and status = '${openStatus}' and ($2::text is null or branch_id = $2)
      order by ${openedAtColumn}, payment_id, ${idColumn}`,
    [requireTenantId(query.tenantId), optionalId(query.branchId, 'branchId')],
  );
  return rows;
}

/** Refunds requested and neither issued nor refused, oldest first; optionally of one branch. */
export async function openRefunds(
  sql: Sql,
  query: { readonly tenantId: string; readonly branchId?: string },
  tables: TableNames = live(),
): Promise<OpenRefund[]> {
  return (await openCases(sql, 'refund', query, tables)).map((row) => ({
    paymentId: row.payment_id,
    refundId: row.case_id,
    branchId: row.branch_id,
    amountMinor: toSafeInteger(row.amount_minor),
    currency: row.currency,
    reasonCode: row.reason_code,
    requestedAt: row.opened_at.toISOString(),
  }));
}

/** Disputes opened and not yet resolved, oldest first; optionally of one branch. */
export async function openDisputes(
  sql: Sql,
  query: { readonly tenantId: string; readonly branchId?: string },
  tables: TableNames = live(),
): Promise<OpenDispute[]> {
  return (await openCases(sql, 'dispute', query, tables)).map((row) => ({
    paymentId: row.payment_id,
    disputeId: row.case_id,
    branchId: row.branch_id,
    amountMinor: toSafeInteger(row.amount_minor),
    currency: row.currency,
    reasonCode: row.reason_code,
    openedAt: row.opened_at.toISOString(),
  }));
}
