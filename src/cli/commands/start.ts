import { ALL_MIGRATIONS } from '../../migration-sets.ts';
import { openEngine } from '../../store/engines/open-engine.ts';
import { migrate } from '../../store/migrate.ts';
import type { CliCommand } from './command.ts';

/** Runs the service: opens the store (holding the embedded data directory), migrates, serves until a signal. */
export const startCommand: CliCommand = {
  summary: 'run the service (embedded store in ./data unless DATABASE_URL is set)',
  async run() {
    const engine = await openEngine();
    const report = await migrate(engine, ALL_MIGRATIONS);
    console.log(
      JSON.stringify({
        msg: 'mymedic ready',
        engine: engine.kind,
        location: engine.location,
        migrated: report.applied.length,
      }),
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await engine.close();
    console.log(JSON.stringify({ msg: 'mymedic stopped' }));
    return 0;
  },
};
