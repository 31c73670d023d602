import type { CliCommand } from './command.ts';
import { demoCommand } from './demo.ts';
import { keyCommand } from './key.ts';
import { migrateCommand } from './migrate.ts';
import { replayCommand } from './replay.ts';
import { startCommand } from './start.ts';
import { tenantCommand } from './tenant.ts';
import { verifyCommand } from './verify.ts';

export const commands: Readonly<Record<string, CliCommand>> = {
  start: startCommand,
  migrate: migrateCommand,
  verify: verifyCommand,
  replay: replayCommand,
  tenant: tenantCommand,
  key: keyCommand,
  demo: demoCommand,
};
