import { ALL_MIGRATIONS } from '../../migration-sets.ts';
import { ALL_PROJECTIONS } from '../../projections/registry.ts';
import { UpcasterRegistry } from '../../projections/upcaster-registry.ts';
import { ALL_UPCASTERS } from '../../projections/upcasters.ts';
import { REPLAY_USAGE, runReplayCli } from '../../replay/replay-cli.ts';
import { openEngine } from '../../store/engines/open-engine.ts';
import { allTenantsEngine } from '../../tenancy/scoped-engine.ts';
import { migrate } from '../../store/migrate.ts';
import type { CliCommand } from './command.ts';

/** Rebuilds read models from the log (see docs/projections.md); the work is in src/replay/replay-cli.ts. */
export const replayCommand: CliCommand = {
  summary:
    'rebuild read models: <projection|all> [--tenant T] [--branch B] [--dry-run] [--verify] ... (--help)',
  async run(args) {
    if (args.includes('--help')) {
      console.log(REPLAY_USAGE);
      return 0;
    }
    const engine = await openEngine();
    try {
      await migrate(engine, ALL_MIGRATIONS);
      // As every worker: role mymedic_worker sees all tenants and owns the read-model tables it swaps.
      return await runReplayCli(args, {
        engine: allTenantsEngine(engine),
        projections: ALL_PROJECTIONS,
        upcasters: new UpcasterRegistry(ALL_UPCASTERS),
        stdout: (line) => console.log(line),
        stderr: (line) => console.error(line),
      });
    } finally {
      await engine.close();
    }
  },
};
