/**
 * Turns the measurements of one workload into the JSON lines `npm run bench` prints: the median sample per
 * system, ratios against the baselines measured in the same run, and MyMedic's targets.
 */
import type { LogAudit, Measurement, Sample } from './measurement.ts';
import type { SystemName, Workload } from './plan.ts';
import { median, ratio } from './stats.ts';
import { describeTarget, meetsTarget, MYMEDIC_TARGETS } from './targets.ts';

export type SystemOutcome =
  | { readonly system: SystemName; readonly measurements: readonly Measurement[] }
  | { readonly system: SystemName; readonly error: string };

export interface ReportLine {
  readonly workload: string;
  readonly engine: string;
  readonly system: SystemName;
  readonly events_per_s?: number;
  readonly ratio_vs_raw?: number | undefined;
  readonly ratio_vs_emmett?: number | undefined;
  readonly target?: string | undefined;
  readonly meets_target?: boolean | undefined;
  readonly events?: number;
  readonly samples_events_per_s?: readonly number[];
  readonly p50_ms?: number | undefined;
  readonly p99_ms?: number | undefined;
  readonly queries_per_op?: number;
  readonly stored?: number | undefined;
  readonly tail_seen?: number | undefined;
  readonly missed?: number | undefined;
  readonly duplicated?: number | undefined;
  readonly read_missed?: number | undefined;
  readonly read_duplicated?: number | undefined;
  readonly settle_ms?: number | undefined;
  readonly error?: string;
}

interface Summary {
  readonly eventsPerS: number;
  readonly sample: Sample;
  readonly allEventsPerS: readonly number[];
  readonly audit: LogAudit | undefined;
}

export function reportWorkload(workload: Workload, outcomes: readonly SystemOutcome[]): ReportLine[] {
  const summaries = new Map<SystemName, Summary>();
  for (const outcome of outcomes) {
    if ('measurements' in outcome) summaries.set(outcome.system, summarise(outcome.measurements));
  }
  const raw = summaries.get('raw')?.eventsPerS;
  const emmett = summaries.get('emmett')?.eventsPerS;
  return outcomes.map((outcome): ReportLine => {
    const head = { workload: workload.id, engine: workload.engine, system: outcome.system };
    const summary = summaries.get(outcome.system);
    if ('error' in outcome || !summary)
      return { ...head, error: 'error' in outcome ? outcome.error : 'no samples' };
    const { eventsPerS, sample, audit } = summary;
    const ratioVsRaw = outcome.system === 'raw' ? undefined : ratio(eventsPerS, raw);
    const ratioVsEmmett = outcome.system === 'mymedic' ? ratio(eventsPerS, emmett) : undefined;
    const target =
      outcome.system === 'mymedic' && workload.engine === 'postgres'
        ? MYMEDIC_TARGETS[workload.id]
        : undefined;
    return {
      ...head,
      events_per_s: Math.round(eventsPerS),
      ratio_vs_raw: ratioVsRaw,
      ratio_vs_emmett: ratioVsEmmett,
      target: target && describeTarget(target),
      meets_target:
        target &&
        meetsTarget(target, {
          eventsPerS,
          ratioVsRaw,
          ratioVsEmmett,
          missed: audit === undefined ? undefined : audit.missed + (sample.missed ?? 0),
        }),
      events: sample.events,
      samples_events_per_s: summary.allEventsPerS.map(Math.round),
      p50_ms: round2(sample.p50Ms),
      p99_ms: round2(sample.p99Ms),
      queries_per_op: round2(sample.queries / sample.ops),
      stored: audit?.stored,
      tail_seen: audit?.seen,
      missed: audit?.missed,
      duplicated: audit?.duplicated,
      read_missed: sample.missed,
      read_duplicated: sample.duplicated,
      settle_ms: audit?.settleMs === undefined ? undefined : Math.round(audit.settleMs),
    };
  });
}

/** The median sample stands for the system; its latencies and round trips come with it, so they agree. */
function summarise(measurements: readonly Measurement[]): Summary {
  const samples = measurements.flatMap((measurement) => measurement.samples);
  if (samples.length === 0) throw new Error('a measurement without samples');
  const rates = samples.map((sample) => sample.events / sample.seconds);
  const eventsPerS = median(rates);
  const sample = samples[rates.indexOf(eventsPerS)] as Sample;
  const audits = measurements.flatMap((measurement) => (measurement.audit ? [measurement.audit] : []));
  return {
    eventsPerS,
    sample,
    allEventsPerS: rates,
    audit: audits.length > 0 ? sumAudits(audits) : undefined,
  };
}

function sumAudits(audits: readonly LogAudit[]): LogAudit {
  return audits.reduce((total, audit) => ({
    stored: total.stored + audit.stored,
    seen: total.seen + audit.seen,
    missed: total.missed + audit.missed,
    duplicated: total.duplicated + audit.duplicated,
    settleMs: Math.max(total.settleMs ?? 0, audit.settleMs ?? 0),
  }));
}

function round2(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 100) / 100;
}
