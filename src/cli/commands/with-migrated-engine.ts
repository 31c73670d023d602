import { ALL_MIGRATIONS } from '../../migration-sets.ts';
import type { Engine } from '../../store/engines/engine.ts';
import { openEngine } from '../../store/engines/open-engine.ts';
import { migrate } from '../../store/migrate.ts';

/**
 * Opens the engine the environment selects, migrates it, runs `work` and closes it. On the embedded engine
 * this needs the data directory, so it fails with DATA_DIRECTORY_LOCKED while the service runs.
 */
export async function withMigratedEngine<T>(work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openEngine();
  try {
    await migrate(engine, ALL_MIGRATIONS);
    return await work(engine);
  } finally {
    await engine.close();
  }
}
