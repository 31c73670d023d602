/**
 * The `http-bookings` report line: booking commands per second over HTTP (the median run), that run's
 * per-request latency, and the store's own append rate from the same `npm run bench`, so what HTTP, auth,
 * validation, the decision and the multi-stream append cost together is visible as a ratio.
 */
import type { Sample } from '../measurement.ts';
import { median, percentile, ratio } from '../stats.ts';
import type { HttpLoadResult } from './http-load.ts';

export interface HttpBookingsRun {
  readonly load: HttpLoadResult;
  /** The store alone, on a fresh database of the same server: concurrent single-event appends. */
  readonly storeAppends: Sample;
  /** Events the slowest read model still had to apply when the load ended. */
  readonly projectionLagEvents: number;
}

export interface HttpBookingsLine {
  readonly workload: 'http-bookings';
  readonly engine: 'postgres';
  readonly system: 'mymedic';
  readonly clients: number;
  readonly bookings: number;
  /** Bookings answered 2xx per second of the median run. */
  readonly bookings_per_s: number;
  readonly samples_bookings_per_s: readonly number[];
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly non_2xx: number;
  readonly store_appends_per_s: number;
  readonly store_append_p99_ms: number | undefined;
  /** bookings_per_s / store_appends_per_s. */
  readonly ratio_vs_store_appends: number | undefined;
  readonly projection_lag_events: number;
  readonly error?: string;
}

export function bookingsPerSecond(load: HttpLoadResult): number {
  return succeeded(load) / load.seconds;
}

/**
 * The median run by bookings per second stands for the workload, its latencies with it; the store's rate is
 * the median of its own samples. Any answer outside 2xx marks the line as an error: every request books a
 * distinct free slot, so a refusal means the service, not the load, went wrong.
 */
export function summariseHttpBookings(clients: number, runs: readonly HttpBookingsRun[]): HttpBookingsLine {
  if (runs.length === 0) throw new RangeError('no runs to summarise');
  const rates = runs.map((run) => bookingsPerSecond(run.load));
  const chosen = runs[rates.indexOf(median(rates))]!;
  const storeRates = runs.map((run) => run.storeAppends.events / run.storeAppends.seconds);
  const storeRate = median(storeRates);
  const storeSample = runs[storeRates.indexOf(storeRate)]!.storeAppends;
  const non2xx = runs.reduce((total, run) => total + run.load.latenciesMs.length - succeeded(run.load), 0);
  const failures = runs.flatMap((run) => run.load.failures);
  return {
    workload: 'http-bookings',
    engine: 'postgres',
    system: 'mymedic',
    clients,
    bookings: chosen.load.latenciesMs.length,
    bookings_per_s: Math.round(median(rates)),
    samples_bookings_per_s: rates.map(Math.round),
    p50_ms: round2(percentile(chosen.load.latenciesMs, 50)),
    p99_ms: round2(percentile(chosen.load.latenciesMs, 99)),
    non_2xx: non2xx,
    store_appends_per_s: Math.round(storeRate),
    store_append_p99_ms: storeSample.p99Ms === undefined ? undefined : round2(storeSample.p99Ms),
    ratio_vs_store_appends: ratio(median(rates), storeRate),
    projection_lag_events: Math.max(...runs.map((run) => run.projectionLagEvents)),
    ...(non2xx > 0 ? { error: `${non2xx} answers outside 2xx, e.g. ${failures.join('; ')}` } : {}),
  };
}

function succeeded(load: HttpLoadResult): number {
  return Object.entries(load.statuses)
    .filter(([status]) => Number(status) >= 200 && Number(status) <= 299)
    .reduce((total, [, count]) => total + count, 0);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
