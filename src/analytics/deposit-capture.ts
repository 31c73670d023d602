/**
 * BI: deposit capture (seed §12) — per branch, of the bookings whose slot falls in the period, how many
 * required a deposit, how many had it paid, and the amounts required, paid and finally kept by forfeiture.
 */
import type { Sql } from '../store/engines/engine.ts';
import { toSafeInteger } from '../store/event-row.ts';
import type { TableNames } from '../projections/projection.ts';
import { bookingsByBranch, ratio, type Period } from './analytics-query.ts';

export interface DepositCapture {
  readonly branchId: string;
  readonly currency: string;
  readonly bookings: number;
  readonly depositRequired: number;
  readonly depositsPaid: number;
  /** Deposits paid per booking that required one. */
  readonly captureRate: number | null;
  readonly requiredMinor: number;
  readonly paidMinor: number;
  /** Paid per unit required. */
  readonly amountCaptureRate: number | null;
  /** Forfeited after late cancellations and no-shows. */
  readonly forfeitedMinor: number;
}

export async function depositCapture(
  sql: Sql,
  period: Period,
  tables?: TableNames,
): Promise<DepositCapture[]> {
  const rows = await bookingsByBranch<{
    deposit_required: number;
    deposits_paid: number;
    required_minor: string;
    paid_minor: string;
    forfeited_minor: string;
  }>(
    sql,
    period,
    tables,
    `count(*) filter (where deposit_required_minor > 0)::int as deposit_required,
      count(*) filter (where deposit_required_minor > 0 and deposit_paid_minor > 0)::int as deposits_paid,
      sum(deposit_required_minor) as required_minor,
      sum(deposit_paid_minor) as paid_minor,
      sum(deposit_forfeited_minor) as forfeited_minor`,
  );
  return rows.map((row) => {
    const requiredMinor = toSafeInteger(row.required_minor);
    const paidMinor = toSafeInteger(row.paid_minor);
    return {
      branchId: row.branch_id,
      currency: row.currency,
      bookings: row.bookings,
      depositRequired: row.deposit_required,
      depositsPaid: row.deposits_paid,
      captureRate: ratio(row.deposits_paid, row.deposit_required),
      requiredMinor,
      paidMinor,
      amountCaptureRate: ratio(paidMinor, requiredMinor),
      forfeitedMinor: toSafeInteger(row.forfeited_minor),
    };
  });
}
