/**
 * Readiness: the database answers and every migration this code knows of is recorded as applied (a restored
 * backup or a half-migrated database is not ready).
 */
import type { Engine } from '../store/engines/engine.ts';
import { migrationFiles, type MigrationSet } from '../store/migrate.ts';

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
