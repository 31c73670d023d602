/**
 * The benchmark's demo history, cached in its own database (`mymedic_bench_history`, or `…_quick`) on the
 * benchmark server: reused when the fingerprint recorded in it matches the history this code would build,
 * otherwise dropped and rebuilt — generated through the command side into an in-memory store (fast: no
 * round trips per command), then loaded into PostgreSQL through the store's own append.
 * Patient fields are encrypted under a throwaway master key; nothing here ever needs to read them.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { masterKeyFromBytes } from '../../src/compliance/master-key.ts';
import { demoTenantIds, generateDemoHistory } from '../../src/demo/generate-demo-history.ts';
import { ALL_MIGRATIONS } from '../../src/migration-sets.ts';
import { PostgresEngine } from '../../src/store/engines/postgres-engine.ts';
import { InMemoryEventStore } from '../../src/store/in-memory/in-memory-event-store.ts';
import { migrate } from '../../src/store/migrate.ts';
import { ADMIN_URL, adminQuery } from '../bench-database.ts';
import { historyFingerprint, type HistorySpec } from './history-spec.ts';
import { loadHistory } from './load-history.ts';

export interface HistoryDatabase {
  readonly url: string;
  readonly spec: HistorySpec;
  readonly events: number;
  /** False when a matching cached history was found. */
  readonly built: boolean;
  /** How the history was built (this run, or the run that built the cached copy). */
  readonly generatedEventsPerS: number;
  readonly loadedEventsPerS: number;
}

interface Recorded {
  fingerprint: string;
  events: string;
  generated_events_per_s: number;
  loaded_events_per_s: number;
}

const PROGRESS_EVERY_MS = 10_000;

export async function openHistoryDatabase(
  spec: HistorySpec,
  name: string,
  log: (line: string) => void,
  adminUrl: string = ADMIN_URL,
): Promise<HistoryDatabase> {
  const url = databaseUrl(adminUrl, name);
  const fingerprint = await historyFingerprint(spec);
  const cached = await readRecord(adminUrl, name);
  if (cached?.fingerprint === fingerprint) {
    log(`[history] reusing ${name}: ${cached.events} events`);
    return {
      url,
      spec,
      events: Number(cached.events),
      built: false,
      generatedEventsPerS: cached.generated_events_per_s,
      loadedEventsPerS: cached.loaded_events_per_s,
    };
  }
  log(`[history] building ${name} (${JSON.stringify(spec)})`);
  await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  await adminQuery(adminUrl, `create database ${name}`);
  const engine = new PostgresEngine({ connectionString: url, maxConnections: 4 });
  try {
    await migrate(engine, ALL_MIGRATIONS);
    const memory = new InMemoryEventStore();
    let lastLog = performance.now();
    const progress = (what: string, events: number) => {
      if (performance.now() - lastLog < PROGRESS_EVERY_MS) return;
      lastLog = performance.now();
      log(`[history] ${what} ${events} events`);
    };
    const generated = await generateDemoHistory({
      engine,
      store: memory,
      masterKeys: { current: masterKeyFromBytes(randomBytes(32)), previous: [] },
      ...spec,
      concurrency: spec.tenants,
      onProgress: (p) => progress('generated', p.events),
    });
    const generatedEventsPerS = Math.round(memory.size / (generated.elapsedMs / 1000));
    log(`[history] generated ${memory.size} events at ${generatedEventsPerS}/s; loading`);
    const loaded = await loadHistory(memory, demoTenantIds(spec.seed, spec.tenants), engine, {
      onProgress: (events) => progress('loaded', events),
    });
    const loadedEventsPerS = Math.round(loaded.events / loaded.seconds);
    log(`[history] loaded ${loaded.events} events at ${loadedEventsPerS}/s`);
    await engine.query('vacuum analyze mymedic.events');
    // Written last: an interrupted build leaves no record, so the next run builds again.
    await engine.query(
      `create table public.bench_history as
        select $1::text as fingerprint, $2::jsonb as spec, $3::bigint as events,
          $4::integer as generated_events_per_s, $5::integer as loaded_events_per_s, now() as built_at`,
      [fingerprint, JSON.stringify(spec), loaded.events, generatedEventsPerS, loadedEventsPerS],
    );
    return {
      url,
      spec,
      events: loaded.events,
      built: true,
      generatedEventsPerS,
      loadedEventsPerS,
    };
  } finally {
    await engine.close();
  }
}

async function readRecord(adminUrl: string, name: string): Promise<Recorded | undefined> {
  const { rows } = await adminQuery(adminUrl, 'select 1 from pg_database where datname = $1', [name]);
  if (rows.length === 0) return undefined;
  try {
    const { rows: records } = await adminQuery(
      databaseUrl(adminUrl, name),
      `select fingerprint, events::text as events, generated_events_per_s, loaded_events_per_s
        from public.bench_history`,
    );
    return records[0] as Recorded | undefined;
  } catch {
    // No record: the build that created the database did not finish.
    return undefined;
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
