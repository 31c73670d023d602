/**
 * The report a demo run returns (and the CLI prints as JSON): what was written, what the command side
 * refused and why, how fast, and the BI rates (seed §12) the history came out with.
 */
import type { EngineKind } from '../store/engines/engine.ts';
import { addDays, DEMO_START_DATE } from './calendar.ts';
import { Tally } from './tally.ts';
import type { TenantKind } from './tenant-layout.ts';

export interface TenantSummary {
  readonly tenantId: string;
  readonly kind: TenantKind;
  readonly branches: number;
  readonly doctors: number;
  readonly patients: number;
  readonly events: number;
}

export interface DemoReport {
  readonly seed: number;
  readonly days: number;
  readonly scale: number;
  readonly engine: EngineKind;
  /** The simulated period, local dates, end exclusive. */
  readonly period: { readonly from: string; readonly to: string };
  readonly tenants: readonly TenantSummary[];
  readonly events: { readonly total: number; readonly byType: Readonly<Record<string, number>> };
  readonly commands: {
    readonly accepted: number;
    readonly acceptedByType: Readonly<Record<string, number>>;
    readonly refused: number;
    readonly refusedByCode: Readonly<Record<string, number>>;
  };
  /** Rates the history was tuned to, from what the simulation did. */
  readonly rates: {
    /** Late patient cancellations per booking made. */
    readonly lateCancellation: number;
    /** Bookings whose deposit was paid. */
    readonly depositCapture: number;
    /** No-shows among booked patients who reached their slot's day. */
    readonly noShow: number;
    /** Follow-ups kept among those due at least five days before the period ends. */
    readonly followUpAdherence: number;
    /** Tele visits (early enough in the period) followed by the in-person visit their follow-up asked for. */
    readonly teleConversion: number;
  };
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
}

export function buildReport(input: {
  readonly seed: number;
  readonly days: number;
  readonly scale: number;
  readonly engine: EngineKind;
  readonly tenants: readonly { readonly summary: Omit<TenantSummary, 'events'>; readonly tally: Tally }[];
  readonly elapsedMs: number;
}): DemoReport {
  const total = new Tally();
  for (const { tally } of input.tenants) total.add(tally);
  const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  const ratio = (numerator: number, denominator: number) =>
    denominator === 0 ? 0 : Math.round((numerator / denominator) * 1000) / 1000;
  const outcome = total.outcome.bind(total);
  return {
    seed: input.seed,
    days: input.days,
    scale: input.scale,
    engine: input.engine,
    period: { from: DEMO_START_DATE, to: addDays(DEMO_START_DATE, input.days) },
    tenants: input.tenants.map(({ summary, tally }) => ({ ...summary, events: tally.events })),
    events: { total: total.events, byType: sorted(total.eventsByType) },
    commands: {
      accepted: sum(total.acceptedByCommand),
      acceptedByType: sorted(total.acceptedByCommand),
      refused: sum(total.refusedByCode),
      refusedByCode: sorted(total.refusedByCode),
    },
    rates: {
      lateCancellation: ratio(outcome('late_cancellation'), outcome('booking')),
      depositCapture: ratio(outcome('deposit_paid'), outcome('booking')),
      noShow: ratio(outcome('no_show'), outcome('no_show') + outcome('booked_arrival')),
      followUpAdherence: ratio(outcome('follow_up_kept'), outcome('follow_up_due')),
      teleConversion: ratio(outcome('tele_converted'), outcome('tele_visit')),
    },
    elapsedMs: Math.round(input.elapsedMs),
    eventsPerSecond: input.elapsedMs === 0 ? 0 : Math.round((total.events / input.elapsedMs) * 1000),
  };
}

function sorted(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
