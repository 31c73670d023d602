/**
 * Chooses the engine from the environment: a PostgreSQL server when DATABASE_URL is set, otherwise embedded
 * PGlite in a local data directory (the quick start). Callers run migrations themselves.
 */
import { resolve } from 'node:path';
import { ValidationError } from '../../shared/errors.ts';
import type { Engine } from './engine.ts';
import { PgliteEngine } from './pglite-engine.ts';
import { PostgresEngine } from './postgres-engine.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

export type EngineSettings =
  | {
      readonly kind: 'postgres';
      readonly connectionString: string;
      /** Application role to SET ROLE to (MYMEDIC_DB_ROLE), so that row-level security applies. */
      readonly role?: string;
      readonly maxConnections?: number;
    }
  | { readonly kind: 'pglite'; readonly dataDir: string; readonly durable: boolean };

export const DEFAULT_DATA_DIR = './data';

/**
 * Reads the engine settings: DATABASE_URL (with MYMEDIC_DB_ROLE, MYMEDIC_DB_POOL_SIZE) or MYMEDIC_DATA_DIR
 * (default ./data, with MYMEDIC_PGLITE_FSYNC=on|off, default on).
 *
 * @throws ValidationError naming the variable whose value is unusable.
 */
export function engineSettings(env: Environment = process.env): EngineSettings {
  const connectionString = nonEmpty(env['DATABASE_URL']);
  if (connectionString !== undefined) {
    const role = nonEmpty(env['MYMEDIC_DB_ROLE']);
    const poolSize = nonEmpty(env['MYMEDIC_DB_POOL_SIZE']);
    return {
      kind: 'postgres',
      connectionString,
      ...(role !== undefined ? { role } : {}),
      ...(poolSize !== undefined ? { maxConnections: parsePoolSize(poolSize) } : {}),
    };
  }
  return {
    kind: 'pglite',
    dataDir: resolve(nonEmpty(env['MYMEDIC_DATA_DIR']) ?? DEFAULT_DATA_DIR),
    durable: parseFsync(nonEmpty(env['MYMEDIC_PGLITE_FSYNC']) ?? 'on'),
  };
}

/**
 * Opens the engine the environment selects.
 *
 * @example
 * const engine = await openEngine();
 * await migrate(engine, ALL_MIGRATIONS);
 * @throws DataDirectoryLockedError when another process has the embedded data directory open.
 */
export async function openEngine(env: Environment = process.env): Promise<Engine> {
  const settings = engineSettings(env);
  if (settings.kind === 'postgres') return new PostgresEngine(settings);
  return PgliteEngine.open({ dataDir: settings.dataDir, durable: settings.durable });
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parsePoolSize(text: string): number {
  const size = Number(text);
  if (!/^\d+$/.test(text) || size < 1 || size > 1000) {
    throw new ValidationError('MYMEDIC_DB_POOL_SIZE', 'must be a whole number from 1 to 1000', {
      value: text,
    });
  }
  return size;
}

function parseFsync(text: string): boolean {
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new ValidationError('MYMEDIC_PGLITE_FSYNC', 'must be on or off', { value: text });
}
