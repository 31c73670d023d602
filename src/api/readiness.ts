/**
 * Readiness: the database answers and every migration this code knows of is recorded as applied (a restored
 * backup or a half-migrated database is not ready). The background workers' state and each read model's lag
 * are reported beside it but never make the service unready: commands must not wait for read models.
 */
import type { Engine } from '../store/engines/engine.ts';
import { migrationFiles, type MigrationSet } from '../store/migrate.ts';

/** One read model as the service's projection runtime sees it. */
export interface ProjectionHealth {
  readonly projection: string;
  /** running, failing (retrying a batch), upgrading (rebuilding a new version), failed, stopped. */
  readonly state: string;
  readonly eventsBehind: number;
  readonly secondsBehind: number;
  /** Events it could not apply and set aside (see `mymedic replay --parked`). */
  readonly parked: number;
}

export interface WorkersHealth {
  readonly state: 'starting' | 'running' | 'stopping';
  readonly projections: readonly ProjectionHealth[];
}

/** What the service's background workers report to /ready (absent when an app runs without them). */
export interface WorkersProbe {
  health(): Promise<WorkersHealth>;
}

export interface Readiness {
  readonly ready: boolean;
  readonly database: 'up' | 'down';
  readonly pendingMigrations: readonly string[];
}

export async function checkReadiness(
  engine: Engine,
  migrations: readonly MigrationSet[],
): Promise<Readiness> {
  let applied: Set<string>;
  try {
    const { rows } = await engine.query<{ migration: string }>(
      "select module || '/' || version as migration from mymedic.schema_migrations",
    );
    applied = new Set(rows.map((row) => row.migration));
  } catch {
    return { ready: false, database: 'down', pendingMigrations: [] };
  }
  const pending: string[] = [];
  for (const set of migrations) {
    for (const file of await migrationFiles(set)) {
      if (!applied.has(`${set.module}/${file.version}`)) pending.push(`${set.module}/${file.name}`);
    }
  }
  return { ready: pending.length === 0, database: 'up', pendingMigrations: pending };
}
