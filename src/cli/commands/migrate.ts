import { ALL_MIGRATIONS } from '../../migration-sets.ts';
import { openEngine } from '../../store/engines/open-engine.ts';
import { migrate } from '../../store/migrate.ts';
import type { CliCommand } from './command.ts';

export const migrateCommand: CliCommand = {
  summary: 'apply pending database migrations (idempotent)',
  async run() {
    const engine = await openEngine();
    try {
      const report = await migrate(engine, ALL_MIGRATIONS);
      for (const step of report.applied) console.log(`applied ${step.module}/${step.name}`);
      console.log(
        `${report.applied.length} applied, ${report.alreadyApplied} already applied (${engine.location})`,
      );
      return 0;
    } finally {
      await engine.close();
    }
  },
};
