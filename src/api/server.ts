/**
 * Runs the service in this process: opens the engine the environment selects, migrates, loads the master keys
 * once, serves every route (service-routes.ts) and runs the background workers (every read model and process
 * manager, as role mymedic_worker). On SIGTERM or SIGINT: the workers finish their current batch and stop,
 * then the server stops accepting connections and lets in-flight requests finish, then the engine closes.
 */
import type { FastifyInstance } from 'fastify';
import { loadMasterKeys } from '../compliance/master-key.ts';
import { ALL_MIGRATIONS } from '../migration-sets.ts';
import { ValidationError } from '../shared/errors.ts';
import type { Engine } from '../store/engines/engine.ts';
import { engineSettings, openEngine, type Environment } from '../store/engines/open-engine.ts';
import { migrate } from '../store/migrate.ts';
import { buildApp } from './app.ts';
import { ApiMetrics } from './metrics.ts';
import { SERVICE_ROUTES } from './service-routes.ts';
import { ServiceWorkers } from './service-workers.ts';

export interface ServiceSettings {
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  /** How long stopping may take after a signal: the workers' current batches, then in-flight requests. */
  readonly shutdownTimeoutMs: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads HOST (default 127.0.0.1), PORT (default 3000; 0 picks a free one), MYMEDIC_LOG_LEVEL (default info)
 * and MYMEDIC_SHUTDOWN_TIMEOUT_MS (default 10000).
 *
 * @throws ValidationError naming the variable whose value is unusable.
 */
export function serviceSettings(env: Environment = process.env): ServiceSettings {
  const port = wholeNumber(env, 'PORT', 3000, 65_535);
  const logLevel = env['MYMEDIC_LOG_LEVEL'] || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ValidationError('MYMEDIC_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    host: env['HOST'] || '127.0.0.1',
    port,
    logLevel,
    shutdownTimeoutMs: wholeNumber(env, 'MYMEDIC_SHUTDOWN_TIMEOUT_MS', 10_000, 600_000),
  };
}

/** Why the service stops: a signal, or background workers that could not start (exit code 1). */
type StopReason = { readonly signal: NodeJS.Signals } | { readonly workersFailed: unknown };

/** Resolves with the exit code once the service has stopped. */
export async function runService(env: Environment = process.env): Promise<number> {
  const settings = serviceSettings(env);
  const storage = engineSettings(env);
  // Handlers first: a signal that arrives while the service is still starting is not lost.
  const signalled = new Promise<StopReason>((resolve) => {
    const stop = (signal: NodeJS.Signals) => resolve({ signal });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const engine = await openEngine(env);
  let service: Running;
  try {
    service = await startService(
      engine,
      settings,
      env,
      storage.kind === 'pglite' ? storage.dataDir : undefined,
    );
  } catch (error) {
    await engine.close();
    throw error;
  }
  const { app, workers } = service;
  const workersStarted = workers.start().then(
    () => app.log.info('background workers started'),
    (error: unknown) => error,
  );
  const reason = await Promise.race([
    signalled,
    workersStarted.then((error) => (error === undefined ? signalled : { workersFailed: error })),
  ]);
  if ('workersFailed' in reason) {
    app.log.fatal({ err: reason.workersFailed }, 'background workers could not start');
  } else {
    app.log.info({ signal: reason.signal }, 'mymedic stopping');
  }
  const timer = setTimeout(() => {
    app.log.error({ timeoutMs: settings.shutdownTimeoutMs }, 'the service did not stop in time');
    process.exit(1);
  }, settings.shutdownTimeoutMs);
  timer.unref();
  await workersStarted;
  await workers.stop();
  await app.close();
  await engine.close();
  clearTimeout(timer);
  app.log.info('mymedic stopped');
  return 'workersFailed' in reason ? 1 : 0;
}

interface Running {
  readonly app: FastifyInstance;
  readonly workers: ServiceWorkers;
}

/** Migrated, keyed, read-model tables installed, listening; the workers are built but not started. */
async function startService(
  engine: Engine,
  settings: ServiceSettings,
  env: Environment,
  embeddedDataDir: string | undefined,
): Promise<Running> {
  const report = await migrate(engine, ALL_MIGRATIONS);
  // Once, for requests and workers alike; a development key only for the embedded quick start.
  const masterKeys = await loadMasterKeys({ env, developmentKeyDir: embeddedDataDir });
  const metrics = new ApiMetrics();
  const workers = new ServiceWorkers(engine, { masterKeys });
  metrics.reportProjectionLag(() => workers.lag());
  const app = await buildApp({
    engine,
    routes: SERVICE_ROUTES,
    masterKeys,
    metrics,
    workers,
    projections: workers.projections,
    log: { level: settings.logLevel },
  });
  workers.onFailure((worker, error) =>
    app.log.error({ worker, err: error }, 'background worker failed; retrying'),
  );
  try {
    await workers.install();
    const address = await app.listen({ host: settings.host, port: settings.port });
    app.log.info(
      { engine: engine.kind, location: engine.location, migrated: report.applied.length, address },
      'mymedic ready',
    );
  } catch (error) {
    await app.close();
    throw error;
  }
  return { app, workers };
}

function wholeNumber(env: Environment, name: string, fallback: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max)
    throw new ValidationError(name, `must be a whole number up to ${max}`);
  return value;
}
