/**
 * What `mymedic replay` does, apart from opening the database: parse the options, run replays (or list,
 * retry parked events, show lag), print progress on stderr and the report on stdout, and choose the exit
 * code (0 done, 1 failed / not swapped / drift found, 2 bad usage). Tested with test projections.
 */
import { parseArgs } from 'node:util';
import { isMyMedicError, ValidationError } from '../shared/errors.ts';
import type { Engine } from '../store/engines/engine.ts';
import type { Projection } from '../projections/projection.ts';
import { ProjectionRuntime } from '../projections/projection-runtime.ts';
import type { UpcasterRegistry } from '../projections/upcaster-registry.ts';
import type { ReplayOptions, ReplayProgress, ReplayReport } from './replay-projection.ts';
import type { ReplaySlice } from './replay-slice.ts';
import { dropStaleShadows } from './shadow.ts';
import { isEmptyDiff } from './table-diff.ts';

export interface ReplayCliContext {
  readonly engine: Engine;
  readonly projections: readonly Projection[];
  readonly upcasters: UpcasterRegistry;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** Minimum time between two progress lines (default 1 s). */
  readonly progressIntervalMs?: number;
}

export const REPLAY_USAGE = `usage: mymedic replay <projection|all> [options]
  --tenant T             only tenant T (rebuilds its rows; the rest stay untouched)
  --branch B             only branch B of --tenant (projections with a branch column)
  --aggregate-type X     forensic: a model of only aggregate type X (never swapped in)
  --stream ID            forensic: only the stream with aggregate id ID (needs --tenant)
  --from ISO, --to ISO   forensic: only events in [from, to), e.g. --to 2026-01-01 = the model as of then
  --time recorded|occurred   which time --from/--to filter on (default recorded)
  --dry-run              build beside the live model and report the difference; swap nothing
  --verify               dry run that compares fingerprints and exits 1 on any drift
  --allow-parked         swap even if the rebuild parked events
  --batch-size N         events per transaction (default 1000; 5000 for a one-pass rebuild of all)
  --parked               list parked events instead of replaying; --retry-parked retries them
  --status               show lag (events and time behind) instead of replaying
  --drop-stale-shadows   drop shadows left by replays that died: claims not renewed for --stale-after
                         minutes (default 60; a running replay renews its claim after every page)
  --json                 one JSON report per projection on stdout`;

