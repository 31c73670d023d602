/**
 * Runs the service in this process: opens the engine the environment selects, migrates, listens, and on
 * SIGTERM or SIGINT stops accepting connections, lets in-flight requests finish, then closes the engine.
 */
import { ALL_MIGRATIONS } from '../migration-sets.ts';
import { ValidationError } from '../shared/errors.ts';
import { openEngine, type Environment } from '../store/engines/open-engine.ts';
import { migrate } from '../store/migrate.ts';
import { buildApp } from './app.ts';

export interface ServiceSettings {
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  /** How long in-flight requests may take to finish after a stop signal. */
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

/** Resolves with the exit code once the service has stopped. */
export async function runService(env: Environment = process.env): Promise<number> {
  const settings = serviceSettings(env);
  const engine = await openEngine(env);
  let app;
  try {
    const report = await migrate(engine, ALL_MIGRATIONS);
    app = await buildApp({ engine, log: { level: settings.logLevel } });
    const address = await app.listen({ host: settings.host, port: settings.port });
    app.log.info(
      { engine: engine.kind, location: engine.location, migrated: report.applied.length, address },
      'mymedic ready',
    );
  } catch (error) {
    await app?.close();
    await engine.close();
    throw error;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  app.log.info({ signal }, 'mymedic stopping');
  const timer = setTimeout(() => {
    app.log.error({ timeoutMs: settings.shutdownTimeoutMs }, 'in-flight requests did not finish in time');
    process.exit(1);
  }, settings.shutdownTimeoutMs);
  timer.unref();
  await app.close();
  await engine.close();
  clearTimeout(timer);
  app.log.info('mymedic stopped');
  return 0;
}

function wholeNumber(env: Environment, name: string, fallback: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max)
    throw new ValidationError(name, `must be a whole number up to ${max}`);
  return value;
}
