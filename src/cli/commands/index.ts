import type { CliCommand } from './command.ts';
import { migrateCommand } from './migrate.ts';
import { startCommand } from './start.ts';
import { verifyCommand } from './verify.ts';

export const commands: Readonly<Record<string, CliCommand>> = {
  start: startCommand,
  migrate: migrateCommand,
  verify: verifyCommand,
};
