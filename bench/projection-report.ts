/**
 * The JSON lines of the read-model workloads: each pass over the history (the plain read and the rebuilds,
 * with their ratio to the read), and the lag percentiles of the live projections.
 */
import type { HistoryPass, LagMeasurement, Measurement, RebuildMeasurement } from './measurement.ts';
import type { Workload } from './plan.ts';
import { percentile, ratio } from './stats.ts';
import { describeTarget, meetsTarget, MYMEDIC_TARGETS } from './targets.ts';

export interface ProjectionReportLine {
  readonly workload: string;
  readonly engine: string;
  readonly system: 'mymedic';
  readonly variant?: HistoryPass['variant'];
  readonly events_per_s?: number;
  readonly ratio_vs_read?: number | undefined;
  readonly target?: string | undefined;
  readonly meets_target?: boolean | undefined;
  readonly events?: number;
  readonly seconds?: number;
  readonly statements_per_event?: number;
  readonly parked?: number;
  readonly projection_seconds?: Readonly<Record<string, number>> | undefined;
  readonly history_built?: boolean;
  readonly generated_events_per_s?: number;
  readonly loaded_events_per_s?: number;
  readonly settle_ms?: number;
  readonly appends?: number;
  readonly warm_up_events?: number;
  readonly appends_per_s?: number;
  readonly p50_ms?: number;
  readonly p99_ms?: number;
  readonly max_ms?: number;
  readonly error?: string;
}

/** The pass the rebuild target is judged on: every read model from one read of the log. */
const JUDGED_PASS: HistoryPass['variant'] = 'one-pass';

export function reportProjectionWorkload(
  workload: Workload,
  outcome: { readonly measurement: Measurement } | { readonly error: string },
): ProjectionReportLine[] {
  const head = { workload: workload.id, engine: workload.engine, system: 'mymedic' } as const;
  if ('error' in outcome) return [{ ...head, error: outcome.error }];
  const { rebuild, lag } = outcome.measurement;
  if (rebuild) return reportRebuild(workload, rebuild).map((line) => ({ ...head, ...line }));
  if (lag) return [{ ...head, ...reportLag(workload, lag) }];
  return [{ ...head, error: 'the measurement carried no figures' }];
}

function reportRebuild(
  workload: Workload,
  rebuild: RebuildMeasurement,
): Omit<ProjectionReportLine, 'workload' | 'engine' | 'system'>[] {
  const rate = (pass: HistoryPass) => pass.events / pass.seconds;
  const read = rebuild.passes.find((pass) => pass.variant === 'read');
  const target = MYMEDIC_TARGETS[workload.id];
  return rebuild.passes.map((pass) => {
    const eventsPerS = rate(pass);
    const judged = pass.variant === JUDGED_PASS && target !== undefined;
    return {
      variant: pass.variant,
      events_per_s: Math.round(eventsPerS),
      ratio_vs_read: pass.variant === 'read' ? undefined : ratio(eventsPerS, read && rate(read)),
      target: judged ? describeTarget(target) : undefined,
      meets_target: judged ? meetsTarget(target, { eventsPerS }) : undefined,
      events: pass.events,
      seconds: round2(pass.seconds),
      statements_per_event: round2(pass.statements / pass.events),
      parked: pass.parked,
      projection_seconds: pass.projectionSeconds,
      history_built: rebuild.history.built,
      generated_events_per_s: rebuild.history.generatedEventsPerS,
      loaded_events_per_s: rebuild.history.loadedEventsPerS,
      settle_ms: rebuild.settleMs,
    };
  });
}

function reportLag(
  workload: Workload,
  lag: LagMeasurement,
): Omit<ProjectionReportLine, 'workload' | 'engine' | 'system'> {
  if (lag.lagsMs.length === 0) return { error: 'no append was measured' };
  const target = MYMEDIC_TARGETS[workload.id];
  const p99 = percentile(lag.lagsMs, 99);
  const eventsPerS = lag.events / lag.seconds;
  return {
    events_per_s: Math.round(eventsPerS),
    target: target && describeTarget(target),
    meets_target: target && meetsTarget(target, { eventsPerS, p99Ms: p99 }),
    events: lag.events,
    seconds: round2(lag.seconds),
    appends: lag.lagsMs.length,
    warm_up_events: lag.warmUpEvents,
    appends_per_s: round2(lag.lagsMs.length / lag.seconds),
    p50_ms: round2(percentile(lag.lagsMs, 50)),
    p99_ms: round2(p99),
    max_ms: round2(percentile(lag.lagsMs, 100)),
    parked: lag.parked,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