const OPTIONS = {
  tenant: { type: 'string' },
  branch: { type: 'string' },
  'aggregate-type': { type: 'string' },
  stream: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  time: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  verify: { type: 'boolean', default: false },
  'allow-parked': { type: 'boolean', default: false },
  'batch-size': { type: 'string' },
  parked: { type: 'boolean', default: false },
  'retry-parked': { type: 'boolean', default: false },
  status: { type: 'boolean', default: false },
  'drop-stale-shadows': { type: 'boolean', default: false },
  'stale-after': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(args: readonly string[]) {
  return parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
}

export async function runReplayCli(args: readonly string[], context: ReplayCliContext): Promise<number> {
  let values: Values;
  let selected: Projection[];
  let slice: ReplaySlice;
  try {
    const parsed = parse(args);
    values = parsed.values;
    selected = selectProjections(parsed.positionals, context.projections);
    slice = sliceOf(values);
  } catch (error) {
    context.stderr(`${error instanceof Error ? error.message : String(error)}\n${REPLAY_USAGE}`);
    return 2;
  }
  if (selected.length === 0) {
    context.stderr('no projections are registered (src/projections/registry.ts)');
    return 0;
  }
  const runtime = new ProjectionRuntime(context.engine, {
    projections: context.projections,
    upcasters: context.upcasters,
  });
  try {
    if (values.status) return await printStatus(runtime, selected, values.json, context);
    if (values['drop-stale-shadows']) {
      const dropped = await dropStaleShadows(
        context.engine,
        selected.map((projection) => projection.name),
        staleAfterMinutes(values['stale-after'] ?? '60') * 60_000,
      );
      context.stdout(
        dropped.length === 0 ? 'no stale shadows' : dropped.map((target) => `dropped ${target}`).join('\n'),
      );
      return 0;
    }
    if (values.parked || values['retry-parked']) return await parked(runtime, selected, values, context);
    const options = {
      allowParked: values['allow-parked'],
      ...(values['batch-size'] !== undefined ? { batchSize: positiveInteger(values['batch-size']) } : {}),
      onProgress: progressPrinter(context),
    };
    const dryRun = values['dry-run'] || values.verify;
    // Full rebuilds of several projections share one read of the log.
    const reports =
      selected.length > 1 && !dryRun && Object.keys(slice).length === 0
        ? await runtime.rebuild(
            selected.map((projection) => projection.name),
            options,
          )
        : await replayEach(runtime, selected, { ...options, slice, dryRun });
    let failed = false;
    for (const report of reports) {
      const drifted = (report.fingerprints?.drifted.length ?? 0) > 0 || !isEmptyDiff(report.diff ?? []);
      failed ||= report.outcome === 'not-swapped' || (values.verify && drifted);
      context.stdout(values.json ? JSON.stringify(report) : describeReport(report, values.verify));
    }
    return failed ? 1 : 0;
  } catch (error) {
    if (error instanceof ValidationError) {
      context.stderr(`${error.message}\n${REPLAY_USAGE}`);
      return 2;
    }
    if (!isMyMedicError(error)) throw error;
    context.stderr(`replay failed: ${error.code}: ${error.message}`);
    return 1;
  }
}

async function replayEach(
  runtime: ProjectionRuntime,
  projections: readonly Projection[],
  options: ReplayOptions,
): Promise<ReplayReport[]> {
  const reports: ReplayReport[] = [];
  for (const projection of projections) reports.push(await runtime.replay(projection.name, options));
  return reports;
}

function selectProjections(positionals: readonly string[], projections: readonly Projection[]): Projection[] {
  const [name, ...rest] = positionals;
  if (name === undefined || rest.length > 0)
    throw new ValidationError('projection', 'name one projection, or all');
  if (name === 'all') return [...projections];
  const projection = projections.find((candidate) => candidate.name === name);
  if (!projection) {
    const known = projections.map((candidate) => candidate.name).join(', ') || 'none';
    throw new ValidationError('projection', `unknown projection ${name} (registered: ${known})`);
  }
  return [projection];
}

function sliceOf(values: Values): ReplaySlice {
  const time = values.time ?? 'recorded';
  if (time !== 'recorded' && time !== 'occurred')
    throw new ValidationError('--time', 'must be recorded or occurred');
  return {
    ...(values.tenant !== undefined ? { tenantId: values.tenant } : {}),
    ...(values.branch !== undefined ? { branchId: values.branch } : {}),
    ...(values['aggregate-type'] !== undefined ? { aggregateType: values['aggregate-type'] } : {}),
    ...(values.stream !== undefined ? { aggregateId: values.stream } : {}),
    ...(values.from !== undefined ? { from: isoDate('--from', values.from) } : {}),
    ...(values.to !== undefined ? { to: isoDate('--to', values.to) } : {}),
    ...(values.from !== undefined || values.to !== undefined ? { timeField: time } : {}),
  };
}

function isoDate(flag: string, text: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new ValidationError(flag, 'must be an ISO 8601 date or date-time', { value: text });
  }
  return date;
}

function staleAfterMinutes(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) {
    throw new ValidationError('--stale-after', 'must be a whole number of minutes, at least 1');
  }
  return value;
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 10_000) {
    throw new ValidationError('--batch-size', 'must be a whole number from 1 to 10000');
  }
  return value;
}

/** Progress lines on stderr, at most one per interval: events, rate, share done and ETA. */
function progressPrinter(context: ReplayCliContext): (progress: ReplayProgress) => void {
  let lastPrinted = 0;
  return (progress) => {
    if (progress.phase === 'final') {
      context.stderr(`${progress.projection}: ${progress.events} events read; final catch-up`);
      return;
    }
    if (progress.elapsedMs - lastPrinted < (context.progressIntervalMs ?? 1_000)) return;
    lastPrinted = progress.elapsedMs;
    const rate = progress.events / (progress.elapsedMs / 1000);
    const left = Math.max(0, progress.total - progress.events);
    const share =
      progress.total > 0 ? ` (${Math.min(100, Math.floor((100 * progress.events) / progress.total))}%)` : '';
    const eta = rate > 0 && left > 0 ? `, ETA ${duration((left / rate) * 1000)}` : '';
    context.stderr(
      `${progress.projection}: ${progress.events}/${progress.total} events${share}, ${Math.round(rate)} events/s${eta}`,
    );
  };
}

