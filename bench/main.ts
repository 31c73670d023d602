/**
 * `npm run bench [-- --quick] [-- --only <workload>]`: MyMedic's store against a plain-pg ceiling and Emmett 0.42
 * on the same PostgreSQL, plus MyMedic on embedded PGlite. Prints one JSON object per line on stdout; progress
 * goes to stderr. Each measurement runs in its own process on its own fresh database.
 */
import { loadavg } from 'node:os';
import { ADMIN_URL, createFreshDatabase, createPgliteImage, type PgliteImage } from './bench-database.ts';
import type { BenchTarget, Measurement } from './measurement.ts';
import { parseBenchOptions, USAGE } from './options.ts';
import { planWorkloads, type SystemName, type Workload } from './plan.ts';
import { benchHttpBookings } from './http/http-bookings.ts';
import { reportProjectionWorkload } from './projection-report.ts';
import { reportWorkload, type SystemOutcome } from './report.ts';
import { measureInChild } from './run-child.ts';
import { isProjectionShape } from './workloads/projection-workloads.ts';

async function main(): Promise<number> {
  let options;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const workloads = planWorkloads(options.quick).filter((w) => !options.only || options.only.includes(w.id));
  const image = workloads.some((w) => w.engine === 'pglite') ? await createPgliteImage() : undefined;
  let failures = 0;
  try {
    for (const workload of workloads) {
      const { lines, load1m } = isProjectionShape(workload.shape)
        ? await measureReadModels(workload)
        : await measureWorkload(workload, image).then(({ outcomes, load1m }) => ({
            lines: reportWorkload(workload, outcomes),
            load1m,
          }));
      for (const line of lines) {
        if (line.error) failures++;
        console.log(JSON.stringify({ ...line, load_1m: load1m }));
      }
    }
    failures += await benchHttpBookings(options);
  } finally {
    await image?.remove();
  }
  return failures === 0 ? 0 : 1;
}

/**
 * Runs are interleaved across systems, so a slow minute on the machine does not land on one system only.
 * `load1m` is the highest one-minute load average seen before a run: on a shared 2-core machine, figures
 * taken under a load well above 2 are not worth quoting.
 */
async function measureWorkload(
  workload: Workload,
  image: PgliteImage | undefined,
): Promise<{ outcomes: SystemOutcome[]; load1m: number }> {
  let load1m = 0;
  const measured = new Map<SystemName, Measurement[]>();
  const failed = new Map<SystemName, string>();
  for (let run = 1; run <= workload.runs; run++) {
    for (const system of workload.systems) {
      if (failed.has(system)) continue;
      load1m = Math.max(load1m, loadavg()[0] ?? 0);
      console.error(`[bench] ${workload.id} ${workload.engine} ${system} run ${run}/${workload.runs}`);
      try {
        const measurement = await measureOnce(workload, system, image);
        measured.set(system, [...(measured.get(system) ?? []), measurement]);
      } catch (error) {
        console.error(`[bench] ${workload.id} ${system} failed: ${(error as Error).message}`);
        failed.set(system, firstLine((error as Error).message));
      }
    }
  }
  const outcomes = workload.systems.map((system): SystemOutcome => {
    const error = failed.get(system);
    return error !== undefined ? { system, error } : { system, measurements: measured.get(system) ?? [] };
  });
  return { outcomes, load1m: Math.round(load1m * 100) / 100 };
}

async function measureOnce(
  workload: Workload,
  system: SystemName,
  image: PgliteImage | undefined,
): Promise<Measurement> {
  if (workload.engine === 'pglite') {
    if (!image) throw new Error('no PGlite image was prepared');
    return measureInChild({
      system,
      shape: workload.shape,
      target: { engine: 'pglite', imagePath: image.path },
    });
  }
  const database = await createFreshDatabase();
  try {
    const target: BenchTarget = { engine: 'postgres', url: database.url };
    return await measureInChild({ system, shape: workload.shape, target });
  } finally {
    await database.drop();
  }
}

/**
 * A read-model workload: one measuring process (MyMedic only). A rebuild opens the cached history database
 * itself through the admin connection; the lag workload gets a fresh database. `load1m` is the higher of the
 * load averages before and after: these runs take minutes.
 */
async function measureReadModels(workload: Workload) {
  let load1m = loadavg()[0] ?? 0;
  console.error(`[bench] ${workload.id} ${workload.engine} mymedic`);
  const database = workload.shape.kind === 'rebuild' ? undefined : await createFreshDatabase();
  let outcome: { measurement: Measurement } | { error: string };
  try {
    const target: BenchTarget = { engine: 'postgres', url: database?.url ?? ADMIN_URL };
    outcome = {
      measurement: await measureInChild(
        { system: 'mymedic', shape: workload.shape, target },
        workload.timeoutMs,
      ),
    };
  } catch (error) {
    console.error(`[bench] ${workload.id} failed: ${(error as Error).message}`);
    outcome = { error: firstLine((error as Error).message) };
  } finally {
    await database?.drop();
  }
  load1m = Math.max(load1m, loadavg()[0] ?? 0);
  return { lines: reportProjectionWorkload(workload, outcome), load1m: Math.round(load1m * 100) / 100 };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

process.exitCode = await main();
