/**
 * `generateDemoHistory`: a realistic, reproducible history for demos, BI and benchmarks, built only through
 * the command side. Each tenant is simulated on its own clock from its own random stream (so tenants may run
 * concurrently on a pooled engine without changing any tenant's log); the same seed always writes the same
 * events — ids, payloads, order — into any fresh database.
 */
import { performance } from 'node:perf_hooks';
import { CommandService } from '../commands/command-service.ts';
import { PatientKeyring, type MasterKeys } from '../compliance/index.ts';
import { MyMedicError, ValidationError } from '../shared/errors.ts';
import type { Engine } from '../store/engines/engine.ts';
import type { EventStore } from '../store/event-store.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { allTenantsEngine } from '../tenancy/scoped-engine.ts';
import { createTenant } from '../tenancy/tenants.ts';
import { TenantExistsError } from '../tenancy/errors.ts';
import { localInstant } from './calendar.ts';
import { planDay } from './daily-plan.ts';
import { buildReport, type DemoReport } from './demo-report.ts';
import { Random } from './random.ts';
import { setUpTenant } from './setup-flow.ts';
import { Tally } from './tally.ts';
import { planTenant } from './tenant-layout.ts';
import { TenantSim } from './tenant-sim.ts';

export interface DemoProgress {
  readonly tenantId: string;
  /** Days of this tenant simulated so far. */
  readonly day: number;
  readonly days: number;
  /** Events written so far, all tenants. */
  readonly events: number;
  readonly elapsedMs: number;
}

export interface DemoOptions {
  /** Holds the tenant rows and the patients' keys, and (unless `store` is given) the events. */
  readonly engine: Engine;
  readonly masterKeys: MasterKeys;
  /** Where the events go, e.g. an in-memory store for a fast benchmark history; default the store on `engine`. */
  readonly store?: EventStore;
  readonly tenants: number;
  readonly days: number;
  /** Any whole number from 0 to 2^32 − 1; it names the tenants (`demo-s<seed>-t<n>`) too. */
  readonly seed: number;
  /** Demand multiplier (default 1); tests use less. */
  readonly scale?: number;
  /** Tenants simulated at once (default: 8 on PostgreSQL, 1 on the single-connection embedded engine). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: DemoProgress) => void;
}

/** The tenant ids a run with this seed writes. */
export function demoTenantIds(seed: number, tenants: number): string[] {
  return Array.from({ length: tenants }, (_, index) => `demo-s${seed}-t${index + 1}`);
}

/**
 * @example
 * const report = await generateDemoHistory({ engine, masterKeys, tenants: 2, days: 30, seed: 7 });
 * console.log(report.events.total, report.eventsPerSecond);
 * @throws ValidationError for out-of-range options; MyMedicError DEMO_TENANT_EXISTS when a tenant of this
 * seed already has events (a second run would only collide with the first).
 */
export async function generateDemoHistory(options: DemoOptions): Promise<DemoReport> {
  const { engine, masterKeys, tenants, days, seed } = options;
  wholeNumber('tenants', tenants, 1, 1_000);
  wholeNumber('days', days, 1, 3_650);
  wholeNumber('seed', seed, 0, 0xffff_ffff);
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 20)) throw new ValidationError('scale', 'must be above 0 and at most 20');
  const concurrency = options.concurrency ?? (engine.kind === 'postgres' ? 8 : 1);
  wholeNumber('concurrency', concurrency, 1, 64);
  const tenantIds = demoTenantIds(seed, tenants);
  const store = options.store ?? new PgEventStore(engine);
  await refuseExisting(store, tenantIds);
  const service = new CommandService(store, new PatientKeyring(engine, masterKeys));
  const started = performance.now();
  const sims = tenantIds.map((tenantId, index) => {
    const layout = planTenant(Random.of('mymedic-demo', seed, tenantId, 'layout'), tenantId, index, days);
    return new TenantSim(
      layout,
      Random.of('mymedic-demo', seed, tenantId, 'simulation'),
      service,
      new Tally(),
      {
        seed,
        days,
        scale,
      },
    );
  });
  const eventsSoFar = () => sims.reduce((sum, sim) => sum + sim.tally.events, 0);
  const queue = [...sims];
  const worker = async () => {
    for (let sim = queue.shift(); sim !== undefined; sim = queue.shift()) {
      await registerTenant(engine, sim.tenantId, sim.layout.name);
      await simulate(sim, (day) =>
        options.onProgress?.({
          tenantId: sim.tenantId,
          day,
          days,
          events: eventsSoFar(),
          elapsedMs: performance.now() - started,
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sims.length) }, worker));
  return buildReport({
    seed,
    days,
    scale,
    engine: engine.kind,
    tenants: sims.map((sim) => ({
      summary: {
        tenantId: sim.tenantId,
        kind: sim.layout.kind,
        branches: sim.layout.branches.length,
        doctors: sim.layout.doctors.length,
        patients: sim.patients.length,
      },
      tally: sim.tally,
    })),
    elapsedMs: performance.now() - started,
  });
}

async function simulate(sim: TenantSim, onDay: (day: number) => void): Promise<void> {
  sim.clock.at(sim.clock.nowMs(), () => setUpTenant(sim));
  for (let day = 0; day < sim.options.days; day++) {
    sim.clock.at(localInstant(sim.dayDate(day), 0), async () => planDay(sim, day));
    await sim.clock.runUntil(localInstant(sim.dayDate(day + 1), 0));
    onDay(day + 1);
  }
}

async function refuseExisting(store: EventStore, tenantIds: readonly string[]): Promise<void> {
  for (const tenantId of tenantIds) {
    for await (const _event of store.readTenantLog(tenantId, { limit: 1 })) {
      throw new MyMedicError(
        'DEMO_TENANT_EXISTS',
        `tenant ${tenantId} already has events; use another seed`,
        {
          tenantId,
        },
      );
    }
  }
}

/** The tenant row, so credentials can be issued for it afterwards (`mymedic key create`). */
async function registerTenant(engine: Engine, tenantId: string, name: string): Promise<void> {
  try {
    await allTenantsEngine(engine).transaction((tx) => createTenant(tx, tenantId, name));
  } catch (error) {
    if (!(error instanceof TenantExistsError)) throw error;
  }
}

function wholeNumber(field: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `must be a whole number from ${min} to ${max}`);
  }
}
