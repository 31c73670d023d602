/**
 * BI: cancellation leakage (seed §12) — per branch, of the bookings whose slot falls in the period, how many
 * patients cancelled inside the cancellation window, the deposit money at stake on those late cancellations,
 * what the clinic kept (forfeited) and what leaked away (never paid, refunded, or not forfeited).
 */
import type { Sql } from '../store/engines/engine.ts';
import { toSafeInteger } from '../store/event-row.ts';
import type { TableNames } from '../projections/projection.ts';
import { bookingsByBranch, ratio, type Period } from './analytics-query.ts';

export interface CancellationLeakage {
  readonly branchId: string;
  readonly currency: string;
  readonly bookings: number;
  readonly cancellations: number;
  readonly lateCancellations: number;
  /** Late cancellations per booking. */
  readonly lateCancellationRate: number | null;
  /** Deposits the late-cancelled bookings required. */
  readonly atStakeMinor: number;
  /** Forfeited on them: the money kept. */
  readonly keptMinor: number;
  /** At stake − kept: the money lost. */
  readonly lostMinor: number;
  /** The part of the loss whose deposit was never paid at all. */
  readonly lostNeverPaidMinor: number;
  /** Kept per unit at stake. */
  readonly keptRate: number | null;
}

export async function cancellationLeakage(
  sql: Sql,
  period: Period,
  tables?: TableNames,
): Promise<CancellationLeakage[]> {
  const rows = await bookingsByBranch<{
    cancellations: number;
    late_cancellations: number;
    at_stake_minor: string;
    kept_minor: string;
    never_paid_minor: string;
  }>(
    sql,
    period,
    tables,
    `count(*) filter (where status = 'cancelled')::int as cancellations,
      count(*) filter (where late_cancellation)::int as late_cancellations,
      coalesce(sum(deposit_required_minor) filter (where late_cancellation), 0) as at_stake_minor,
      coalesce(sum(least(deposit_forfeited_minor, deposit_required_minor)) filter (where late_cancellation), 0)
        as kept_minor,
      coalesce(sum(deposit_required_minor) filter (where late_cancellation and deposit_paid_minor = 0), 0)
        as never_paid_minor`,
  );
  return rows.map((row) => {
    const atStakeMinor = toSafeInteger(row.at_stake_minor);
    const keptMinor = toSafeInteger(row.kept_minor);
    return {
      branchId: row.branch_id,
      currency: row.currency,
      bookings: row.bookings,
      cancellations: row.cancellations,
      lateCancellations: row.late_cancellations,
      lateCancellationRate: ratio(row.late_cancellations, row.bookings),
      atStakeMinor,
      keptMinor,
      lostMinor: atStakeMinor - keptMinor,
      lostNeverPaidMinor: toSafeInteger(row.never_paid_minor),
      keptRate: ratio(keptMinor, atStakeMinor),
    };
  });
}
