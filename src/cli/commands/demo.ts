import { parseArgs } from 'node:util';
import { loadMasterKeys } from '../../compliance/index.ts';
import { generateDemoHistory } from '../../demo/generate-demo-history.ts';
import { ALL_MIGRATIONS } from '../../migration-sets.ts';
import { ValidationError } from '../../shared/errors.ts';
import { engineSettings, openEngine } from '../../store/engines/open-engine.ts';
import { migrate } from '../../store/migrate.ts';
import type { CliCommand } from './command.ts';

const PROGRESS_EVERY_MS = 2_000;

/**
 * Writes a simulated history (src/demo) through the command side: progress on stderr, the report as JSON on
 * stdout. Needs the embedded data directory to itself, like every command that writes.
 */
export const demoCommand: CliCommand = {
  summary: 'generate a reproducible demo history [--tenants N] [--days D] [--seed S] [--scale X]',
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        tenants: { type: 'string', default: '2' },
        days: { type: 'string', default: '30' },
        seed: { type: 'string', default: '1' },
        scale: { type: 'string', default: '1' },
        concurrency: { type: 'string' },
      },
    });
    const settings = engineSettings();
    const engine = await openEngine();
    try {
      await migrate(engine, ALL_MIGRATIONS);
      const masterKeys = await loadMasterKeys({
        developmentKeyDir: settings.kind === 'pglite' ? settings.dataDir : undefined,
      });
      let lastPrint = 0;
      const report = await generateDemoHistory({
        engine,
        masterKeys,
        tenants: number('--tenants', values.tenants),
        days: number('--days', values.days),
        seed: number('--seed', values.seed),
        scale: number('--scale', values.scale),
        ...(values.concurrency !== undefined
          ? { concurrency: number('--concurrency', values.concurrency) }
          : {}),
        onProgress: (progress) => {
          const done = progress.day === progress.days;
          if (!done && progress.elapsedMs - lastPrint < PROGRESS_EVERY_MS) return;
          lastPrint = progress.elapsedMs;
          const seconds = progress.elapsedMs / 1000;
          console.error(
            `${progress.tenantId}: day ${progress.day}/${progress.days}; ${progress.events} events in ` +
              `${seconds.toFixed(1)} s (${Math.round(progress.events / Math.max(seconds, 0.001))}/s)`,
          );
        },
      });
      console.log(JSON.stringify(report, null, 2));
      return 0;
    } finally {
      await engine.close();
    }
  },
};

function number(option: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value)) {
    throw new ValidationError(option, 'must be a number');
  }
  return value;
}