function describeReport(report: ReplayReport, verify: boolean): string {
  const { events } = report;
  const scope = Object.entries(report.slice)
    .map(([key, value]) => `${key}=${value instanceof Date ? value.toISOString() : String(value)}`)
    .join(' ');
  const lines = [
    `${report.projection} v${report.version} ${report.kind}${scope ? ` (${scope})` : ''}: ${report.outcome}` +
      (report.generation !== undefined ? `, generation ${report.generation}` : ''),
    `  events: ${events.read} read, ${events.applied} applied, ${events.skipped} skipped, ${events.parked} parked` +
      ` (${events.finalCatchUp} in the final catch-up)`,
    `  rows: ${Object.entries(report.rows)
      .map(([table, rows]) => `${table}=${rows}`)
      .join(', ')}`,
    `  time: ${duration(report.elapsedMs)}, ${report.eventsPerSecond} events/s`,
  ];
  for (const entry of report.parked) {
    lines.push(
      `  parked: tenant ${entry.tenantId} seq ${entry.tenantSeq} ${entry.eventType}: ${entry.errorCode}: ${entry.errorMessage}`,
    );
  }
  if (report.outcome === 'not-swapped')
    lines.push('  not swapped: events were parked (use --allow-parked to swap anyway)');
  for (const diff of report.diff ?? []) {
    lines.push(`  diff ${diff.table}: +${diff.added} -${diff.removed} ~${diff.changed}`);
    for (const kind of ['added', 'removed', 'changed'] as const) {
      for (const key of diff.keys[kind]) lines.push(`    ${kind} ${JSON.stringify(key)}`);
    }
  }
  if (verify && report.fingerprints) {
    const { drifted, live, replayed } = report.fingerprints;
    lines.push(
      drifted.length === 0
        ? `  verified: ${replayed.length} tenant(s), no drift`
        : `  DRIFT in ${drifted.length} tenant(s)`,
    );
    for (const tenant of drifted) {
      const hashOf = (entries: typeof live) =>
        entries.find((entry) => entry.tenantId === tenant)?.hash ?? 'none';
      lines.push(`    tenant ${tenant}: live ${hashOf(live)} rebuilt ${hashOf(replayed)}`);
    }
  }
  return lines.join('\n');
}

async function printStatus(
  runtime: ProjectionRuntime,
  selected: readonly Projection[],
  json: boolean,
  context: ReplayCliContext,
): Promise<number> {
  const names = new Set(selected.map((projection) => projection.name));
  for (const status of (await runtime.status()).filter((entry) => names.has(entry.name))) {
    context.stdout(
      json
        ? JSON.stringify(status)
        : `${status.name} v${status.version} (tables v${status.tablesVersion ?? '-'}, generation ${status.generation ?? '-'}):` +
            ` ${status.eventsBehind} events behind, ${duration(status.timeBehindMs)} behind,` +
            ` last applied ${status.lastAppliedAt?.toISOString() ?? 'never'}, ${status.parked} parked`,
    );
  }
  return 0;
}

async function parked(
  runtime: ProjectionRuntime,
  selected: readonly Projection[],
  values: Values,
  context: ReplayCliContext,
): Promise<number> {
  const filter = values.tenant !== undefined ? { tenantId: values.tenant } : {};
  let failed = false;
  for (const projection of selected) {
    if (values['retry-parked']) {
      const report = await runtime.retryParked(projection.name, filter);
      failed ||= report.failed.length > 0;
      context.stdout(
        values.json
          ? JSON.stringify({ projection: projection.name, ...report })
          : `${projection.name}: ${report.retried} retried, ${report.resolved} applied, ${report.failed.length} still parked`,
      );
      continue;
    }
    for (const entry of await runtime.parked({ ...filter, projection: projection.name })) {
      context.stdout(
        values.json
          ? JSON.stringify(entry)
          : `${entry.projection} #${entry.parkedId} tenant ${entry.tenantId} seq ${entry.tenantSeq} ${entry.eventType}` +
              ` event ${entry.eventId}: ${entry.errorCode}: ${entry.errorMessage} (${entry.attempts} attempts,` +
              ` ${entry.parkedAt.toISOString()})`,
      );
    }
  }
  return failed ? 1 : 0;
}

function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s`
    : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
